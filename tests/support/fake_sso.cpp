#include "fake_sso.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "awsauth/detail/json.hpp"

namespace awsauth::test {
namespace {

std::string json(std::string_view s) { return awsauth::detail::json_string(s); }

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string member(const Poco::JSON::Object::Ptr& o, const char* name) {
  if (!o || !o->has(name) || !o->get(name).isString()) return {};
  return o->getValue<std::string>(name);
}

}  // namespace

ScriptedResponse sso_oidc_error(int status, const std::string& type, const std::string& error,
                                const std::string& description) {
  return {
      .status = status,
      .headers = {{"Content-Type", "application/json"}, {"x-amzn-ErrorType", type}},
      .body = "{\"error\":" + json(error) + ",\"error_description\":" + json(description) + "}"};
}

std::optional<std::string> query_parameter(const std::string& query, const std::string& name) {
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == name) {
      return eq == std::string::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    }
    start = end + 1;
  }
  return std::nullopt;
}

void FakeSso::accept_access_token(const std::string& token) {
  std::lock_guard lock(mutex_);
  accepted_.insert(token);
}

bool FakeSso::accepts(const std::string& token) const {
  std::lock_guard lock(mutex_);
  return accepted_.count(token) > 0;
}

ScriptedResponse FakeSso::portal(const RecordedRequest& request) {
  const std::string* bearer = request.header("x-amz-sso_bearer_token");
  const auto account = query_parameter(request.query, "account_id");
  const auto role = query_parameter(request.query, "role_name");
  if (!account || !role) {
    return {.status = 400,
            .headers = {{"x-amzn-ErrorType", "InvalidRequestException"}},
            .body = R"({"message":"account_id and role_name are required"})"};
  }
  if (bearer == nullptr || !accepts(*bearer)) {
    return {.status = 401,
            .headers = {{"x-amzn-ErrorType", "UnauthorizedException"}},
            .body = R"({"message":"Session token not found or invalid"})"};
  }
  const int n = ++role_credentials_served;
  return {.headers = {{"Content-Type", "application/json"}},
          .body = "{\"roleCredentials\":{\"accessKeyId\":" +
                  json(access_key_id.empty() ? "ASIA" + *account : access_key_id) +
                  ",\"secretAccessKey\":" +
                  json(secret_access_key.empty() ? "secret-" + *role : secret_access_key) +
                  ",\"sessionToken\":" +
                  json(session_token.empty() ? "session-" + std::to_string(n) : session_token) +
                  ",\"expiration\":" + std::to_string(role_expiration_ms) + "}}"};
}

ScriptedResponse FakeSso::create_token(const RecordedRequest& request) {
  Poco::JSON::Object::Ptr body;
  try {
    body = Poco::JSON::Parser().parse(request.body).extract<Poco::JSON::Object::Ptr>();
  } catch (...) {
    return sso_oidc_error(400, "InvalidRequestException", "invalid_request", "body is not JSON");
  }
  const std::string grant = member(body, "grantType");
  std::lock_guard lock(mutex_);
  if (member(body, "clientId") != client_id || member(body, "clientSecret") != client_secret) {
    return sso_oidc_error(401, "InvalidClientException", "invalid_client", "unknown client");
  }
  if (grant == "refresh_token") {
    if (member(body, "refreshToken") != refresh_token) {
      return sso_oidc_error(400, "InvalidGrantException", "invalid_grant",
                            "Invalid refresh token provided");
    }
  } else if (grant == "urn:ietf:params:oauth:grant-type:device_code") {
    if (member(body, "deviceCode") != "device-code-1") {
      return sso_oidc_error(400, "InvalidGrantException", "invalid_grant", "unknown device code");
    }
    if (served_device_polls_ < pending_polls) {
      ++served_device_polls_;
      return sso_oidc_error(400, "AuthorizationPendingException", "authorization_pending",
                            "Authorization is still pending");
    }
  } else {
    return sso_oidc_error(400, "UnsupportedGrantTypeException", "unsupported_grant_type",
                          "unsupported grant");
  }
  const int n = ++tokens_created;
  accepted_.insert(next_access_token);
  std::string answer = "{\"accessToken\":" + json(next_access_token) +
                       ",\"tokenType\":\"Bearer\",\"expiresIn\":" + std::to_string(expires_in);
  if (rotate_refresh_token) {
    refresh_token = "refresh-" + std::to_string(n + 1);
    answer += ",\"refreshToken\":" + json(refresh_token);
  }
  answer += "}";
  return {.headers = {{"Content-Type", "application/json"}}, .body = answer};
}

ScriptedResponse FakeSso::answer(const RecordedRequest& request) {
  if (fault) {
    if (auto response = fault(request)) return *response;
  }
  if (request.method == "GET" && request.path == kSsoPortalPath) return portal(request);
  if (request.method == "POST" && request.path == "/token") return create_token(request);
  if (request.method == "POST" && request.path == "/client/register") {
    std::lock_guard lock(mutex_);
    return {.headers = {{"Content-Type", "application/json"}},
            .body = "{\"clientId\":" + json(client_id) +
                    ",\"clientSecret\":" + json(client_secret) +
                    ",\"clientIdIssuedAt\":1700000000,\"clientSecretExpiresAt\":1924991999}"};
  }
  if (request.method == "POST" && request.path == "/device_authorization") {
    return {.headers = {{"Content-Type", "application/json"}},
            .body =
                R"({"deviceCode":"device-code-1","userCode":"ABCD-EFGH",)"
                R"("verificationUri":"https://device.sso.example/",)"
                R"("verificationUriComplete":"https://device.sso.example/?user_code=ABCD-EFGH",)"
                R"("expiresIn":600,"interval":1})"};
  }
  return {.status = 404, .body = R"({"message":"no such operation"})"};
}

LoopbackServer::Handler FakeSso::handler() {
  return [this](const RecordedRequest& request) { return answer(request); };
}

}  // namespace awsauth::test
