#pragma once
/// @file sso_oidc_client.hpp
/// The IAM Identity Center OIDC service (`sso-oidc`, 2019-06-10): RegisterClient,
/// StartDeviceAuthorization and CreateToken, JSON over unsigned HTTPS POSTs, as botocore's
/// `sso-oidc` client sends them. Used to refresh cached tokens (refresh_token grant) and by
/// `awsauth sso login` (the device authorization flow).

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "awsauth/context.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/export.hpp"
#include "awsauth/http.hpp"
#include "awsauth/providers/endpoints.hpp"
#include "awsauth/providers/profile/profile.hpp"
#include "awsauth/providers/sts/retry_config.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers {

/// How an SsoOidcClient (and an SsoPortalClient) sends its calls.
struct AWSAUTH_API SsoServiceClientSettings {
  /// Base URL: `https://oidc.<region>.amazonaws.com` (from resolve_service_endpoint()), or a
  /// configured endpoint; no trailing slash.
  std::string endpoint;
  /// Deadlines; `ca_bundle` and `proxy` as for any HTTPS call.
  HttpOptions http;
  /// Which answers are retried: 500/502/503/504 (and 429/509 in legacy mode), transport errors
  /// (connect, timeout, closed), never a 4xx error answer the service models.
  RetryMode retry_mode = default_retry_mode;
  /// Attempts per call, counting the first; values below 1 mean 1.
  int max_attempts = default_max_attempts(default_retry_mode);
  /// Backoff after failed attempt n is `uniform01() * min(max_backoff, base_backoff * 2^(n-1))`.
  std::chrono::milliseconds base_backoff{1000};
  std::chrono::milliseconds max_backoff{20000};
  /// How to wait between attempts; tests inject a recorder. Default: sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
};

/// An error answer of an IAM Identity Center service (HTTP status >= 300). For SSO-OIDC the
/// OAuth `error` member (`authorization_pending`, `slow_down`, `expired_token`,
/// `invalid_grant`, ...) and `error_description` are kept; `type` is the modelled exception
/// (`AuthorizationPendingException`, from `x-amzn-ErrorType` or the body's `__type`). The
/// message names the operation, the URL (without query) and the status and quotes the
/// server's text only through printable(). Kind: NonRecoverable for 401/403 and for the OIDC
/// errors no retry can fix (invalid_grant, invalid_client, expired_token, access_denied,
/// unauthorized_client, ...); ProviderFailure otherwise (5xx after retries, slow_down,
/// authorization_pending).
class AWSAUTH_API SsoServiceError : public CredentialsError {
 public:
  SsoServiceError(ErrorKind kind, std::string provider, std::string reason, int status,
                  std::string type, std::string error, std::string description);
  [[nodiscard]] int status() const noexcept { return status_; }
  /// The exception name, e.g. "InvalidGrantException", "UnauthorizedException"; may be empty.
  [[nodiscard]] const std::string& type() const noexcept { return type_; }
  /// The OAuth error code (`error` member), e.g. "authorization_pending"; may be empty.
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  /// `error_description` (or `message`) as sent, unfiltered: pass it through printable()
  /// before showing it.
  [[nodiscard]] const std::string& description() const noexcept { return description_; }

  /// True for `authorization_pending` / AuthorizationPendingException (device flow: poll on).
  [[nodiscard]] bool authorization_pending() const noexcept;
  /// True for `slow_down` / SlowDownException (device flow: add 5 s to the interval).
  [[nodiscard]] bool slow_down() const noexcept;
  /// True for `expired_token` / ExpiredTokenException (the device code or refresh token).
  [[nodiscard]] bool expired_token() const noexcept;
  /// True for `invalid_grant` / InvalidGrantException.
  [[nodiscard]] bool invalid_grant() const noexcept;

 private:
  int status_;
  std::string type_;
  std::string error_;
  std::string description_;
};

