#include "sts/sts_profile.hpp"

#include <functional>

#include "awsauth/providers/detail/sts_http_options.hpp"
#include "awsauth/providers/login/login_provider.hpp"
#include "awsauth/providers/profile/profile_keys.hpp"
#include "awsauth/providers/profile/profile_properties.hpp"
#include "awsauth/providers/sso/sso_provider.hpp"
#include "awsauth/providers/sts/retry_config.hpp"
#include "awsauth/providers/sts/web_identity.hpp"
#include "awsauth/static_provider.hpp"
#include "lazy_provider.hpp"

namespace awsauth::providers {
namespace {

// The plan already holds the keys; a StaticCredentialsProvider hands them out.
std::shared_ptr<CredentialsProvider> planned_static_keys(const StaticKeysSource& s) {
  return std::make_shared<StaticCredentialsProvider>(
      make_credentials({.access_key_id = s.access_key_id,
                        .secret_access_key = s.secret_access_key,
                        .session_token = s.session_token,
                        .expiration = std::nullopt,
                        .provider_name = std::string(provider_names::static_keys),
                        .account_id = s.account_id}));
}

// Credentials read once when the plan was built.
std::shared_ptr<CredentialsProvider> fixed(CredentialsPtr credentials) {
  return std::make_shared<StaticCredentialsProvider>(std::move(credentials));
}

// The role is configured, so a base that finds nothing is a failure of the role, not a reason
// for the chain to move on (botocore: "No credentials found in credential_source referenced in
// profile", "The source profile ... must have credentials").
class RequiredSource final : public CredentialsProvider {
 public:
  RequiredSource(std::shared_ptr<CredentialsProvider> source, std::string what)
      : source_(std::move(source)), what_(std::move(what)) {}
  [[nodiscard]] CredentialsPtr get() override {
    try {
      return source_->get();
    } catch (const CredentialsError& e) {
      if (e.kind() != ErrorKind::NotConfigured) throw;
      throw CredentialsError::provider_failure(
          provider_names::assume_role, "no credentials found in " + what_ + ": " + e.reason());
    }
  }
  [[nodiscard]] std::string name() const override { return source_->name(); }

