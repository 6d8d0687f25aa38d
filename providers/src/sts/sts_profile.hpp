#pragma once
/// @file sts_profile.hpp
/// The default chain's two STS steps, built from the shared files and the selected profile:
/// "assume role from the profile" and "web identity". Step two of profile resolution: run
/// the plan (profile_plan.hpp) as a chain of providers.

#include <functional>
#include <memory>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/detail/profile_plan.hpp"
#include "awsauth/providers/profile/profile.hpp"
#include "awsauth/providers/profile/profile_files.hpp"
#include "awsauth/providers/sts/assume_role.hpp"
#include "awsauth/providers/sts/sts_client.hpp"

namespace awsauth::providers {

/// A provider with the means to drop what it cached (a CachingProvider and its invalidate).
struct CachedSource {
  std::shared_ptr<CredentialsProvider> provider;
  std::function<void()> invalidate;  ///< may be empty when nothing is cached
};

/// Settings and seams for the STS providers.
struct StsProviderOptions {
  /// Supplies MFA codes for `mfa_serial` (see assume_role.hpp: may run on any thread).
  MfaTokenCallback mfa_token;
  /// Builds the provider behind `credential_source` (Environment, Ec2InstanceMetadata,
  /// EcsContainer). The default chain passes the built-in env / IMDS / container providers.
  std::function<std::shared_ptr<CredentialsProvider>(const NamedSource&)> named_source;
  /// Builds the provider for a `credential_process` base.
  std::function<std::shared_ptr<CredentialsProvider>(const CredentialProcessSource&)>
      credential_process;
  /// Wraps each intermediate step (the base, and every hop but the last) in a cache, so an
  /// ExpiredToken answer can invalidate it; a last hop with `mfa_serial` is wrapped too. A step
  /// that is an AssumeRoleProvider with requires_mfa() should be cached without an advisory
  /// window (the default chain does): each refresh asks the MFA callback for a code, so it
  /// happens only when the credentials are due. Empty: no intermediate caching.
  std::function<CachedSource(std::shared_ptr<CredentialsProvider>)> cache;
  /// Reuse of every hop's AssumeRole result across processes. `assumed_role_cache.cache` empty:
  /// the on-disk cache named by AWSAUTH_CREDENTIALS_CACHE_DIR when that is set
  /// (assume_role_cache_from_environment), else none.
  AssumeRoleCacheOptions assumed_role_cache;
  /// Retries, backoff, sleep and signer for the STS client (endpoint and HTTP options are
  /// resolved from the environment and the selected profile and override these fields; the
  /// retry mode and attempt count, when left unset, are resolved from AWS_RETRY_MODE /
  /// retry_mode and AWS_MAX_ATTEMPTS / max_attempts, see retry_config.hpp).
  StsClientSettings client;
  /// Whether the web identity step reads AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN /
  /// AWS_ROLE_SESSION_NAME. botocore turns them off when the profile is named explicitly (API
  /// or `--profile`, not AWS_PROFILE); the default chain sets this accordingly.
  bool environment_web_identity = true;
};

/// The STS client for the selected profile: endpoint and region (sts_endpoint.hpp), TLS /
/// proxy settings (sts_http_options.hpp) and the retry mode and attempts not set in `settings`
/// (retry_config.hpp) from the environment and `profile` (may be null). Throws
/// CredentialsError(InvalidConfiguration) from `provider` for an invalid setting. `profiles`
/// holds the `[services]` sections the profile's `services` key may name.
[[nodiscard]] std::shared_ptr<const StsClient> make_sts_client(const Context& context,
                                                               const ProfileSet& profiles,
                                                               const Profile* profile,
                                                               const std::string& provider,
                                                               StsClientSettings settings);
/// The same for a profile that names no `[services]` section.
[[nodiscard]] std::shared_ptr<const StsClient> make_sts_client(const Context& context,
                                                               const Profile* profile,
                                                               const std::string& provider,
                                                               StsClientSettings settings);

/// Runs `plan`: builds the base provider and one AssumeRoleProvider per hop, every hop using
/// the selected profile's region, endpoint and TLS settings. An SSO base (a source profile
/// written by `aws configure sso`) is an SsoProvider with the selected profile's SSO endpoints.
/// Throws CredentialsError (InvalidConfiguration) for a named source the options cannot build
/// or an SSO base that lacks a required key.
///
/// A source profile's static keys are taken one file at a time, as botocore's source-profile
/// chain does: the credentials file's section first, then (when the profile has one) its
/// `credential_process`, then the config file's section; a key id and a secret split across
/// the two files do not combine. A base that finds nothing (e.g. `credential_source =
/// Environment` with no variables set) is a ProviderFailure, not "not configured": the role
/// was configured, its source is missing (botocore raises too).
[[nodiscard]] std::shared_ptr<CredentialsProvider> build_profile_plan(
    const Context& context, const ProfileFiles& files, const ProfilePlan& plan,
    const StsProviderOptions& options);

/// Default-chain step "assume role": a provider that, on first get(), plans the selected
/// profile and runs it. Its get() throws NotConfigured when the profile has no `role_arn` (or
/// has `web_identity_token_file`, which the web identity step owns), as botocore's
/// AssumeRoleProvider does; configuration errors are InvalidConfiguration. After the first
/// successful resolution every get() goes to the same providers.
[[nodiscard]] std::shared_ptr<CredentialsProvider> make_assume_role_profile_provider(
    Context context, ProfileFiles files, const std::string& profile_name,
    StsProviderOptions options);

/// Default-chain step "web identity": AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN /
/// AWS_ROLE_SESSION_NAME (unless `options.environment_web_identity` is false), else the
/// selected profile's `web_identity_token_file` etc. get() throws NotConfigured when neither
/// configures a token file.
[[nodiscard]] std::shared_ptr<CredentialsProvider> make_web_identity_chain_provider(
    Context context, ProfileFiles files, const std::string& profile_name,
    StsProviderOptions options);

/// The same two steps reading the files through a chain's shared loader, on first get() (so a
/// malformed file surfaces from get(), not from construction).
[[nodiscard]] std::shared_ptr<CredentialsProvider> make_assume_role_profile_provider(
    Context context, std::shared_ptr<ProfileFilesLoader> files, const std::string& profile_name,
    StsProviderOptions options);
[[nodiscard]] std::shared_ptr<CredentialsProvider> make_web_identity_chain_provider(
    Context context, std::shared_ptr<ProfileFilesLoader> files, const std::string& profile_name,
    StsProviderOptions options);

}  // namespace awsauth::providers
