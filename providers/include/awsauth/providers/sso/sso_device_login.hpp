#pragma once
/// @file sso_device_login.hpp
/// Signing in to IAM Identity Center with the OAuth device authorization grant, as the AWS CLI's
/// `aws sso login --use-device-code` does, writing the same cache files: the client
/// registration and the token in `~/.aws/sso/cache/`, so the AWS CLI, botocore and awsauth each
/// use what the others wrote. `awsauth sso login` is this function behind a command line.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/context.hpp"
#include "awsauth/credentials.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/profile/profile.hpp"
#include "awsauth/providers/sso/sso_oidc_client.hpp"

namespace awsauth::providers {

/// What a sign-in is for: the start URL and region, and for an `[sso-session NAME]` its name
/// and registration scopes (legacy profiles have neither).
struct AWSAUTH_API SsoLoginConfig {
  std::string start_url;
  std::string region;
  std::optional<std::string> session_name;
  std::optional<std::vector<std::string>> registration_scopes;
};

/// Reads the sign-in settings as the AWS CLI's `aws sso login` does: the sso-session named by
/// `session_override`, else by the profile's `sso_session` key, must exist and hold
/// `sso_start_url` and `sso_region` (`sso_registration_scopes` is split at commas, blanks
/// dropped); without a session the profile itself must hold both keys (legacy form). A missing
/// profile, session or key is CredentialsError(InvalidConfiguration) from provider `sso`
/// naming what is missing and what to run. `profile` may be null when the profile is absent.
[[nodiscard]] AWSAUTH_API SsoLoginConfig
sso_login_config(const ProfileSet& profiles, const Profile* profile, std::string_view profile_name,
                 const std::optional<std::string>& session_override);

/// The AWS CLI's client-registration cache key: the SHA-1 of
/// `json.dumps({"region", "scopes", "session_name", "startUrl", "tool": "botocore"},
/// sort_keys=True)`, in lowercase hex.
[[nodiscard]] AWSAUTH_API std::string sso_registration_cache_key(const SsoLoginConfig& config);

/// What the user must do to approve the sign-in.
struct AWSAUTH_API DeviceAuthorizationPrompt {
  std::string verification_uri;
  std::string user_code;
  std::string verification_uri_complete;
  TimePoint expires_at;
};

/// How sso_device_login() waits and talks to the user.
struct AWSAUTH_API SsoDeviceLoginOptions {
  /// Called once when the sign-in needs the user (never when the first CreateToken already
  /// succeeds): print the URL and code. Nothing is opened automatically.
  std::function<void(const DeviceAuthorizationPrompt&)> on_pending;
  /// How to wait between polls; default sleep_for. Tests inject a recorder.
  std::function<void(std::chrono::seconds)> sleep;
  /// Polling stops at the authorization's own expiry (StartDeviceAuthorization's `expiresIn`),
  /// or after this long when the service sent none.
  std::chrono::seconds max_wait{600};
};

/// Where the sign-in left its files.
struct AWSAUTH_API SsoDeviceLoginResult {
  std::string token_path;         ///< `<dir>/<sso_token_cache_key()>.json`
  std::string registration_path;  ///< `<dir>/<sso_registration_cache_key()>.json`
  TimePoint expires_at;           ///< of the access token
  bool registered = false;        ///< a new client was registered (none cached, or expiring)
};

/// Signs in with the device authorization grant (the AWS CLI's SSOTokenFetcher):
/// - reuses the cached client registration unless it expires within 15 minutes (or was made for
///   the authorization-code flow), else calls RegisterClient (`clientName`
///   `botocore-client-<session name or unix time>`, type `public`, the scopes) and caches
///   `clientId`, `clientSecret`, `expiresAt` (and `scopes`);
/// - StartDeviceAuthorization, one CreateToken attempt, then `on_pending` and polling every
///   `interval` seconds (5 when not sent; `slow_down` adds 5), `authorization_pending` meaning
///   go on, until the authorization expires;
/// - writes the token file: `startUrl`, `region`, `accessToken`, `expiresAt`, `clientId`,
///   `clientSecret`, `registrationExpiresAt` and `refreshToken` when sent, atomically, 0600.
/// `cache_directory` is normally default_sso_cache_directory(). Throws CredentialsError from
/// provider `sso`: NonRecoverable when the authorization expired or was denied (saying to run
/// the sign-in again), the OIDC client's errors otherwise; never with a secret in the message.
[[nodiscard]] AWSAUTH_API SsoDeviceLoginResult sso_device_login(
    const Context& context, const SsoOidcClient& oidc, const std::string& cache_directory,
    const SsoLoginConfig& config, const SsoDeviceLoginOptions& options);

}  // namespace awsauth::providers