 private:
  std::shared_ptr<CredentialsProvider> source_;
  std::string what_;
};

constexpr std::string_view who = provider_names::assume_role;

// A login_session source profile: its own session, refreshed through the selected profile's
// region and sign-in endpoint (botocore creates the signin client from the session).
std::shared_ptr<CredentialsProvider> source_login(const Context& context, const ProfileFiles& files,
                                                  const std::string& login_profile,
                                                  const std::string& selected_profile) {
  LoginProviderOptions options;
  options.client_profile = selected_profile;
  return std::make_shared<RequiredSource>(
      std::make_shared<LoginProvider>(context, std::make_shared<ProfileFilesLoader>(files),
                                      login_profile, std::move(options)),
      "the login_session of source profile `" + login_profile + "`");
}

// botocore resolves a source profile that holds keys through its profile providers with the
// environment off: credentials file, then login_session, then credential_process, then config
// file, each file on its own.
std::shared_ptr<CredentialsProvider> source_profile_keys(const Context& context,
                                                         const ProfileFiles& files,
                                                         const ProfilePlan& plan,
                                                         const StaticKeysSource& s,
                                                         const StsProviderOptions& options) {
  const Profile* in_credentials = files.credentials.find(s.profile);
  const Profile* in_config = files.config.find(s.profile);
  if (in_credentials == nullptr && in_config == nullptr) {
    // Files assembled in memory with only the merged view: the plan's keys are all there is.
    return planned_static_keys(s);
  }
  if (in_credentials != nullptr && in_credentials->find(property::aws_access_key_id) != nullptr) {
    return fixed(read_profile_keys(files, s.profile, ProfileKeysFile::Credentials));
  }
  const Profile* merged = files.merged.find(s.profile);
  if (merged != nullptr && merged->find(property::login_session) != nullptr) {
    return source_login(context, files, s.profile, plan.selected_profile);
  }
  if (const auto* command = merged ? merged->find(property::credential_process) : nullptr;
      command != nullptr && options.credential_process) {
    return options.credential_process(
        CredentialProcessSource{.profile = s.profile, .command = command->value});
  }
  if (in_config != nullptr && in_config->find(property::aws_access_key_id) != nullptr) {
    return fixed(read_profile_keys(files, s.profile, ProfileKeysFile::Config));
  }
  throw CredentialsError::invalid_configuration(
      who, "the source profile `" + s.profile +
               "` must have credentials: aws_access_key_id and aws_secret_access_key must "
               "both be in " +
               files.credentials_path + " or both in " + files.config_path);
}

std::shared_ptr<CredentialsProvider> base_provider(const Context& context,
                                                   const ProfileFiles& files,
                                                   const ProfilePlan& plan,
                                                   const StsProviderOptions& options) {
  struct Visitor {
    const Context& context;
    const ProfileFiles& files;
    const ProfilePlan& plan;
    const StsProviderOptions& options;
    std::shared_ptr<CredentialsProvider> operator()(const StaticKeysSource& s) const {
      return source_profile_keys(context, files, plan, s, options);
    }
    std::shared_ptr<CredentialsProvider> operator()(const NamedSource& s) const {
      if (!options.named_source) {
        throw CredentialsError::invalid_configuration(
            who, "profile `" + s.profile + "` uses credential_source = " + s.name +
                     ", which this program does not provide");
      }
      return std::make_shared<RequiredSource>(
          options.named_source(s),
          "credential_source = " + s.name + " referenced in profile `" + s.profile + "`");
    }
    std::shared_ptr<CredentialsProvider> operator()(const WebIdentitySource& s) const {
      // Web identity as the base of a role chain: every hop (this call too) uses the selected
      // profile's endpoint.
      auto sts = make_sts_client(context, files.merged, files.merged.find(plan.selected_profile),
                                 std::string(provider_names::web_identity), options.client);
      return std::make_shared<WebIdentityProvider>(
          context, sts,
          WebIdentityConfig{.role_arn = s.role_arn,
                            .token_file = expand_user(s.token_file, *context.environment),
                            .role_session_name = s.role_session_name});
    }
    std::shared_ptr<CredentialsProvider> operator()(const CredentialProcessSource& s) const {
      if (!options.credential_process) {
        throw CredentialsError::invalid_configuration(
            who, "profile `" + s.profile +
                     "` uses credential_process, which this program does not provide");
      }
      return std::make_shared<RequiredSource>(options.credential_process(s),
                                              "credential_process of profile `" + s.profile + "`");
    }
    std::shared_ptr<CredentialsProvider> operator()(const LoginSource& s) const {
      return source_login(context, files, s.profile, plan.selected_profile);
    }
    std::shared_ptr<CredentialsProvider> operator()(const SsoSource& s) const {
      // An SSO source profile: its token and role, with the selected profile's SSO endpoints
      // (botocore's client creator reads the session's profile).
      return make_sso_provider(context, files, files.merged.find(plan.selected_profile), s);
    }
  };
  return std::visit(Visitor{context, files, plan, options}, plan.base);
}

}  // namespace

std::shared_ptr<const StsClient> make_sts_client(const Context& context, const Profile* profile,
                                                 const std::string& provider,
                                                 StsClientSettings settings) {
  return make_sts_client(context, ProfileSet{}, profile, provider, std::move(settings));
}

std::shared_ptr<const StsClient> make_sts_client(const Context& context, const ProfileSet& profiles,
                                                 const Profile* profile,
                                                 const std::string& provider,
                                                 StsClientSettings settings) {
  settings.endpoint = resolve_sts_endpoint(*context.environment, profiles, profile, provider);
  HttpOptions resolved = sts_http_options(*context.environment, profile, settings.endpoint.url);
  settings.http.proxy = resolved.proxy;
  settings.http.ca_bundle = resolved.ca_bundle;
  const RetryConfig retry = resolve_retry_config(
      *context.environment, profile,
      RetryOverrides{.mode = settings.retry_mode, .max_attempts = settings.max_attempts}, provider);
  settings.retry_mode = retry.mode;
  settings.max_attempts = retry.max_attempts;
  return std::make_shared<StsClient>(context, std::move(settings));
}

std::shared_ptr<CredentialsProvider> build_profile_plan(const Context& context,
                                                        const ProfileFiles& files,
                                                        const ProfilePlan& plan,
                                                        const StsProviderOptions& options) {
  std::shared_ptr<CredentialsProvider> current = base_provider(context, files, plan, options);
  if (plan.hops.empty()) return current;
  const Profile* selected = files.merged.find(plan.selected_profile);
  auto sts = make_sts_client(context, files.merged, selected,
                             std::string(provider_names::assume_role), options.client);
  AssumeRoleCacheOptions role_cache = options.assumed_role_cache;
  if (!role_cache.cache) role_cache.cache = assume_role_cache_from_environment(context).cache;
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
  // An MFA last hop gets its own cache too, so the cache policy can keep an outer cache's early
  // refresh from asking for a new code: the outer cache then gets these credentials back until
  // they are due.
  if (options.cache && plan.hops.back().mfa_serial) current = options.cache(current).provider;
  return current;
}

std::shared_ptr<CredentialsProvider> make_assume_role_profile_provider(
    Context context, std::shared_ptr<ProfileFilesLoader> files, const std::string& profile_name,
    StsProviderOptions options) {
  auto build = [context = std::move(context), files = std::move(files), profile_name,
                options = std::move(options)]() -> std::shared_ptr<CredentialsProvider> {
    const auto loaded = files->get();
    // The plan decides which step owns the profile; this step owns the AssumeRole ones.
    if (profile_role(loaded->merged.find(profile_name)) != ProfileRole::AssumeRole) {
      throw CredentialsError::not_configured(provider_names::assume_role,
                                             "profile `" + profile_name + "` has no role_arn");
    }
    return build_profile_plan(context, *loaded, plan_profile(loaded->merged, profile_name),
                              options);
  };
  return std::make_shared<detail::LazyProvider>(std::string(provider_names::assume_role),
                                                std::move(build));
}

std::shared_ptr<CredentialsProvider> make_web_identity_chain_provider(
    Context context, std::shared_ptr<ProfileFilesLoader> files, const std::string& profile_name,
    StsProviderOptions options) {
  auto build = [context = std::move(context), files = std::move(files), profile_name,
                options = std::move(options)]() -> std::shared_ptr<CredentialsProvider> {
    const auto loaded = files->get();
    const Profile* p = loaded->merged.find(profile_name);
    auto config = web_identity_config(*context.environment, p, options.environment_web_identity);
    if (!config) {
      // Without the environment (an explicitly named profile) only the profile key counts.
      throw CredentialsError::not_configured(
          provider_names::web_identity,
          options.environment_web_identity
              ? "neither AWS_WEB_IDENTITY_TOKEN_FILE nor web_identity_token_file in profile `" +
                    profile_name + "` is set"
              : "web_identity_token_file is not set in profile `" + profile_name +
                    "` (AWS_WEB_IDENTITY_TOKEN_FILE is ignored for an explicitly named profile)");
    }
    auto sts = make_sts_client(context, loaded->merged, p,
                               std::string(provider_names::web_identity), options.client);
    return std::make_shared<WebIdentityProvider>(context, sts, std::move(*config));
  };
  return std::make_shared<detail::LazyProvider>(std::string(provider_names::web_identity),
                                                std::move(build));
}

// Files parsed by the caller are served through a loader that already holds them.
std::shared_ptr<CredentialsProvider> make_assume_role_profile_provider(
    Context context, ProfileFiles files, const std::string& profile_name,
    StsProviderOptions options) {
  return make_assume_role_profile_provider(std::move(context),
                                           std::make_shared<ProfileFilesLoader>(std::move(files)),
                                           profile_name, std::move(options));
}

std::shared_ptr<CredentialsProvider> make_web_identity_chain_provider(
    Context context, ProfileFiles files, const std::string& profile_name,
    StsProviderOptions options) {
  return make_web_identity_chain_provider(std::move(context),
                                          std::make_shared<ProfileFilesLoader>(std::move(files)),
                                          profile_name, std::move(options));
}

}  // namespace awsauth::providers
