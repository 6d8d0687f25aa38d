#include "fake_signin.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace awsauth::test {
namespace {

std::string json_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string hex_sha256(const std::string& s) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), digest, &n, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int k = 0; k < n; ++k) {
    out.push_back(kHex[digest[k] >> 4]);
    out.push_back(kHex[digest[k] & 0xf]);
  }
  return out;
}

}  // namespace

ScriptedResponse signin_error(int status, const std::string& type, const std::string& error,
                              const std::string& message) {
  return {.status = status,
          .headers = {{"Content-Type", "application/json"}, {"x-amzn-ErrorType", type}},
          .body = R"({"error":")" + json_escape(error) + R"(","message":")" + json_escape(message) +
                  R"("})"};
}
ScriptedResponse signin_token_expired() {
  return signin_error(401, "AccessDeniedException", "TOKEN_EXPIRED", "Refresh token expired");
}
ScriptedResponse signin_credentials_changed() {
  return signin_error(403, "AccessDeniedException", "USER_CREDENTIALS_CHANGED",
                      "User credentials changed");
}
ScriptedResponse signin_insufficient_permissions() {
  return signin_error(403, "AccessDeniedException", "INSUFFICIENT_PERMISSIONS",
                      "Not authorized to perform signin:CreateOAuth2Token");
}
ScriptedResponse signin_server_error() {
  return signin_error(500, "InternalServerException", "server_error", "Internal failure");
}

SigninTokens signin_tokens_for(const std::string& refresh_token) {
  const std::string h = hex_sha256(refresh_token);
  return {.access_key_id = "ASIA" + h.substr(0, 16),
          .secret_access_key = "secret-" + h.substr(16, 24),
          .session_token = "session-" + h.substr(40, 24),
          .refresh_token = refresh_token + ".next"};
}

std::string login_cache_json(const LoginCacheFile& f) {
  std::string pem;
  for (const char c : f.dpop_key) {
    if (c == '\n') {
      pem += "\\n";
    } else {
      pem.push_back(c);
    }
  }
  std::string out = R"({"accessToken": {"accessKeyId": ")" + f.access_key_id +
                    R"(", "secretAccessKey": ")" + f.secret_access_key + R"(", "sessionToken": ")" +
                    f.session_token + R"(", "accountId": ")" + f.account_id +
                    R"(", "expiresAt": ")" + f.expires_at + R"("}, "refreshToken": ")" +
                    json_escape(f.refresh_token) + R"(", "dpopKey": ")" + pem +
                    R"(", "clientId": ")" + f.client_id + R"(")";
  if (!f.extra.empty()) out += ", " + f.extra;
  return out + "}";
}

FakeSignin::FakeSignin(const std::string& dpop_key_pem, std::string refresh_token)
    : key_(public_jwk_of(dpop_key_pem)) {
  valid_refresh_tokens_.insert(std::move(refresh_token));
}

ScriptedResponse FakeSignin::answer(const RecordedRequest& request) {
  std::string presented;
  try {
    if (request.method != "POST") throw std::runtime_error("method " + request.method);
    if (request.path != kSigninTokenPath) throw std::runtime_error("path " + request.path);
    const std::string* type = request.header("Content-Type");
    if (type == nullptr || type->rfind("application/json", 0) != 0) {
      throw std::runtime_error("Content-Type is not application/json");
    }
    const std::string* proof = request.header("DPoP");
    if (proof == nullptr) throw std::runtime_error("no DPoP header");
    const std::string* host = request.header("Host");
    if (host == nullptr) throw std::runtime_error("no Host header");
    DpopCheck check = check_dpop_proof(*proof, key_);
    if (!check.ok) throw std::runtime_error("DPoP proof: " + check.error);
    if (check.htm != "POST") throw std::runtime_error("DPoP htm " + check.htm);
    const std::string url = "http://" + *host + request.target;
    if (check.htu != url) throw std::runtime_error("DPoP htu " + check.htu + " is not " + url);
    const std::int64_t skew = check.iat - now();
    if (skew > max_iat_skew.count() || -skew > max_iat_skew.count()) {
      throw std::runtime_error("DPoP iat " + std::to_string(check.iat) + " is " +
                               std::to_string(skew) + " s from now");
    }

    Poco::JSON::Parser parser;
    const auto body = parser.parse(request.body).extract<Poco::JSON::Object::Ptr>();
    if (!body->has("clientId") || body->getValue<std::string>("clientId") != client_id) {
      throw std::runtime_error("clientId is not " + client_id);
    }
    if (!body->has("grantType") || body->getValue<std::string>("grantType") != "refresh_token") {
      throw std::runtime_error("grantType is not refresh_token");
    }
    if (!body->has("refreshToken")) throw std::runtime_error("no refreshToken");
    presented = body->getValue<std::string>("refreshToken");

    std::lock_guard lock(mutex_);
    if (!seen_jti_.insert(check.jti).second) {
      throw std::runtime_error("DPoP jti " + check.jti + " was used before");
    }
    proofs_.push_back(std::move(check));
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    rejections_.emplace_back(e.what());
    return signin_error(400, "ValidationException", "INVALID_REQUEST", e.what());
  }

  if (fault) {
    if (auto response = fault(request)) return *response;
  }
  const SigninTokens tokens = signin_tokens_for(presented);
  {
    std::lock_guard lock(mutex_);
    if (valid_refresh_tokens_.count(presented) == 0) return signin_token_expired();
    valid_refresh_tokens_.insert(tokens.refresh_token);
  }
  ++refreshes_;
  return {.status = 200,
          .headers = {{"Content-Type", "application/json"}},
          .body = R"({"accessToken":{"accessKeyId":")" + tokens.access_key_id +
                  R"(","secretAccessKey":")" + tokens.secret_access_key + R"(","sessionToken":")" +
                  tokens.session_token + R"("},"tokenType":"aws_sigv4","expiresIn":)" +
                  std::to_string(expires_in) + R"(,"refreshToken":")" +
                  json_escape(tokens.refresh_token) + R"("})"};
}

LoopbackServer::Handler FakeSignin::handler() {
  return [this](const RecordedRequest& request) { return answer(request); };
}

void FakeSignin::accept_refresh_token(std::string refresh_token) {
  std::lock_guard lock(mutex_);
  valid_refresh_tokens_.insert(std::move(refresh_token));
}

std::vector<std::string> FakeSignin::rejections() const {
  std::lock_guard lock(mutex_);
  return rejections_;
}

std::vector<DpopCheck> FakeSignin::proofs() const {
  std::lock_guard lock(mutex_);
  return proofs_;
}

}  // namespace awsauth::test