/// CreateToken's input. `grant_type` decides which other members are sent:
/// "refresh_token" with `refresh_token`, or
/// "urn:ietf:params:oauth:grant-type:device_code" with `device_code`.
struct AWSAUTH_API CreateTokenRequest {
  std::string client_id;
  SecretString client_secret;
  std::string grant_type;
  std::optional<SecretString> device_code;
  std::optional<SecretString> refresh_token;
  std::optional<std::vector<std::string>> scope;
};

/// The device code grant type.
inline constexpr std::string_view device_code_grant_type =
    "urn:ietf:params:oauth:grant-type:device_code";
/// The refresh token grant type.
inline constexpr std::string_view refresh_token_grant_type = "refresh_token";

/// CreateToken's answer.
struct AWSAUTH_API CreateTokenResult {
  SecretString access_token;
  std::string token_type;
  std::int64_t expires_in = 0;  ///< seconds
  std::optional<SecretString> refresh_token;
  std::optional<SecretString> id_token;
};

/// RegisterClient's input.
struct AWSAUTH_API RegisterClientRequest {
  std::string client_name;
  std::string client_type = "public";
  std::optional<std::vector<std::string>> scopes;
  std::optional<std::vector<std::string>> grant_types;
  std::optional<std::vector<std::string>> redirect_uris;
  std::optional<std::string> issuer_url;
};

/// RegisterClient's answer.
struct AWSAUTH_API RegisterClientResult {
  std::string client_id;
  SecretString client_secret;
  std::int64_t client_id_issued_at = 0;       ///< seconds since the epoch
  std::int64_t client_secret_expires_at = 0;  ///< seconds since the epoch
};

/// StartDeviceAuthorization's input.
struct AWSAUTH_API StartDeviceAuthorizationRequest {
  std::string client_id;
  SecretString client_secret;
  std::string start_url;
};

/// StartDeviceAuthorization's answer.
struct AWSAUTH_API StartDeviceAuthorizationResult {
  SecretString device_code;
  std::string user_code;
  std::string verification_uri;
  std::string verification_uri_complete;
  std::int64_t expires_in = 0;  ///< seconds
  std::int64_t interval = 0;    ///< seconds between CreateToken polls; 0 when not sent
};

/// Calls SSO-OIDC: `POST <endpoint>/token`, `/client/register`, `/device_authorization` with a
/// JSON body (`Content-Type: application/json`), unsigned. Transport errors and 5xx are retried
/// per the settings; an error answer throws SsoServiceError; a 2xx answer that is not the
/// expected JSON throws CredentialsError(ProviderFailure). No message ever holds a secret
/// (client secret, device code, refresh or access token): they are also redacted from any
/// server text that is quoted. Safe to call from several threads.
class AWSAUTH_API SsoOidcClient {
 public:
  /// `provider` names the caller in errors ("sso" by default).
  SsoOidcClient(Context context, SsoServiceClientSettings settings, std::string provider = "sso");

  [[nodiscard]] CreateTokenResult create_token(const CreateTokenRequest& request) const;
  [[nodiscard]] RegisterClientResult register_client(const RegisterClientRequest& request) const;
  [[nodiscard]] StartDeviceAuthorizationResult start_device_authorization(
      const StartDeviceAuthorizationRequest& request) const;

  [[nodiscard]] const SsoServiceClientSettings& settings() const noexcept { return settings_; }

 private:
  Context context_;
  SsoServiceClientSettings settings_;
  std::string provider_;
};

/// Settings for an IAM Identity Center client of `service` (AwsService::SsoOidc or ::Sso) in
/// `region` for the selected profile (may be null): the endpoint from resolve_service_endpoint()
/// (AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL_SSO, `[services]`, FIPS, dual-stack), the
/// retry mode and attempts from AWS_RETRY_MODE / retry_mode and AWS_MAX_ATTEMPTS / max_attempts
/// (retry_config.hpp), and `ca_bundle` / AWS_CA_BUNDLE. Throws CredentialsError
/// (InvalidConfiguration) from `provider` for an invalid setting.
[[nodiscard]] AWSAUTH_API SsoServiceClientSettings sso_service_client_settings(
    const Environment& env, const ProfileSet& profiles, const Profile* profile, AwsService service,
    std::string_view region, std::string_view provider = "sso");

}  // namespace awsauth::providers
