// One IAM Identity Center call with botocore's retries and rest-json error parsing.
#include "sso/sso_service_call.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <thread>

#include "awsauth/printable.hpp"
#include "awsauth/providers/sts/sts_client.hpp"

namespace awsauth::providers::detail {
namespace {

struct ErrorBody {
  std::string type;
  std::string error;
  std::string description;
};

std::string string_member(const Poco::JSON::Object& o, const char* name) {
  if (!o.has(name)) return {};
  const Poco::Dynamic::Var v = o.get(name);
  return v.isString() ? v.extract<std::string>() : std::string();
}

// botocore's RestJSONParser: the code from `x-amzn-ErrorType` (up to ':'), else the body's
// `__type` / `code` (after '#'); the message from `message` / `Message`. SSO-OIDC adds the
// OAuth `error` and `error_description` members.
ErrorBody parse_error_body(const HttpResponse& response) {
  ErrorBody out;
  if (const std::string* header = find_header(response.headers, "x-amzn-ErrorType")) {
    out.type = header->substr(0, header->find(':'));
  }
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var root = parser.parse(response.body);
    if (root.type() == typeid(Poco::JSON::Object::Ptr)) {
      const auto object = root.extract<Poco::JSON::Object::Ptr>();
      if (out.type.empty()) {
        std::string type = string_member(*object, "__type");
        if (type.empty()) type = string_member(*object, "code");
        out.type = type.substr(type.find('#') == std::string::npos ? 0 : type.find('#') + 1);
      }
      out.error = string_member(*object, "error");
      out.description = string_member(*object, "error_description");
      if (out.description.empty()) out.description = string_member(*object, "message");
      if (out.description.empty()) out.description = string_member(*object, "Message");
    }
  } catch (...) {  // not JSON: the status says enough
  }
  return out;
}

// OAuth / modelled errors that no retry and no waiting fixes.
bool non_recoverable(int status, const ErrorBody& e) {
  if (status == 401 || status == 403) return true;
  static constexpr std::string_view kFinal[] = {"invalid_grant",
                                                "invalid_client",
                                                "expired_token",
                                                "access_denied",
                                                "invalid_scope",
                                                "unauthorized_client",
                                                "unsupported_grant_type",
                                                "invalid_request",
                                                "InvalidGrantException",
                                                "InvalidClientException",
                                                "ExpiredTokenException",
                                                "AccessDeniedException",
                                                "UnauthorizedClientException",
                                                "UnauthorizedException",
                                                "InvalidScopeException",
                                                "UnsupportedGrantTypeException",
                                                "InvalidRequestException",
                                                "InvalidClientMetadataException",
                                                "ResourceNotFoundException"};
  return std::any_of(std::begin(kFinal), std::end(kFinal),
                     [&](std::string_view code) { return code == e.error || code == e.type; });
}

std::string without_secrets(std::string text, const std::vector<std::string_view>& secrets) {
  for (const auto secret : secrets) text = redacted(std::move(text), secret);
  return text;
}

}  // namespace

std::string describe_sso_call(const SsoServiceCall& call) {
  return call.service + " " + call.operation + " at " + printable_url(call.request.url);
}

HttpResponse send_sso_service_call(const Context& context, const SsoServiceClientSettings& settings,
                                   const std::string& provider, const SsoServiceCall& call) {
  const int max_attempts = std::max(1, settings.max_attempts);
  auto backoff = [&](int attempt) {
    if (attempt >= max_attempts) return false;
    const auto cap =
        std::min(settings.max_backoff,
                 settings.base_backoff * (std::int64_t{1} << std::min(attempt - 1, 20)));
    const double fraction = context.random ? context.random->uniform01() : 1.0;
    const std::chrono::milliseconds pause(
        static_cast<std::int64_t>(fraction * static_cast<double>(cap.count())));
    if (settings.sleep) {
      settings.sleep(pause);
    } else {
      std::this_thread::sleep_for(pause);
    }
    return true;
  };
  auto attempts_note = [](int attempt) {
    return attempt > 1 ? " (after " + std::to_string(attempt) + " attempts)" : std::string();
  };

  for (int attempt = 1;; ++attempt) {
    HttpResponse response;
    try {
      response = context.http->send(call.request, settings.http);
    } catch (const HttpError& e) {
      if (is_retryable_transport_error(e.kind()) && backoff(attempt)) continue;
      throw CredentialsError::provider_failure(
          provider, describe_sso_call(call) + " failed: " + e.reason() + attempts_note(attempt));
    }
    if (response.status >= 200 && response.status < 300) return response;

    ErrorBody error = parse_error_body(response);
    const std::string code = error.type.empty() ? error.error : error.type;
    if (is_retryable_sts_answer(settings.retry_mode, response.status, code) && backoff(attempt)) {
      continue;
    }
    // Appends, not `": " + ...` (GCC 12 -Wrestrict, PR105651).
    std::string reason = describe_sso_call(call);
    reason.append(" answered HTTP ").append(std::to_string(response.status));
    if (!error.type.empty()) reason.append(": ").append(printable(error.type, 128));
    if (!error.error.empty()) {
      reason.append(error.type.empty() ? ": " : " ").append(printable(error.error, 128));
    }
    if (!error.description.empty()) {
      reason.append(": ").append(printable(without_secrets(error.description, call.secrets), 256));
    }
    if (error.type.empty() && error.error.empty() && !response.reason.empty()) {
      reason.append(" ").append(printable(response.reason, 128));
    }
    reason += attempts_note(attempt);
    const ErrorKind kind = non_recoverable(response.status, error) ? ErrorKind::NonRecoverable
                                                                   : ErrorKind::ProviderFailure;
    throw SsoServiceError(kind, provider, reason, response.status, std::move(error.type),
                          std::move(error.error),
                          without_secrets(std::move(error.description), call.secrets));
  }
}

}  // namespace awsauth::providers::detail
