#pragma once
/// @file sts_client.hpp
/// Sends one STS Query call: builds the POST, signs it (or not, for web identity), retries
/// throttling and 5xx with jittered backoff, and turns STS errors into CredentialsError kinds.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/providers/sts_endpoint.hpp"
#include "awsauth/providers/sts_request.hpp"
#include "awsauth/providers/sts_response.hpp"

namespace awsauth::providers {

/// Adds SigV4 headers to an STS request. The default (`sigv4_sts_signer()`) uses awsauth's
/// public signer API with service `sts` and the endpoint's signing region.
using StsRequestSigner = std::function<void(HttpRequest& request, const Credentials& credentials,
                                            const std::string& signing_region, TimePoint now)>;

/// The default signer: awsauth::signer::sign, exactly as any user of the signer calls it.
[[nodiscard]] StsRequestSigner sigv4_sts_signer();

/// How an StsClient behaves.
struct StsClientSettings {
  StsEndpoint endpoint;
  /// Deadlines, proxy and CA bundle for STS (see sts_http_options()).
  HttpOptions http;
  /// Attempts per call, counting the first (botocore's "standard" retry mode: 3).
  int max_attempts = 3;
  /// Backoff before retry n (1-based) is `uniform01() * min(max_backoff, base_backoff * 2^(n-1))`
  /// (full jitter, botocore standard mode).
  std::chrono::milliseconds base_backoff{1000};
  std::chrono::milliseconds max_backoff{20000};
  /// How to wait between attempts; tests inject a recorder. Default: sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
  StsRequestSigner signer;
};

/// An STS error answer (HTTP status and STS's Code/Message). Its kind is NonRecoverable for
/// AccessDenied, IDPRejectedClaim, InvalidIdentityToken, MalformedPolicyDocument,
/// PackedPolicyTooLarge and RegionDisabled; ProviderFailure otherwise.
class StsServiceError : public CredentialsError {
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
[[nodiscard]] bool is_non_recoverable_sts_code(std::string_view code);
/// True for throttling codes (retried like 5xx).
[[nodiscard]] bool is_throttling_sts_code(std::string_view code);

class StsClient {
 public:
  StsClient(Context context, StsClientSettings settings);

  /// Sends `fields`, signed with `signing` or unsigned when it is null, and returns the 2xx
  /// body. `provider` names the caller in errors. Throws StsServiceError for STS error answers
  /// and CredentialsError(ProviderFailure) for transport failures after the last attempt.
  [[nodiscard]] std::string call(const FormFields& fields, const Credentials* signing,
                                 const std::string& provider) const;

  /// AssumeRole / AssumeRoleWithWebIdentity: call() then parse_sts_credentials().
  [[nodiscard]] StsCredentialsResult call_for_credentials(const FormFields& fields,
                                                          const Credentials* signing,
                                                          const std::string& provider) const;

  /// GetCallerIdentity's ARN for `credentials` (used by tests and `awsauth creds --verify`).
  [[nodiscard]] std::string caller_identity_arn(const Credentials& credentials) const;

  [[nodiscard]] const StsClientSettings& settings() const noexcept { return settings_; }

 private:
  Context context_;
  StsClientSettings settings_;
};

}  // namespace awsauth::providers
