#pragma once
/// @file default_chain.hpp
/// The chain of built-in providers in botocore's order, for one profile.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/caching.hpp"
#include "awsauth/chain.hpp"
#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/metadata/container.hpp"
#include "awsauth/providers/metadata/instance_metadata_config.hpp"
#include "awsauth/providers/profile/credential_process.hpp"
#include "awsauth/providers/profile/profile_files.hpp"
#include "awsauth/providers/profile/resolved_profile.hpp"
#include "awsauth/providers/sts/assume_role.hpp"
#include "awsauth/refresh_policy.hpp"

namespace awsauth::providers {

/// Settings of the default chain.
struct AWSAUTH_API DefaultChainOptions {
  /// The profile named by the API or `--profile`. When set it wins over `AWS_DEFAULT_PROFILE`
  /// and `AWS_PROFILE`, and the environment keys are left out of the chain (botocore).
  std::optional<std::string> profile;
  /// Timeout and output cap of `credential_process` commands.
  CredentialProcessOptions credential_process;
  /// Supplies MFA codes for profiles with `mfa_serial` (see assume_role.hpp: it may run on any
  /// thread, the one whose get() triggers the fetch). MFA hops are cached without an advisory
  /// window, so the callback is asked again only when their credentials are due (docs/sts.md).
  /// Empty: such profiles fail with a clear error naming the profile and the serial.
  MfaTokenCallback mfa_token;
  /// Policy of the caches: the intermediate steps of a role chain, and the outer cache of
  /// make_default_credentials_provider().
  RefreshPolicy refresh_policy;
  /// Timeout, attempts and backoff of the container endpoint.
  ContainerProviderOptions container;
  /// Instance metadata settings given in code (win over the environment and the profile).
  InstanceMetadataOverrides instance_metadata;
};

/// The providers of the default chain, in the order they are tried. Built in one place so each
/// later source goes into botocore's slot (see docs/providers.md):
///
///   1. env                        (left out when the profile is named explicitly)
///   2. assume-role                (role_arn + source_profile / credential_source)
///   3. assume-role-with-web-identity (AWS_WEB_IDENTITY_TOKEN_FILE etc., ignored when the
///                                  profile is named explicitly; then the profile's keys)
///   4. sso                        (not supported yet: fails clearly for SSO profiles)
///   5. shared-credentials-file
///   6. login                      (`aws login` sessions: login_session, login_provider.hpp)
///   7. custom-process
///   8. config-file
///   9. container-role             (ECS / EKS Pod Identity endpoint)
///  10. iam-role                   (EC2 instance metadata, with the profile's IMDS keys)
///
/// All profile providers share `profile` (its files loader), so the profile is selected and the
/// files are read once per chain. The providers
/// behind `credential_source` are the same objects as steps 1, 9 and 10 (the environment one
/// is used even when step 1 is left out, as in botocore). Each intermediate step of a role
/// chain is cached under `options.refresh_policy`, so an ExpiredToken answer refreshes it.
[[nodiscard]] AWSAUTH_API ChainProvider::Providers default_chain_providers(
    const Context& context, const DefaultChainOptions& options,
    const std::shared_ptr<ProfileResolver>& profile);
/// The same for a selection and a files loader (0.1's signature).
[[nodiscard]] AWSAUTH_API ChainProvider::Providers default_chain_providers(
    const Context& context, const DefaultChainOptions& options, const ProfileSelection& profile,
    const std::shared_ptr<ProfileFilesLoader>& files);

/// The default credentials chain. Before any provider runs, `get()` reads both shared files and
/// checks that a named profile exists (botocore does the same when it builds its resolver): a
/// malformed file, or a profile named by the API, `AWS_DEFAULT_PROFILE` or `AWS_PROFILE` that
/// is in neither file, is an InvalidConfiguration error even when environment keys are set.
/// Then the providers above are tried in order (see ChainProvider: the winner sticks).
class AWSAUTH_API DefaultChain final : public CredentialsProvider {
 public:
  explicit DefaultChain(const Context& context, const DefaultChainOptions& options = {});

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override { return "default-chain"; }

  /// The profile in use and how it was chosen (no I/O).
  [[nodiscard]] const ProfileSelection& profile() const noexcept { return resolver_->selection(); }
  /// The resolved profile (selection, files, region) every provider of this chain uses; reads
  /// the files on the first call and throws CredentialsError for a malformed file. Unlike
  /// get(), a named profile missing from both files is not an error here: the caller may
  /// still want the region or the file paths.
  [[nodiscard]] std::shared_ptr<const ResolvedProfile> resolved_profile() const {
    return resolver_->get();
  }
  /// The name of the provider that supplied credentials, once one has.
  [[nodiscard]] std::optional<std::string> winner_name() const { return chain_->winner_name(); }
  /// The chain's last resolution: every provider in order with its outcome and reason (see
  /// ChainProvider::trace()). When get() failed before any provider ran (a malformed file, a
  /// named profile that is in neither file) every entry is NotTried.
  [[nodiscard]] ChainTrace trace() const { return chain_->trace(); }
  /// The underlying chain (its providers in order).
  [[nodiscard]] const ChainProvider& chain() const noexcept { return *chain_; }

 private:
  std::shared_ptr<ProfileResolver> resolver_;
  std::shared_ptr<ChainProvider> chain_;
};

/// The one call most programs need: the default chain for `options.profile` behind a
/// CachingProvider with `options.refresh_policy` (the context's clock and random). The chain
/// resolves once, remembers the winner, and the cache refreshes it before expiry. Errors from
/// get() are the chain's (NoCredentialsError lists every provider tried and why).
[[nodiscard]] AWSAUTH_API std::shared_ptr<CachingProvider> make_default_credentials_provider(
    const Context& context, const DefaultChainOptions& options = {});

/// The first answer of make_default_credentials_provider(context, options) when the environment
/// provider gives it, found without building the chain's other providers. It runs the same
/// code the chain does up to that provider: the profile selection (a profile named by
/// `options.profile` leaves the environment keys out), the EnvironmentProvider behind the same
/// outer CachingProvider (which refuses credentials that arrive expired), and DefaultChain's
/// check of both shared files and of a named profile. Returns nullptr whenever the chain would
/// answer otherwise: no keys in the environment, a profile named explicitly, or any error (a
/// partial key pair, an expired AWS_CREDENTIAL_EXPIRATION, a malformed file, a named profile
/// that is in neither file); the full chain then gives the answer or says why.
///
/// Its object file and what it pulls in use no HTTP client, process, Poco or OpenSSL, and
/// `context` needs only its environment, files, clock and random: `awsauth creds` answers from
/// here in a program that loads nothing else (cli/front.cpp, docs/performance.md).
[[nodiscard]] AWSAUTH_API CredentialsPtr default_chain_environment_credentials(
    const Context& context, const DefaultChainOptions& options = {});

/// The process's one default provider: make_default_credentials_provider(Context::system())
/// built on the first call (thread-safe) and the same object for every later caller, so every
/// part of a program shares one cache instead of each temporary chain resolving again (a
/// `make_default_credentials_provider(ctx)->get()` on a temporary throws its cache away).
/// Lives until the process exits. RequestSigner uses it when given no provider.
[[nodiscard]] AWSAUTH_API std::shared_ptr<CachingProvider> default_credentials_provider();

/// The chain behind default_credentials_provider() (its resolved profile gives default_region()).
[[nodiscard]] AWSAUTH_API std::shared_ptr<DefaultChain> default_credentials_chain();

}  // namespace awsauth::providers
