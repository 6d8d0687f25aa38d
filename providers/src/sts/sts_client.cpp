#include "awsauth/providers/sts/sts_client.hpp"

#include <algorithm>
#include <array>
#include <thread>

#include "awsauth/printable.hpp"
#include "sts/retry_quota.hpp"

namespace awsauth::providers {
namespace {

constexpr std::array<std::string_view, 6> kNonRecoverable = {
    "AccessDenied",         "IDPRejectedClaim", "InvalidIdentityToken", "MalformedPolicyDocument",
    "PackedPolicyTooLarge", "RegionDisabled"};

// botocore/retries/standard.py ThrottledRetryableChecker._THROTTLED_ERROR_CODES.
constexpr std::array<std::string_view, 14> kThrottling = {"Throttling",
                                                          "ThrottlingException",
                                                          "ThrottledException",
                                                          "RequestThrottledException",
                                                          "TooManyRequestsException",
                                                          "ProvisionedThroughputExceededException",
                                                          "TransactionInProgressException",
                                                          "RequestLimitExceeded",
                                                          "BandwidthLimitExceeded",
                                                          "LimitExceededException",
                                                          "RequestThrottled",
                                                          "SlowDown",
                                                          "PriorRequestNotComplete",
                                                          "EC2ThrottledException"};

// botocore/retries/standard.py TransientRetryableChecker._TRANSIENT_ERROR_CODES.
constexpr std::array<std::string_view, 3> kTransient = {"RequestTimeout", "RequestTimeoutException",
                                                        "PriorRequestNotComplete"};

// botocore/data/_retry.json: the `__default__` policies that match a code (each only with HTTP
// 400), plus STS's own `idp_unreachable_error`. The other services' entries do not apply to STS.
constexpr std::array<std::string_view, 6> kLegacyCodesWith400 = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "ProvisionedThroughputExceededException",
    "IDPCommunicationError"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

}  // namespace

bool is_non_recoverable_sts_code(std::string_view code) { return contains(kNonRecoverable, code); }

bool is_throttling_sts_code(std::string_view code) { return contains(kThrottling, code); }

bool is_retryable_sts_answer(RetryMode mode, int status, std::string_view code) {
  if (is_non_recoverable_sts_code(code)) return false;
  switch (mode) {
    case RetryMode::Standard:
      // TransientRetryableChecker, ThrottledRetryableChecker, special.RetryIDPCommunicationError
      // (STS models no retryable error shapes, so ModeledRetryableChecker never applies).
      return status == 500 || status == 502 || status == 503 || status == 504 ||
             is_throttling_sts_code(code) || contains(kTransient, code) ||
             code == "IDPCommunicationError";
    case RetryMode::Legacy:
      // _retry.json general_server_error, bad_gateway, service_unavailable, gateway_timeout,
      // limit_exceeded (509), too_many_requests (429): any code.
      return status == 500 || status == 502 || status == 503 || status == 504 || status == 509 ||
             status == 429 || (status == 400 && contains(kLegacyCodesWith400, code));
  }
  return false;
}

bool is_retryable_transport_error(HttpErrorKind kind) {
  // standard: ConnectionError / HTTPClientError; legacy: GENERAL_CONNECTION_ERROR.
  return kind == HttpErrorKind::ConnectFailed || kind == HttpErrorKind::Timeout ||
         kind == HttpErrorKind::ConnectionClosed;
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
    : context_(std::move(context)),
      settings_(std::move(settings)),
      quota_(std::make_shared<detail::RetryQuota>()) {
  if (!settings_.sleep) {
    settings_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  }
  // Built directly, with no mode given: standard, awsauth's rules before the mode was settable.
  if (!settings_.retry_mode) settings_.retry_mode = RetryMode::Standard;
  settings_.max_attempts =
      std::max(1, settings_.max_attempts.value_or(default_max_attempts(*settings_.retry_mode)));
  if (!settings_.signer) settings_.signer = sigv4_sts_signer();
}

int StsClient::retry_quota_available() const { return quota_->available(); }

std::string StsClient::call(const FormFields& fields, const Credentials* signing,
                            const std::string& provider) const {
  const std::string url = settings_.endpoint.url + "/";
  const std::string shown_url = printable_url(settings_.endpoint.url);
  // STS may echo parts of the request in its message; the signing token never reaches ours.
  const std::string_view token =
      signing != nullptr ? std::string_view(signing->session_token().reveal()) : std::string_view();
  const std::string action = fields.empty() ? "?" : fields.front().second;
  const RetryMode mode = *settings_.retry_mode;
  const int max_attempts = *settings_.max_attempts;
  // What this call's last retry took from the quota; given back when the call succeeds.
  int quota_taken = 0;
  bool quota_exhausted = false;

  // After failed attempt `attempt`: whether another may follow, and if so wait for it.
  auto retry_after = [&](int attempt, int quota_cost) {
    if (attempt >= max_attempts) return false;
    if (mode == RetryMode::Standard) {
      if (!quota_->acquire(quota_cost)) {
        quota_exhausted = true;
        return false;
      }
      quota_taken = quota_cost;
    }
    const auto cap =
        std::min(settings_.max_backoff,
                 settings_.base_backoff * (std::int64_t{1} << std::min(attempt - 1, 20)));
    const double fraction = context_.random ? context_.random->uniform01() : 1.0;
    settings_.sleep(std::chrono::milliseconds(
        static_cast<std::int64_t>(fraction * static_cast<double>(cap.count()))));
    return true;
  };
  auto attempts_note = [&](int attempt) -> std::string {
    std::string note;
    if (attempt > 1) note = "after " + std::to_string(attempt) + " attempts";
    if (quota_exhausted) note += std::string(note.empty() ? "" : "; ") + "retry quota exhausted";
    return note.empty() ? note : " (" + note + ")";
  };

  for (int attempt = 1;; ++attempt) {
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.body = form_urlencode(fields);
    // No Host header here: the HTTP client writes it from the URL, and the signer signs the
    // same host:port it reads from the URL.
    request.headers = {{"Content-Type", std::string(kStsFormContentType)}};
    if (signing != nullptr) {
      if (!settings_.signer) {
        throw CredentialsError::invalid_configuration(provider,
                                                      "no request signer configured for STS");
      }
      settings_.signer(request, *signing, settings_.endpoint.signing_region, context_.clock->now());
    }

    HttpResponse response;
    try {
      response = context_.http->send(request, settings_.http);
    } catch (const HttpError& e) {
      // botocore charges a timeout (ConnectTimeoutError, ReadTimeoutError) double.
      const int cost = e.kind() == HttpErrorKind::Timeout ? detail::RetryQuota::timeout_retry_cost
                                                          : detail::RetryQuota::retry_cost;
      if (is_retryable_transport_error(e.kind()) && retry_after(attempt, cost)) continue;
      std::string reason = "STS " + action;
      reason.append(" at ").append(shown_url).append(" failed: ").append(e.reason());
      reason += attempts_note(attempt);
      throw CredentialsError::provider_failure(provider, reason);
    }
    if (response.status >= 200 && response.status < 300) {
      if (mode == RetryMode::Standard) {
        quota_->release(quota_taken > 0 ? quota_taken : detail::RetryQuota::no_retry_increment);
      }
      return response.body;
    }

    auto error = parse_sts_error(response.body);
    const std::string code = error ? error->code : "";
    if (is_retryable_sts_answer(mode, response.status, code) &&
        retry_after(attempt, detail::RetryQuota::retry_cost)) {
      continue;
    }

    std::string reason = "STS " + action;
    reason.append(" at ").append(shown_url).append(" answered HTTP ");
    reason += std::to_string(response.status);
    if (error) {
      reason +=
          ": " + printable(error->code, 128) + ": " + printable(redacted(error->message, token));
    } else if (!response.reason.empty()) {
      reason += " " + printable(response.reason, 128);
    }
    reason += attempts_note(attempt);
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
    throw CredentialsError::provider_failure(
        provider, std::string(e.what()) + " (from " + printable_url(settings_.endpoint.url) + ")");
  }
}

std::string StsClient::caller_identity_arn(const Credentials& credentials) const {
  const std::string body = call(get_caller_identity_fields(), &credentials, "sts");
  try {
    return parse_caller_identity_arn(body);
  } catch (const StsParseError& e) {
    throw CredentialsError::provider_failure("sts", e.what());
  }
}

}  // namespace awsauth::providers
