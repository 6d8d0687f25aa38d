#pragma once
/// @file sso_portal_client.hpp
/// The IAM Identity Center portal (`sso`, 2019-06-10): GetRoleCredentials, the call that turns
/// an access token into a role's short-term credentials, as botocore's `sso` client sends it.

#include <string>
#include <string_view>

#include "awsauth/context.hpp"
#include "awsauth/credentials.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/sso/sso_oidc_client.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers {

/// GetRoleCredentials' `roleCredentials`.
struct AWSAUTH_API SsoRoleCredentials {
  std::string access_key_id;
  SecretString secret_access_key;
  SecretString session_token;
  /// `expiration` (epoch milliseconds) cut to whole seconds, as botocore's
  /// SSOCredentialFetcher formats it (`%Y-%m-%dT%H:%M:%SZ`).
  TimePoint expiration;
};

/// Calls the portal: `GET <endpoint>/federation/credentials?account_id=..&role_name=..` with the
/// access token in `x-amz-sso_bearer_token`, unsigned. Transport errors, 5xx and 429 are
/// retried per the settings (bounded by `max_attempts`); an error answer throws SsoServiceError
/// (401/403, UnauthorizedException: NonRecoverable; the caller tells the user to sign in again);
/// an answer without the four credential fields throws CredentialsError(ProviderFailure).
/// Messages name the URL (without its query) and the status, never the token.
class AWSAUTH_API SsoPortalClient {
 public:
  SsoPortalClient(Context context, SsoServiceClientSettings settings, std::string provider = "sso");

  [[nodiscard]] SsoRoleCredentials get_role_credentials(std::string_view account_id,
                                                        std::string_view role_name,
                                                        const SecretString& access_token) const;

  [[nodiscard]] const SsoServiceClientSettings& settings() const noexcept { return settings_; }

 private:
  Context context_;
  SsoServiceClientSettings settings_;
  std::string provider_;
};

}  // namespace awsauth::providers
