#include "awsauth/providers/sts_profile.hpp"

#include <mutex>

#include "awsauth/providers/sts_http_options.hpp"
#include "awsauth/providers/web_identity.hpp"

namespace awsauth::providers {
namespace {

// The plan already holds the keys; this just hands them out.
class PlannedStaticKeys final : public CredentialsProvider {
 public:
  explicit PlannedStaticKeys(const StaticKeysSource& s)
      : credentials_(make_credentials({.access_key_id = s.access_key_id,
                                       .secret_access_key = s.secret_access_key,
                                       .session_token = s.session_token,
                                       .expiration = std::nullopt,
                                       .provider_name = std::string(provider_names::static_keys),
                                       .account_id = s.account_id})) {}
  [[nodiscard]] CredentialsPtr get() override { return credentials_; }
  [[nodiscard]] std::string name() const override {
    return std::string(provider_names::static_keys);
  }

 private:
  CredentialsPtr credentials_;
};

constexpr std::string_view who = provider_names::assume_role;

[[noreturn]] void invalid(std::string_view provider, std::string reason) {
  throw CredentialsError(ErrorKind::InvalidConfiguration, std::string(provider), std::move(reason));
}

std::shared_ptr<CredentialsProvider> base_provider(const Context& context, const ProfileFiles& files,
                                                   const ProfilePlan& plan,
                                                   const StsProviderOptions& options) {

  struct Visitor {
    const Context& context;
    const ProfileFiles& files;
    const ProfilePlan& plan;
    const StsProviderOptions& options;
    std::shared_ptr<CredentialsProvider> operator()(const StaticKeysSource& s) const {
      return std::make_shared<PlannedStaticKeys>(s);
    }
    std::shared_ptr<CredentialsProvider> operator()(const NamedSource& s) const {
      if (!options.named_source) {
        invalid(who, "profile `" + s.profile + "` uses credential_source = " + s.name +
                         ", which this program does not provide");
      }
      return options.named_source(s);
    }
    std::shared_ptr<CredentialsProvider> operator()(const WebIdentitySource& s) const {
      // Web identity as the base of a role chain: every hop (this call too) uses the selected
      // profile's endpoint.
      auto sts = make_sts_client(context, files.merged.find(plan.selected_profile),
                                 std::string(provider_names::web_identity), options.client);
      return std::make_shared<WebIdentityProvider>(
          context, sts,
          WebIdentityConfig{.role_arn = s.role_arn,
                            .token_file = expand_user(s.token_file, *context.environment),
                            .role_session_name = s.role_session_name});
    }
    std::shared_ptr<CredentialsProvider> operator()(const CredentialProcessSource& s) const {
      if (!options.credential_process) {
        invalid(who, "profile `" + s.profile +
                         "` uses credential_process, which this program does not provide");
      }
      return options.credential_process(s);
    }
    std::shared_ptr<CredentialsProvider> operator()(const SsoSource& s) const {
      invalid(who, "profile `" + s.profile +
                       "` is an SSO profile; awsauth does not support SSO credentials (run "
                       "`aws sso login` and `aws configure export-credentials`, or use "
                       "credential_process)");
    }
  };
  return std::visit(Visitor{context, files, plan, options}, plan.base);
}

// Lazily plans on first get(), then always delegates to what it built (the chain's sticky
// winner must not switch sources behind the caller's back).
class LazyProfileProvider final : public CredentialsProvider {
 public:
  using Build = std::function<std::shared_ptr<CredentialsProvider>()>;
  LazyProfileProvider(std::string name, Build build)
      : name_(std::move(name)), build_(std::move(build)) {}

  [[nodiscard]] CredentialsPtr get() override {
    std::shared_ptr<CredentialsProvider> target;
    {
      std::lock_guard lock(mutex_);
      if (!built_) built_ = build_();
      target = built_;
    }
    return target->get();
  }
  [[nodiscard]] std::string name() const override { return name_; }

 private:
  std::string name_;
  Build build_;
  std::mutex mutex_;
  std::shared_ptr<CredentialsProvider> built_;
};

}  // namespace

std::shared_ptr<const StsClient> make_sts_client(const Context& context, const Profile* profile,
                                                 const std::string& provider,
                                                 StsClientSettings settings) {
  settings.endpoint = resolve_sts_endpoint(*context.environment, profile, provider);
  HttpOptions resolved = sts_http_options(*context.environment, profile, settings.endpoint.url);
  settings.http.proxy = resolved.proxy;
  settings.http.ca_bundle = resolved.ca_bundle;
  return std::make_shared<StsClient>(context, std::move(settings));
}

std::shared_ptr<CredentialsProvider> build_profile_plan(const Context& context,
                                                        const ProfileFiles& files,
                                                        const ProfilePlan& plan,
                                                        const StsProviderOptions& options) {
  std::shared_ptr<CredentialsProvider> current = base_provider(context, files, plan, options);
  if (plan.hops.empty()) return current;
  const Profile* selected = files.merged.find(plan.selected_profile);
  auto sts = make_sts_client(context, selected, std::string(provider_names::assume_role),
                             options.client);
  const AssumeRoleCacheOptions role_cache = options.assumed_role_cache.cache
                                                ? options.assumed_role_cache
                                                : assume_role_cache_from_environment(context);
  for (const auto& hop : plan.hops) {
    std::function<void()> invalidate;
    if (options.cache) {
      CachedSource cached = options.cache(current);
      current = cached.provider;
      invalidate = cached.invalidate;
    }
    current = std::make_shared<AssumeRoleProvider>(context, sts, current, hop, options.mfa_token,
                                                   invalidate, role_cache);
  }
  return current;
}

std::shared_ptr<CredentialsProvider> make_assume_role_profile_provider(
    Context context, ProfileFiles files, std::string profile_name, StsProviderOptions options) {
  auto build = [context, files = std::move(files), profile_name,
                options = std::move(options)]() -> std::shared_ptr<CredentialsProvider> {
    const Profile* p = files.merged.find(profile_name);
    if (p == nullptr || p->find("role_arn") == nullptr ||
        p->find("web_identity_token_file") != nullptr) {
      throw CredentialsError(ErrorKind::NotConfigured, std::string(provider_names::assume_role),
                             "profile `" + profile_name + "` has no role_arn");
    }
    return build_profile_plan(context, files, plan_profile(files.merged, profile_name), options);
  };
  return std::make_shared<LazyProfileProvider>(std::string(provider_names::assume_role),
                                               std::move(build));
}

std::shared_ptr<CredentialsProvider> make_web_identity_chain_provider(
    Context context, ProfileFiles files, std::string profile_name, StsProviderOptions options) {
  auto build = [context, files = std::move(files), profile_name,
                options = std::move(options)]() -> std::shared_ptr<CredentialsProvider> {
    const Profile* p = files.merged.find(profile_name);
    auto config = web_identity_config(*context.environment, p);
    if (!config) {
      throw CredentialsError(ErrorKind::NotConfigured, std::string(provider_names::web_identity),
                             "neither AWS_WEB_IDENTITY_TOKEN_FILE nor web_identity_token_file "
                             "in profile `" + profile_name + "` is set");
    }
    auto sts = make_sts_client(context, p, std::string(provider_names::web_identity),
                               options.client);
    return std::make_shared<WebIdentityProvider>(context, sts, std::move(*config));
  };
  return std::make_shared<LazyProfileProvider>(std::string(provider_names::web_identity),
                                               std::move(build));
}

}  // namespace awsauth::providers
