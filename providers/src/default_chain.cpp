#include "awsauth/providers/default_chain.hpp"

#include <chrono>
#include <functional>
#include <mutex>

#include "awsauth/providers/environment_provider.hpp"
#include "awsauth/providers/login/login_provider.hpp"
#include "awsauth/providers/metadata/instance_metadata.hpp"
#include "awsauth/providers/profile/profile_keys.hpp"
#include "awsauth/providers/sso/sso_provider.hpp"
#include "lazy_provider.hpp"
#include "profile/named_profile_check.hpp"
#include "sts/sts_profile.hpp"

namespace awsauth::providers {
namespace {

// An intermediate step of a role chain behind a cache that remembers which key it handed out
// last, so "that key expired" (ExpiredToken) drops exactly those credentials.
class InvalidatableCache final : public CredentialsProvider {
 public:
  InvalidatableCache(std::shared_ptr<CredentialsProvider> source, const RefreshPolicy& policy,
                     const Context& context)
      : cache_(std::make_shared<CachingProvider>(std::move(source), policy, context.clock,
                                                 context.random)) {}

  [[nodiscard]] CredentialsPtr get() override {
    CredentialsPtr credentials = cache_->get();
    std::lock_guard lock(mutex_);
    last_key_ = credentials->access_key_id();
    return credentials;
  }
  [[nodiscard]] std::string name() const override { return cache_->name(); }

  void invalidate() {
    std::string key;
    {
      std::lock_guard lock(mutex_);
      key = last_key_;
    }
    if (!key.empty()) cache_->invalidate(key);
  }

 private:
  std::shared_ptr<CachingProvider> cache_;
  std::mutex mutex_;
  std::string last_key_;
};

}  // namespace

ChainProvider::Providers default_chain_providers(const Context& context,
                                                 const DefaultChainOptions& options,
                                                 const ProfileSelection& profile,
                                                 const std::shared_ptr<ProfileFilesLoader>& files) {
  return default_chain_providers(context, options,
                                 std::make_shared<ProfileResolver>(context, profile, files));
}

ChainProvider::Providers default_chain_providers(const Context& context,
                                                 const DefaultChainOptions& options,
                                                 const std::shared_ptr<ProfileResolver>& resolver) {
  const ProfileSelection& profile = resolver->selection();
  const std::shared_ptr<ProfileFilesLoader>& files = resolver->files();
  ChainProvider::Providers providers;
  // botocore's create_credential_resolver builds one env, one container and one instance
  // metadata provider and shares them between the chain and credential_source.
  auto environment = std::make_shared<EnvironmentProvider>(context);
  auto container = std::make_shared<ContainerProvider>(context, options.container);
  auto instance_metadata = std::make_shared<detail::LazyProvider>(
      std::string(provider_names::instance_metadata),
      [context, resolver, overrides = options.instance_metadata] {
        // botocore reads the IMDS keys of the selected profile (config and credentials merged).
        return std::make_shared<InstanceMetadataProvider>(
            context, InstanceMetadataProfileSettings::from_profile(resolver->get()->profile()),
            overrides);
      });

  StsProviderOptions sts;
  sts.mfa_token = options.mfa_token;
  sts.environment_web_identity = !profile.is_explicit();
  // AWSAUTH_CREDENTIALS_CACHE_DIR's on-disk entries obey the same advisory window as the caches.
  sts.assumed_role_cache.policy = options.refresh_policy;
  sts.named_source = [environment, container, instance_metadata](
                         const NamedSource& s) -> std::shared_ptr<CredentialsProvider> {
    switch (s.kind) {
      case NamedSource::Kind::Environment:
        return environment;
      case NamedSource::Kind::Ec2InstanceMetadata:
        return instance_metadata;
      case NamedSource::Kind::EcsContainer:
        return container;
    }
    return nullptr;
  };
  sts.credential_process =
      [context, files, process = options.credential_process](const CredentialProcessSource& s) {
        return std::make_shared<CredentialProcessProvider>(context, files, s.profile, process);
      };
  sts.cache = [context,
               policy = options.refresh_policy](std::shared_ptr<CredentialsProvider> step) {
    RefreshPolicy step_policy = policy;
    if (const auto* hop = dynamic_cast<const AssumeRoleProvider*>(step.get());
        hop != nullptr && hop->requires_mfa()) {
      // Each refresh of an MFA hop asks the application for a code: no early (advisory)
      // refresh, only when the credentials are due (mandatory window, expiry, ExpiredToken).
      step_policy.advisory_window = std::chrono::seconds(0);
    }
    auto cached = std::make_shared<InvalidatableCache>(std::move(step), step_policy, context);
    return CachedSource{.provider = cached, .invalidate = [cached] { cached->invalidate(); }};
  };

  // botocore's create_credential_resolver: pre-profile providers. An explicitly named profile
  // removes the environment keys (AWS_PROFILE does not).
  if (!profile.is_explicit()) providers.push_back(environment);
  providers.push_back(make_assume_role_profile_provider(context, files, profile.name, sts));
  providers.push_back(make_web_identity_chain_provider(context, files, profile.name, sts));

  // botocore's ProfileProviderBuilder.providers order.
  providers.push_back(make_sso_profile_provider(context, files, profile.name));
  providers.push_back(
      std::make_shared<ProfileKeysProvider>(files, profile.name, ProfileKeysFile::Credentials));
  providers.push_back(std::make_shared<LoginProvider>(context, files, profile.name));
  providers.push_back(std::make_shared<CredentialProcessProvider>(context, files, profile.name,
                                                                  options.credential_process));
  providers.push_back(
      std::make_shared<ProfileKeysProvider>(files, profile.name, ProfileKeysFile::Config));

  // botocore's post-profile providers (its legacy boto2 config sources are not supported).
  providers.push_back(container);
  providers.push_back(instance_metadata);
  return providers;
}

DefaultChain::DefaultChain(const Context& context, const DefaultChainOptions& options)
    : resolver_(std::make_shared<ProfileResolver>(context, options.profile)),
      chain_(std::make_shared<ChainProvider>(default_chain_providers(context, options, resolver_),
                                             "default-chain")) {}

CredentialsPtr DefaultChain::get() {
  detail::check_named_profile_exists(*resolver_->get(), name());
  return chain_->get();
}

std::shared_ptr<CachingProvider> make_default_credentials_provider(
    const Context& context, const DefaultChainOptions& options) {
  auto chain = std::make_shared<DefaultChain>(context, options);
  return std::make_shared<CachingProvider>(std::move(chain), options.refresh_policy, context.clock,
                                           context.random);
}

}  // namespace awsauth::providers
