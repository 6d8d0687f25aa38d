#include "login/signin_token_client.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <thread>

#include "awsauth/detail/json.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/sts/sts_client.hpp"

namespace awsauth::providers::detail {
namespace {

constexpr std::string_view kProvider = provider_names::login;

std::string relogin(const LoginTokenOrigin& origin) {
  return "run `aws login --profile " + origin.profile + "` to sign in again";
}

// The rest-json error code: the `x-amzn-errortype` header, else the body's `__type` or `code`,
// without a namespace (`aws.signin#AccessDeniedException`) or a `:url` suffix (botocore's
// RestJSONParser).
std::string error_code(const HttpResponse& response, const Poco::JSON::Object::Ptr& body) {
  std::string code;
  if (const std::string* header = find_header(response.headers, "x-amzn-errortype")) {
    code = *header;
  } else if (body) {
    for (const char* key : {"__type", "code"}) {
      if (body->has(key) && body->get(key).isString()) {
        code = body->getValue<std::string>(key);
        break;
      }
    }
  }
  code = code.substr(0, code.find(':'));
  if (const auto hash = code.rfind('#'); hash != std::string::npos) code = code.substr(hash + 1);
  return code;
}

Poco::JSON::Object::Ptr parse_body(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(text);
    if (root.type() == typeid(Poco::JSON::Object::Ptr)) {
      return root.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception&) {
  }
  return nullptr;
}

std::string body_string(const Poco::JSON::Object::Ptr& body, const char* key) {
  if (body && body->has(key) && body->get(key).isString()) return body->getValue<std::string>(key);
  return {};
}

[[noreturn]] void error_answer(const HttpResponse& response, const std::string& url,
                               const SigninRefreshRequest& request, const LoginTokenOrigin& origin,
                               int attempts) {
  const Poco::JSON::Object::Ptr body = parse_body(response.body);
  const std::string code = error_code(response, body);
  const std::string error = body_string(body, "error");
  // The service may echo what it was sent: never let the refresh token into a message.
  const std::string message =
      printable(redacted(body_string(body, "message"), request.refresh_token.reveal()), 200);
  std::string what = "the sign-in service at " + printable_url(url) + " answered HTTP " +
                     std::to_string(response.status);
  if (!code.empty()) what += " " + printable(code, 100);
  if (!error.empty()) what += " (" + printable(error, 100) + ")";
  if (!message.empty()) what += ": " + message;

  if (code == "AccessDeniedException") {
    // botocore: TOKEN_EXPIRED / USER_CREDENTIALS_CHANGED -> LoginRefreshRequired,
    // INSUFFICIENT_PERMISSIONS -> LoginInsufficientPermissions, anything else -> LoginError.
    if (error == "TOKEN_EXPIRED" || error == "USER_CREDENTIALS_CHANGED") {
      throw CredentialsError::non_recoverable(
          kProvider, "the console login session of profile `" + origin.profile +
                         "` has expired or its credentials have changed (" + what + "); " +
                         relogin(origin));
    }
    if (error == "INSUFFICIENT_PERMISSIONS") {
      throw CredentialsError::non_recoverable(
          kProvider, "the console login session of profile `" + origin.profile +
                         "` cannot be refreshed: insufficient permissions, the signed-in "
                         "identity may be missing permission for the "
                         "'signin:CreateOAuth2Token' action (" +
                         what + ")");
    }
  }
  if (response.status >= 500 || response.status == 429) {
    throw CredentialsError::provider_failure(
        kProvider, what + " (after " + std::to_string(attempts) +
                       (attempts == 1 ? " attempt" : " attempts") + "); the login session in " +
                       origin.path + " was not refreshed");
  }
  throw CredentialsError::non_recoverable(
      kProvider, "refreshing the console login session of profile `" + origin.profile +
                     "` failed: " + what + "; if this persists, " + relogin(origin));
}

// A context built by hand may leave `random` empty; a jti must still be unique.
std::string new_jti(const Context& context) {
  if (context.random) return random_uuid4(*context.random);
  static SystemRandom fallback;
  return random_uuid4(fallback);
}

LoginTokenRefresh parse_answer(const HttpResponse& response, const std::string& url, TimePoint now,
                               const LoginTokenOrigin& origin) {
  auto invalid = [&](const std::string& what) -> CredentialsError {
    return CredentialsError::provider_failure(
        kProvider, "the sign-in service at " + printable_url(url) + " answered HTTP " +
                       std::to_string(response.status) + " with " + what +
                       ", not a token; if this persists, " + relogin(origin));
  };
  const Poco::JSON::Object::Ptr body = parse_body(response.body);
  if (!body) throw invalid("a body that is not a JSON object");
  auto text = [&](const Poco::JSON::Object& object, const char* key,
                  const std::string& where) -> std::string {
    if (!object.has(key) || !object.get(key).isString()) {
      throw invalid("no string " + where + key);
    }
    return object.getValue<std::string>(key);
  };
  if (!body->has("accessToken") ||
      body->get("accessToken").type() != typeid(Poco::JSON::Object::Ptr)) {
    throw invalid("no accessToken object");
  }
  const auto access = body->getObject("accessToken");
  LoginTokenRefresh out;
  out.access_key_id = text(*access, "accessKeyId", "accessToken.");
  out.secret_access_key = SecretString(text(*access, "secretAccessKey", "accessToken."));
  out.session_token = SecretString(text(*access, "sessionToken", "accessToken."));
  out.refresh_token = SecretString(text(*body, "refreshToken", ""));
  if (!body->has("expiresIn") || !body->get("expiresIn").isInteger()) {
    throw invalid("no whole-number expiresIn");
  }
  const auto expires_in = body->get("expiresIn").convert<Poco::Int64>();
  if (expires_in <= 0 || expires_in > 366LL * 24 * 3600) {
    throw invalid("expiresIn = " + std::to_string(expires_in));
  }
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    throw invalid("an empty accessToken.accessKeyId or accessToken.secretAccessKey");
  }
  // botocore: now + expiresIn, written with whole seconds.
  out.expires_at =
      std::chrono::time_point_cast<std::chrono::seconds>(now) + std::chrono::seconds(expires_in);
  return out;
}

}  // namespace

