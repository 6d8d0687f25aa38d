#pragma once
/// @file sso_provider.hpp
/// IAM Identity Center (SSO) credentials: a profile written by `aws configure sso` (the
/// `sso_session` form or the legacy `sso_start_url` form), its token from the AWS CLI's cache,
/// the role's credentials from the portal's GetRoleCredentials (botocore SSOProvider).

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/detail/profile_plan.hpp"
#include "awsauth/providers/profile/profile.hpp"
#include "awsauth/providers/profile/profile_files.hpp"
#include "awsauth/providers/sso/sso_portal_client.hpp"
#include "awsauth/providers/sso/sso_token_provider.hpp"

namespace awsauth::providers {

/// Options of an SsoProvider.
struct AWSAUTH_API SsoProviderOptions {
  /// The token cache directory; empty: `~/.aws/sso/cache` (HOME from the context's
  /// environment).
  std::string cache_directory;
  /// Refresh a token with less than this left (botocore: 15 minutes).
  std::chrono::seconds token_refresh_window{std::chrono::minutes(15)};
  /// Deadlines, retries and backoff of the portal and SSO-OIDC calls. Their endpoints are
  /// resolved by make_sso_provider() from the selected profile; set here they are used as they
  /// are (a test's loopback server).
  std::optional<SsoServiceClientSettings> portal;
  std::optional<SsoServiceClientSettings> oidc;
};

/// Credentials for one SSO role: `get()` takes the session's access token (SsoTokenProvider,
/// refreshing it for an `sso_session` profile) and calls GetRoleCredentials for
/// `sso_account_id` / `sso_role_name`. The credentials carry their expiration and the account
/// id, and provider name `sso`; cache them with a CachingProvider like any other source (the
/// default chain does).
///
/// Errors (CredentialsError from provider `sso`): no token, an expired one, or a portal that
/// rejects it (401/403) tell the user to run `aws sso login --profile NAME` or `awsauth sso
/// login --profile NAME`; other portal failures name the URL and the status. No message holds
/// the token.
class AWSAUTH_API SsoProvider final : public CredentialsProvider {
 public:
  SsoProvider(Context context, SsoRoleSource source, std::shared_ptr<const SsoTokenProvider> token,
              std::shared_ptr<const SsoPortalClient> portal);

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override { return std::string(provider_names::sso); }

  [[nodiscard]] const SsoRoleSource& source() const noexcept { return source_; }

 private:
  Context context_;
  SsoRoleSource source_;
  std::shared_ptr<const SsoTokenProvider> token_;
  std::shared_ptr<const SsoPortalClient> portal_;
};

/// Builds the SsoProvider for `source` (from plan_sso_source() / a plan's base, checked with
/// sso_role_source()), with the portal and SSO-OIDC endpoints, retries and CA bundle of
/// `selected` (the selected profile of `files.merged`; may be null), as botocore's clients
/// take them from the session's profile: `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SSO_OIDC`,
/// `[services]`, FIPS and dual-stack (endpoints.hpp). Throws CredentialsError
/// (InvalidConfiguration) for a missing key or an invalid setting.
[[nodiscard]] AWSAUTH_API std::shared_ptr<SsoProvider> make_sso_provider(
    const Context& context, const ProfileFiles& files, const Profile* selected,
    const SsoSource& source, const SsoProviderOptions& options = {});

/// The default chain's SSO step for profile `profile_name`: on first get(), NotConfigured
/// unless the profile sets `sso_account_id` or `sso_role_name` (botocore's SSOProvider), else
/// the profile is validated (plan_sso_source(), sso_role_source()) and served by
/// make_sso_provider().
[[nodiscard]] AWSAUTH_API std::shared_ptr<CredentialsProvider> make_sso_profile_provider(
    Context context, std::shared_ptr<ProfileFilesLoader> files, const std::string& profile_name,
    SsoProviderOptions options = {});

}  // namespace awsauth::providers
