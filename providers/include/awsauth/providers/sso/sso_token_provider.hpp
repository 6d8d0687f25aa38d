#pragma once
/// @file sso_token_provider.hpp
/// The access token of an IAM Identity Center session, read from the AWS CLI's token cache and
/// refreshed as botocore's tokens.SSOTokenProvider refreshes it.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/credentials.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/sso/sso_oidc_client.hpp"
#include "awsauth/providers/sso/sso_token_cache.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers {

/// A bearer token for the portal and when it expires.
struct AWSAUTH_API SsoAccessToken {
  SecretString token;
  TimePoint expires_at;
};

/// Which token to read, and how to refresh it.
struct AWSAUTH_API SsoTokenSettings {
  /// The profile the token is for, for messages (`aws sso login --profile NAME`).
  std::string profile;
  /// The sso-session name (`sso_session` profiles); nullopt for a legacy profile, whose token
  /// is keyed by its start URL and never refreshed (botocore's legacy flow).
  std::optional<std::string> session_name;
  std::string start_url;
  std::string region;  ///< `sso_region`: written into a refreshed token's `region`
  /// A token with less than this left is refreshed first (botocore SSOTokenProvider
  /// `_REFRESH_WINDOW`, 15 minutes).
  std::chrono::seconds refresh_window{std::chrono::minutes(15)};
};

/// Returns the session's access token. Each token() call reads the cache file again (so a new
/// `aws sso login` is seen at once) and, for an sso-session token with less than
/// `refresh_window` left, refreshes it first when the file holds a refresh token and a client
/// registration that has not expired (`refreshToken`, `clientId`, `clientSecret`,
/// `registrationExpiresAt`): CreateToken(refresh_token) at SSO-OIDC, then the file is rewritten
/// atomically with the new `accessToken` / `expiresAt` (and `refreshToken` when one came back;
/// removed when none did, as botocore does), every other member kept as it was.
///
/// A refresh that fails while the cached token is still valid is not an error: the cached token
/// is returned (botocore keeps it too). An expired token that was not, or could not be,
/// refreshed throws CredentialsError telling the user to run `aws sso login --profile NAME` or
/// `awsauth sso login --profile NAME` (InvalidConfiguration; the refresh's own kind and reason
/// when a refresh was tried and failed). A missing or malformed cache file throws
/// InvalidConfiguration naming the file.
///
/// Refreshes are single flight per cache file within a process: concurrent token() calls (from
/// any number of providers) for the same session wait for one refresh and then read its result.
class AWSAUTH_API SsoTokenProvider {
 public:
  /// `oidc` may be null for a legacy token (never refreshed).
  SsoTokenProvider(Context context, SsoTokenSettings settings, SsoTokenCache cache,
                   std::shared_ptr<const SsoOidcClient> oidc);

  [[nodiscard]] SsoAccessToken token() const;

  [[nodiscard]] const SsoTokenSettings& settings() const noexcept { return settings_; }
  /// The cache file this provider reads.
  [[nodiscard]] std::string cache_path() const;

 private:
  Context context_;
  SsoTokenSettings settings_;
  SsoTokenCache cache_;
  std::shared_ptr<const SsoOidcClient> oidc_;
};

/// "run `aws sso login --profile NAME` (or `awsauth sso login --profile NAME`)": what every SSO
/// message asks the user to do.
[[nodiscard]] AWSAUTH_API std::string sso_login_hint(const std::string& profile);

}  // namespace awsauth::providers
