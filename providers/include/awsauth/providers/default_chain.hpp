#pragma once
/// @file default_chain.hpp
/// The chain of built-in providers in botocore's order, for one profile.

#include <memory>
#include <optional>
#include <string>

#include "awsauth/chain.hpp"
#include "awsauth/context.hpp"
#include "awsauth/providers/credential_process.hpp"
#include "awsauth/providers/profile_files.hpp"

namespace awsauth::providers {

/// Settings of the default chain.
struct DefaultChainOptions {
  /// The profile named by the API or `--profile`. When set it wins over `AWS_DEFAULT_PROFILE`
  /// and `AWS_PROFILE`, and the environment keys are left out of the chain (botocore).
  std::optional<std::string> profile;
  CredentialProcessOptions credential_process;
};

/// The providers of the default chain, in the order they are tried. Built in one place so each
/// later source goes into botocore's slot (see docs/providers.md):
///
///   1. env                        (left out when the profile is named explicitly)
///   2. assume-role                (slot reserved: STS issue)
///   3. assume-role-with-web-identity (slot reserved: STS issue)
///   4. sso                        (not supported yet: fails clearly for SSO profiles)
///   5. shared-credentials-file
///   6. login                      (not supported yet: fails clearly for login_session)
///   7. custom-process
///   8. config-file
///   9. container-role             (slot reserved: metadata issue)
///  10. iam-role                   (slot reserved: metadata issue)
///
/// All profile providers share `files`, so the files are read once per chain.
[[nodiscard]] ChainProvider::Providers default_chain_providers(
    const Context& context, const DefaultChainOptions& options, const ProfileSelection& profile,
    const std::shared_ptr<ProfileFilesLoader>& files);

/// The default credentials chain. Before any provider runs, `get()` reads both shared files and
/// checks that a named profile exists (botocore does the same when it builds its resolver): a
/// malformed file, or a profile named by the API, `AWS_DEFAULT_PROFILE` or `AWS_PROFILE` that
/// is in neither file, is an InvalidConfiguration error even when environment keys are set.
/// Then the providers above are tried in order (see ChainProvider: the winner sticks).
class DefaultChain final : public CredentialsProvider {
 public:
  explicit DefaultChain(Context context, DefaultChainOptions options = {});

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override { return "default-chain"; }

  /// The profile in use and how it was chosen.
  [[nodiscard]] const ProfileSelection& profile() const noexcept { return profile_; }
  /// The name of the provider that supplied credentials, once one has.
  [[nodiscard]] std::optional<std::string> winner_name() const { return chain_->winner_name(); }
  /// The underlying chain (its providers in order).
  [[nodiscard]] const ChainProvider& chain() const noexcept { return *chain_; }

 private:
  ProfileSelection profile_;
  std::shared_ptr<ProfileFilesLoader> files_;
  std::shared_ptr<ChainProvider> chain_;
};

}  // namespace awsauth::providers
