#include "awsauth/printable.hpp"
#include "awsauth/providers/sts_client.hpp"

#include <algorithm>
#include <array>
#include <thread>

namespace awsauth::providers {
namespace {

constexpr std::array<std::string_view, 6> kNonRecoverable = {
    "AccessDenied",          "IDPRejectedClaim",     "InvalidIdentityToken",
    "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabled"};

// botocore/retries/standard.py throttling codes.
constexpr std::array<std::string_view, 10> kThrottling = {
    "Throttling",         "ThrottlingException",       "ThrottledException",
    "RequestThrottledException", "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "SlowDown"};

bool transient_transport(HttpErrorKind kind) {
  return kind == HttpErrorKind::ConnectFailed || kind == HttpErrorKind::Timeout ||
         kind == HttpErrorKind::ConnectionClosed;
}


}  // namespace

bool is_non_recoverable_sts_code(std::string_view code) {
  return std::find(kNonRecoverable.begin(), kNonRecoverable.end(), code) != kNonRecoverable.end();
}

bool is_throttling_sts_code(std::string_view code) {
  return std::find(kThrottling.begin(), kThrottling.end(), code) != kThrottling.end();
}

StsServiceError::StsServiceError(ErrorKind kind, std::string provider, std::string reason,
                                 int status, std::string code)
    : CredentialsError(kind, std::move(provider), std::move(reason)),
      status_(status),
      code_(std::move(code)) {}

bool StsServiceError::expired_token() const noexcept {
  return code_ == "ExpiredToken" || code_ == "ExpiredTokenException";
}

StsClient::StsClient(Context context, StsClientSettings settings)
    : context_(std::move(context)), settings_(std::move(settings)) {
  if (!settings_.sleep) {
    settings_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  }
  settings_.max_attempts = std::max(1, settings_.max_attempts);
  if (!settings_.signer) settings_.signer = sigv4_sts_signer();
}

std::string StsClient::call(const FormFields& fields, const Credentials* signing,
                            const std::string& provider) const {
  const std::string url = settings_.endpoint.url + "/";
  const std::string shown_url = printable_url(settings_.endpoint.url);
  // STS may echo parts of the request in its message; the signing token never reaches ours.
  const std::string_view token =
      signing != nullptr ? std::string_view(signing->session_token().reveal()) : std::string_view();
  const std::string action = fields.empty() ? "?" : fields.front().second;
  std::string last_failure;
  for (int attempt = 1;; ++attempt) {
    if (attempt > 1) {
      auto cap = std::min(settings_.max_backoff,
                          settings_.base_backoff * (std::int64_t{1} << std::min(attempt - 2, 20)));
      double fraction = context_.random ? context_.random->uniform01() : 1.0;
      settings_.sleep(std::chrono::milliseconds(
          static_cast<std::int64_t>(fraction * static_cast<double>(cap.count()))));
    }
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.body = form_urlencode(fields);
    // No Host header here: the HTTP client writes it from the URL, and the signer signs the
    // same host:port it reads from the URL.
    request.headers = {{"Content-Type", std::string(kStsFormContentType)}};
    if (signing != nullptr) {
      if (!settings_.signer) {
        throw CredentialsError(ErrorKind::InvalidConfiguration, provider,
                               "no request signer configured for STS");
      }
      settings_.signer(request, *signing, settings_.endpoint.signing_region,
                       context_.clock->now());
    }

    const bool last = attempt >= settings_.max_attempts;
    HttpResponse response;
    try {
      response = context_.http->send(request, settings_.http);
    } catch (const HttpError& e) {
      last_failure = "STS " + action + " at " + shown_url + " failed: " + e.what();
      if (transient_transport(e.kind()) && !last) continue;
      throw CredentialsError(ErrorKind::ProviderFailure, provider,
                             last_failure + (attempt > 1 ? " (after " + std::to_string(attempt) +
                                                               " attempts)"
                                                         : ""));
    }
    if (response.status >= 200 && response.status < 300) return response.body;

    auto error = parse_sts_error(response.body);
    const std::string code = error ? error->code : "";
    const bool retryable = response.status >= 500 || response.status == 429 ||
                           is_throttling_sts_code(code);
    if (retryable && !last) continue;

    std::string reason =
        "STS " + action + " at " + shown_url + " answered HTTP " + std::to_string(response.status);
    if (error) {
      reason += ": " + printable(error->code, 128) + ": " + printable(redacted(error->message, token));
    } else if (!response.reason.empty()) {
      reason += " " + printable(response.reason, 128);
    }
    if (attempt > 1) reason += " (after " + std::to_string(attempt) + " attempts)";
    const ErrorKind kind =
        is_non_recoverable_sts_code(code) ? ErrorKind::NonRecoverable : ErrorKind::ProviderFailure;
    throw StsServiceError(kind, provider, reason, response.status, code);
  }
}

StsCredentialsResult StsClient::call_for_credentials(const FormFields& fields,
                                                     const Credentials* signing,
                                                     const std::string& provider) const {
  const std::string body = call(fields, signing, provider);
  try {
    return parse_sts_credentials(body);
  } catch (const StsParseError& e) {
    throw CredentialsError(ErrorKind::ProviderFailure, provider,
                           std::string(e.what()) + " (from " + printable_url(settings_.endpoint.url) +
                               ")");
  }
}

std::string StsClient::caller_identity_arn(const Credentials& credentials) const {
  const std::string body = call(get_caller_identity_fields(), &credentials, "sts");
  try {
    return parse_caller_identity_arn(body);
  } catch (const StsParseError& e) {
    throw CredentialsError(ErrorKind::ProviderFailure, "sts", e.what());
  }
}

}  // namespace awsauth::providers