LoginTokenRefresh refresh_login_session(const Context& context,
                                        const SigninClientSettings& settings,
                                        const SigninRefreshRequest& request, const DpopKey& key,
                                        const LoginTokenOrigin& origin) {
  std::string base = request.endpoint_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string url = base + std::string(kSigninTokenPath);

  // The operation's payload member (tokenInput) is the whole body.
  std::string body = R"({"clientId":)";
  awsauth::detail::append_json_string(body, request.client_id);
  body += R"(,"grantType":"refresh_token","refreshToken":)";
  awsauth::detail::append_json_string(body, request.refresh_token.reveal());
  body += "}";
  const SecretString body_secret(std::move(body));

  const int attempts = std::max(1, settings.max_attempts);
  for (int attempt = 1;; ++attempt) {
    HttpRequest http;
    http.method = "POST";
    http.url = url;
    http.body = body_secret.reveal();
    const TimePoint sent = context.clock->now();
    const auto iat =
        std::chrono::duration_cast<std::chrono::seconds>(sent.time_since_epoch()).count();
    // A fresh proof (new jti, current iat) for every attempt: a DPoP proof is single-use.
    http.headers = {{"Content-Type", "application/json"},
                    {"DPoP", build_dpop_proof(key, url, iat, new_jti(context))}};

    bool retry = false;
    std::optional<HttpResponse> response;
    std::string transport_error;
    try {
      response = context.http->send(http, settings.http);
    } catch (const HttpError& e) {
      transport_error = e.reason();
      retry = is_retryable_transport_error(e.kind());
      if (!retry || attempt >= attempts) {
        wipe_string(http.body);
        throw CredentialsError::provider_failure(
            kProvider, "cannot reach the sign-in service at " + printable_url(url) + ": " +
                           printable(transport_error, 200) + " (after " + std::to_string(attempt) +
                           (attempt == 1 ? " attempt" : " attempts") + "); the login session in " +
                           origin.path + " was not refreshed");
      }
    }
    wipe_string(http.body);
    if (response) {
      if (response->status >= 200 && response->status < 300) {
        LoginTokenRefresh refreshed = parse_answer(*response, url, context.clock->now(), origin);
        wipe_string(response->body);
        return refreshed;
      }
      retry = is_retryable_sts_answer(settings.mode, response->status,
                                      error_code(*response, parse_body(response->body)));
      if (!retry || attempt >= attempts) error_answer(*response, url, request, origin, attempt);
    }
    const auto cap =
        std::min(settings.max_backoff,
                 settings.base_backoff * (std::int64_t{1} << std::min(attempt - 1, 20)));
    const double fraction = context.random ? context.random->uniform01() : 1.0;
    const std::chrono::milliseconds delay(
        static_cast<std::int64_t>(fraction * static_cast<double>(cap.count())));
    if (settings.sleep) {
      settings.sleep(delay);
    } else {
      std::this_thread::sleep_for(delay);
    }
  }
}

}  // namespace awsauth::providers::detail
