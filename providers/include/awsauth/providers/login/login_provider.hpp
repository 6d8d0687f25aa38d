#pragma once
/// @file login_provider.hpp
/// Credentials of an `aws login` console sign-in session: a profile with `login_session`,
/// its tokens in the login token cache (login_token.hpp), refreshed through the sign-in
/// service's CreateOAuth2Token with a DPoP proof (dpop.hpp). botocore 1.43's LoginProvider
/// and LoginCredentialFetcher; see docs/sso.md, "aws login (login_session)".

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/http.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/profile/profile_files.hpp"

namespace awsauth::providers {

/// botocore's LoginCredentialFetcher._REFRESH_THRESHOLD: cached credentials with more than this
/// left are used as they are; otherwise the session is refreshed.
inline constexpr std::chrono::seconds login_refresh_threshold{300};

/// Settings of a LoginProvider.
struct AWSAUTH_API LoginProviderOptions {
  /// The profile whose region and endpoint settings the sign-in call uses (botocore's client
  /// is the session's: the selected profile, also when the login profile is a role chain's
  /// source_profile). Empty: the login profile itself.
  std::optional<std::string> client_profile;
  /// Deadlines of each attempt (connect and whole exchange); the proxy and CA bundle come from
  /// the environment and the profile as for STS (sts_http_options.hpp).
  HttpOptions http;
  /// Attempts per refresh, counting the first. Unset: `AWS_MAX_ATTEMPTS` / `max_attempts` and
  /// the retry mode's default (retry_config.hpp; legacy: 5). 5xx, 429 and transport failures
  /// are retried; every attempt carries a fresh DPoP proof.
  std::optional<int> max_attempts;
  /// Backoff after failed attempt n: `uniform01() * min(max_backoff, base_backoff * 2^(n-1))`.
  std::chrono::milliseconds base_backoff{1000};
  std::chrono::milliseconds max_backoff{20000};
  /// How to wait between attempts; tests inject a recorder. Empty: sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
};

/// Credentials from the `login_session` of `profile`.
///
/// get():
/// - NotConfigured when the profile does not exist or has no `login_session` (the chain moves
///   on, as botocore's LoginProvider returns None).
/// - Reads the session's cache file (login_cache_path) on every call: a missing or malformed
///   file is InvalidConfiguration naming the file and saying to run
///   `aws login --profile NAME`.
/// - Credentials with more than login_refresh_threshold (5 min) left are returned as cached.
/// - Otherwise (about to expire, or expired) the session is refreshed: POST
///   `<sign-in endpoint>/v1/token` (resolve_service_endpoint(..., AwsService::Signin, region):
///   `AWS_ENDPOINT_URL_SIGNIN` and the other configured-endpoint settings, else
///   `https://<region>.signin.aws.amazon.com`; the region is the client profile's, see
///   resolve_region) with `{"clientId", "grantType": "refresh_token", "refreshToken"}` and a
///   `DPoP` proof signed with the session's key; the new keys and refresh token are written
///   back to the same file atomically (0600), keeping every other field.
/// - An expired or revoked session (AccessDeniedException TOKEN_EXPIRED or
///   USER_CREDENTIALS_CHANGED) is NonRecoverable: "run `aws login --profile NAME` again";
///   INSUFFICIENT_PERMISSIONS names the signin:CreateOAuth2Token permission; another error
///   answer is NonRecoverable (4xx) or ProviderFailure (5xx / 429 after the last attempt, and
///   transport failures), naming the URL and the HTTP status. Messages never hold a token.
///
/// Credentials carry the expiry and `accessToken.accountId`, and provider name `login`. Put a
/// CachingProvider in front (the default chain's cache does): its default policy asks again
/// 5 minutes before expiry, when this provider refreshes. Thread-safe: within a process one
/// refresh runs at a time per token file, whichever provider object asks; the others wait and
/// read the refreshed file.
class AWSAUTH_API LoginProvider final : public CredentialsProvider {
 public:
  LoginProvider(Context context, std::shared_ptr<ProfileFilesLoader> files, std::string profile,
                LoginProviderOptions options = {});

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override { return std::string(provider_names::login); }

 private:
  Context context_;
  std::shared_ptr<ProfileFilesLoader> files_;
  std::string profile_;
  LoginProviderOptions options_;
};

}  // namespace awsauth::providers
