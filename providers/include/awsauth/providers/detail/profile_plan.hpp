#pragma once
/// @file profile_plan.hpp
/// Step one of profile resolution: a pure function turns the parsed profiles and the selected
/// profile name into a plain value (the base credential source, then each AssumeRole hop).
/// No files, network or environment are touched; providers run the plan afterwards.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "awsauth/export.hpp"
#include "awsauth/providers/profile/profile.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers {

/// Static keys written in a profile (`aws_access_key_id`, `aws_secret_access_key`, optional
/// `aws_session_token` and `aws_account_id`).
struct AWSAUTH_API StaticKeysSource {
  std::string profile;
  std::string access_key_id;
  SecretString secret_access_key;
  SecretString session_token;
  std::optional<std::string> account_id;
};

/// `credential_source = Environment | Ec2InstanceMetadata | EcsContainer` (case-insensitive).
struct AWSAUTH_API NamedSource {
  enum class Kind { Environment, Ec2InstanceMetadata, EcsContainer };
  std::string profile;
  Kind kind = Kind::Environment;
  std::string name;  ///< as written in the profile
};

/// `web_identity_token_file` + `role_arn` (+ optional `role_session_name`) in a profile.
struct AWSAUTH_API WebIdentitySource {
  std::string profile;
  std::string role_arn;
  std::string token_file;
  std::optional<std::string> role_session_name;
};

/// `credential_process` in a profile.
struct AWSAUTH_API CredentialProcessSource {
  std::string profile;
  std::string command;
};

/// An SSO profile (`sso_session` or legacy `sso_*` keys), validated as the SDKs do; for an
/// `sso_session` profile the session's `sso_start_url` and `sso_region` are filled in. Running
/// it needs every key of SsoRoleSource (sso_role_source()).
struct AWSAUTH_API SsoSource {
  std::string profile;
  std::optional<std::string> sso_session;
  std::optional<std::string> sso_start_url;
  std::optional<std::string> sso_region;
  std::optional<std::string> sso_account_id;
  std::optional<std::string> sso_role_name;
};

/// A `login_session` profile (`aws login`): credentials from the session's token cache
/// (login_provider.hpp). botocore's source-profile chain tries it after the credentials file's
/// keys and before `credential_process`.
struct AWSAUTH_API LoginSource {
  std::string profile;
  std::string login_session;
};

/// An SSO source with everything GetRoleCredentials needs (see sso_role_source()).
struct AWSAUTH_API SsoRoleSource {
  std::string profile;
  std::optional<std::string> sso_session;  ///< nullopt: a legacy profile (token keyed by URL)
  std::string start_url;
  std::string region;
  std::string account_id;
  std::string role_name;
};

using BaseSource = std::variant<StaticKeysSource, NamedSource, WebIdentitySource,
                                CredentialProcessSource, SsoSource, LoginSource>;

/// One AssumeRole call, made with the credentials of the step before it.
struct AWSAUTH_API AssumeRoleHop {
  std::string profile;  ///< the profile that holds `role_arn`
  std::string role_arn;
  std::optional<std::string> external_id;
  std::optional<std::string> role_session_name;
  std::optional<int> duration_seconds;
  std::optional<std::string> mfa_serial;
};

/// The whole plan: credentials from `base`, then each hop in order (the first hop is assumed
/// with the base credentials, the last hop yields the credentials the application gets).
struct AWSAUTH_API ProfilePlan {
  std::string selected_profile;
  BaseSource base;
  std::vector<AssumeRoleHop> hops;
};

/// Plans credential resolution for `selected` in the merged profiles.
///
/// Follows botocore and the cross-SDK vectors (assume-role-tests.json):
/// - a profile with `role_arn` (and no `web_identity_token_file`) is a hop; its source is
///   `source_profile` or `credential_source` (both at once is an error, neither is an error);
/// - static keys in a *source* profile win over that profile's own `role_arn`; the selected
///   profile's own keys are ignored when it has `role_arn`;
/// - a profile may name itself as `source_profile` only when it holds static keys;
/// - a cycle is an error naming every profile in it.
///
/// Throws CredentialsError (provider "assume-role"): NotConfigured when the selected profile
/// does not exist or holds no credential settings at all, InvalidConfiguration for every other
/// problem (the message names the profile, and the file and line of the offending key).
[[nodiscard]] AWSAUTH_API ProfilePlan plan_profile(const ProfileSet& profiles,
                                                   const std::string& selected);

/// The SSO source of profile `name` as plan_profile() validates a base (nullopt when the
/// profile does not exist or has no `sso_*` key): `sso_role_name` and `sso_account_id` go
/// together; the named `[sso-session]` must exist; `sso_start_url` / `sso_region` written in
/// both the profile and its session must agree (the message names both values and where they
/// are written); `sso_region` in a profile needs one in its session. Errors are
/// CredentialsError(InvalidConfiguration) from `provider`.
[[nodiscard]] AWSAUTH_API std::optional<SsoSource> plan_sso_source(
    const ProfileSet& profiles, const std::string& name, std::string_view provider = "sso");

/// True when the default chain's SSO step takes the profile: it sets `sso_account_id` or
/// `sso_role_name` (botocore's SSOProvider; a profile with only `sso_session` is for tokens).
[[nodiscard]] AWSAUTH_API bool profile_uses_sso_credentials(const Profile* profile);

/// `source` with every key SSO credentials need, or CredentialsError(InvalidConfiguration)
/// from `provider` naming all that are missing, in botocore's words and order: "the profile
/// `dev` is configured to use SSO but is missing required configuration: sso_role_name,
/// sso_account_id".
[[nodiscard]] AWSAUTH_API SsoRoleSource sso_role_source(const SsoSource& source,
                                                        std::string_view provider = "sso");

/// Which STS step of the default chain a profile belongs to. The one place that decides it:
/// the plan, the "assume role" step and the "web identity" step all ask this.
enum class ProfileRole {
  None,         ///< no `role_arn`, no `web_identity_token_file`
  AssumeRole,   ///< `role_arn` without `web_identity_token_file`: a hop
  WebIdentity,  ///< `web_identity_token_file` (with `role_arn`): AssumeRoleWithWebIdentity
};
[[nodiscard]] AWSAUTH_API ProfileRole profile_role(const Profile* profile);

/// True when the selected profile would be handled by an STS provider (it has `role_arn`, or
/// `web_identity_token_file`), i.e. when the default chain's "assume role" or "web identity"
/// step applies to it.
[[nodiscard]] AWSAUTH_API bool profile_uses_role(const ProfileSet& profiles,
                                                 const std::string& selected);

}  // namespace awsauth::providers
