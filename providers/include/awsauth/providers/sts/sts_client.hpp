#pragma once
/// @file sts_client.hpp
/// Sends one STS Query call: builds the POST, signs it (or not, for web identity), retries
/// under botocore's standard or legacy rules (retry_config.hpp) with jittered backoff, and turns
/// STS errors into CredentialsError kinds.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/context.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/export.hpp"
#include "awsauth/http.hpp"
#include "awsauth/providers/detail/sts_endpoint.hpp"
#include "awsauth/providers/detail/sts_request.hpp"
#include "awsauth/providers/detail/sts_response.hpp"
#include "awsauth/providers/sts/retry_config.hpp"

namespace awsauth::providers {

/// Adds SigV4 headers to an STS request. The default (`sigv4_sts_signer()`) uses awsauth's
/// public signer API with service `sts` and the endpoint's signing region.
using StsRequestSigner = std::function<void(HttpRequest& request, const Credentials& credentials,
                                            const std::string& signing_region, TimePoint now)>;

/// The default signer: awsauth::signer::sign, exactly as any user of the signer calls it.
[[nodiscard]] AWSAUTH_API StsRequestSigner sigv4_sts_signer();

/// How an StsClient behaves.
struct AWSAUTH_API StsClientSettings {
  StsEndpoint endpoint;
  /// Deadlines, proxy and CA bundle for STS (see sts_http_options()).
  HttpOptions http;
  /// Which answers are retried (retry_config.hpp). Set here it wins over `AWS_RETRY_MODE` /
  /// `retry_mode`, as botocore's `Config(retries={'mode': ...})` does. Unset: make_sts_client()
  /// resolves those (default legacy, as botocore 1.43); a client constructed directly uses
  /// Standard.
  std::optional<RetryMode> retry_mode;
  /// Attempts per call, counting the first; values below 1 mean 1. Set here it wins over
  /// `AWS_MAX_ATTEMPTS` / `max_attempts`. Unset: make_sts_client() resolves those; otherwise the
  /// mode's default (standard 3, legacy 5). StsClient's settings() always has both set.
  std::optional<int> max_attempts;
  /// Backoff after failed attempt n (1-based) is
  /// `uniform01() * min(max_backoff, base_backoff * 2^(n-1))`, in both modes (full jitter;
  /// botocore's legacy delay `rand * 2^(n-1)` is the same formula without the cap).
  std::chrono::milliseconds base_backoff{1000};
  std::chrono::milliseconds max_backoff{20000};
  /// How to wait between attempts; tests inject a recorder. Default: sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
  StsRequestSigner signer;
};

/// An STS error answer (HTTP status and STS's Code/Message). Its kind is NonRecoverable for
/// AccessDenied, IDPRejectedClaim, InvalidIdentityToken, MalformedPolicyDocument,
/// PackedPolicyTooLarge and RegionDisabled; ProviderFailure otherwise.
class AWSAUTH_API StsServiceError : public CredentialsError {
 public:
  StsServiceError(ErrorKind kind, std::string provider, std::string reason, int status,
                  std::string code);
  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  /// True for ExpiredToken / ExpiredTokenException: the *signing* credentials were stale.
  [[nodiscard]] bool expired_token() const noexcept;

 private:
  int status_;
  std::string code_;
};

/// True for the STS error codes no retry can fix.
[[nodiscard]] AWSAUTH_API bool is_non_recoverable_sts_code(std::string_view code);
/// True for throttling codes: botocore standard mode's list (retries/standard.py
/// ThrottledRetryableChecker), retried in standard mode whatever the HTTP status.
[[nodiscard]] AWSAUTH_API bool is_throttling_sts_code(std::string_view code);

/// Whether an STS error answer (HTTP status, and STS's error code or "" when the body has none)
/// may be retried under `mode` (attempts and quota aside). Never for a non-recoverable code.
/// - Standard: HTTP 500/502/503/504; a throttling code; RequestTimeout,
///   RequestTimeoutException, PriorRequestNotComplete; IDPCommunicationError.
/// - Legacy (_retry.json for STS): HTTP 500/502/503/504/509/429; with HTTP 400 only: Throttling,
///   ThrottlingException, ThrottledException, RequestThrottledException,
///   ProvisionedThroughputExceededException, IDPCommunicationError.
[[nodiscard]] AWSAUTH_API bool is_retryable_sts_answer(RetryMode mode, int status,
                                                       std::string_view code);

/// Whether a transport failure may be retried (both modes): connect failure, timeout, connection
/// closed. TLS, protocol and size errors are not.
[[nodiscard]] AWSAUTH_API bool is_retryable_transport_error(HttpErrorKind kind);

namespace detail {
class RetryQuota;
}

class AWSAUTH_API StsClient {
 public:
  StsClient(Context context, StsClientSettings settings);

  /// Sends `fields`, signed with `signing` or unsigned when it is null, and returns the 2xx
  /// body. `provider` names the caller in errors. Throws StsServiceError for STS error answers
  /// and CredentialsError(ProviderFailure) for transport failures after the last attempt.
  /// Thread-safe; in standard mode all calls of this client (and of its copies) share one retry
  /// quota: 500 tokens, 5 per retry (10 after a timeout), given back on success.
  [[nodiscard]] std::string call(const FormFields& fields, const Credentials* signing,
                                 const std::string& provider) const;

  /// AssumeRole / AssumeRoleWithWebIdentity: call() then parse_sts_credentials().
  [[nodiscard]] StsCredentialsResult call_for_credentials(const FormFields& fields,
                                                          const Credentials* signing,
                                                          const std::string& provider) const;

  /// GetCallerIdentity's ARN for `credentials` (used by tests and `awsauth creds --verify`).
  [[nodiscard]] std::string caller_identity_arn(const Credentials& credentials) const;

  [[nodiscard]] const StsClientSettings& settings() const noexcept { return settings_; }

  /// Tokens left in the retry quota (standard mode; legacy mode never takes any).
  [[nodiscard]] int retry_quota_available() const;

 private:
  Context context_;
  StsClientSettings settings_;
  std::shared_ptr<detail::RetryQuota> quota_;
};

}  // namespace awsauth::providers
