#include "awsauth/providers/default_chain.hpp"

#include "awsauth/providers/environment.hpp"
#include "awsauth/providers/profile_keys.hpp"
#include "awsauth/providers/unsupported_profile.hpp"

namespace awsauth::providers {
namespace {

const char* how_named(ProfileSelection::Source source) {
  switch (source) {
    case ProfileSelection::Source::Explicit:
      return "named explicitly";
    case ProfileSelection::Source::AwsDefaultProfile:
      return "named by AWS_DEFAULT_PROFILE";
    case ProfileSelection::Source::AwsProfile:
      return "named by AWS_PROFILE";
    case ProfileSelection::Source::Default:
      return "the default";
  }
  return "named";
}

}  // namespace

ChainProvider::Providers default_chain_providers(const Context& context,
                                                 const DefaultChainOptions& options,
                                                 const ProfileSelection& profile,
                                                 const std::shared_ptr<ProfileFilesLoader>& files) {
  ChainProvider::Providers providers;
  // botocore's create_credential_resolver: pre-profile providers.
  if (!profile.is_explicit()) {
    providers.push_back(std::make_shared<EnvironmentProvider>(context));
  }
  // Slot: assume-role (role_arn + source_profile / credential_source) — STS issue.
  // Slot: assume-role-with-web-identity (after assume-role; honours profile.is_explicit()
  //       for the AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN variables) — STS issue.

  // botocore's ProfileProviderBuilder.providers order.
  providers.push_back(std::make_shared<UnsupportedProfileProvider>(files, profile.name,
                                                                   UnsupportedProfileType::Sso));
  providers.push_back(
      std::make_shared<ProfileKeysProvider>(files, profile.name, ProfileKeysFile::Credentials));
  providers.push_back(std::make_shared<UnsupportedProfileProvider>(files, profile.name,
                                                                   UnsupportedProfileType::Login));
  providers.push_back(std::make_shared<CredentialProcessProvider>(context, files, profile.name,
                                                                  options.credential_process));
  providers.push_back(
      std::make_shared<ProfileKeysProvider>(files, profile.name, ProfileKeysFile::Config));

  // Slot: container-role (ECS/EKS endpoint) — metadata issue.
  // Slot: iam-role (EC2 instance metadata, last) — metadata issue.
  return providers;
}

DefaultChain::DefaultChain(Context context, DefaultChainOptions options)
    : profile_(select_profile(*context.environment, options.profile)),
      files_(std::make_shared<ProfileFilesLoader>(context)),
      chain_(std::make_shared<ChainProvider>(
          default_chain_providers(context, options, profile_, files_), "default-chain")) {}

CredentialsPtr DefaultChain::get() {
  const auto files = files_->get();
  if (profile_.is_named() && files->merged.find(profile_.name) == nullptr) {
    throw CredentialsError(ErrorKind::InvalidConfiguration, name(),
                           "profile '" + profile_.name + "' (" + how_named(profile_.source) +
                               ") is not in " + files->config_path + " or " +
                               files->credentials_path);
  }
  return chain_->get();
}

}  // namespace awsauth::providers
