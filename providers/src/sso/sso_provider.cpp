// botocore SSOProvider / SSOCredentialFetcher: token, then GetRoleCredentials.
#include "awsauth/providers/sso/sso_provider.hpp"

#include "awsauth/providers/endpoints.hpp"
#include "lazy_provider.hpp"

namespace awsauth::providers {
namespace {

constexpr std::string_view kProvider = provider_names::sso;

}  // namespace

SsoProvider::SsoProvider(Context context, SsoRoleSource source,
                         std::shared_ptr<const SsoTokenProvider> token,
                         std::shared_ptr<const SsoPortalClient> portal)
    : context_(std::move(context)),
      source_(std::move(source)),
      token_(std::move(token)),
      portal_(std::move(portal)) {}

CredentialsPtr SsoProvider::get() {
  const SsoAccessToken token = token_->token();
  SsoRoleCredentials role;
  try {
    role = portal_->get_role_credentials(source_.account_id, source_.role_name, token.token);
  } catch (const SsoServiceError& e) {
    // botocore: UnauthorizedException -> UnauthorizedSSOTokenError ("run aws sso login").
    if (e.status() == 401 || e.status() == 403 || e.type() == "UnauthorizedException") {
      throw CredentialsError::non_recoverable(
          kProvider, e.reason() + "; the IAM Identity Center session of profile `" +
                         source_.profile + "` has expired or is otherwise invalid; " +
                         sso_login_hint(source_.profile));
    }
    throw;
  }
  return make_credentials({.access_key_id = std::move(role.access_key_id),
                           .secret_access_key = std::move(role.secret_access_key),
                           .session_token = std::move(role.session_token),
                           .expiration = role.expiration,
                           .provider_name = std::string(kProvider),
                           .account_id = source_.account_id});
}

std::shared_ptr<SsoProvider> make_sso_provider(const Context& context, const ProfileFiles& files,
                                               const Profile* selected, const SsoSource& source,
                                               const SsoProviderOptions& options) {
  SsoRoleSource role = sso_role_source(source, kProvider);
  const Environment& env = *context.environment;
  SsoServiceClientSettings portal =
      options.portal ? *options.portal
                     : sso_service_client_settings(env, files.merged, selected, AwsService::Sso,
                                                   role.region, kProvider);
  std::shared_ptr<const SsoOidcClient> oidc;
  if (role.sso_session) {
    // Only sso-session tokens are refreshed; a legacy profile never calls SSO-OIDC.
    SsoServiceClientSettings settings =
        options.oidc ? *options.oidc
                     : sso_service_client_settings(env, files.merged, selected, AwsService::SsoOidc,
                                                   role.region, kProvider);
    oidc = std::make_shared<SsoOidcClient>(context, std::move(settings), std::string(kProvider));
  }
  SsoTokenCache cache(context.files, options.cache_directory.empty()
                                         ? default_sso_cache_directory(env)
                                         : options.cache_directory);
  auto token = std::make_shared<SsoTokenProvider>(
      context,
      SsoTokenSettings{.profile = role.profile,
                       .session_name = role.sso_session,
                       .start_url = role.start_url,
                       .region = role.region,
                       .refresh_window = options.token_refresh_window},
      std::move(cache), std::move(oidc));
  auto client =
      std::make_shared<SsoPortalClient>(context, std::move(portal), std::string(kProvider));
  return std::make_shared<SsoProvider>(context, std::move(role), std::move(token),
                                       std::move(client));
}

std::shared_ptr<CredentialsProvider> make_sso_profile_provider(
    Context context, std::shared_ptr<ProfileFilesLoader> files, const std::string& profile_name,
    SsoProviderOptions options) {
  auto build = [context = std::move(context), files = std::move(files), profile_name,
                options = std::move(options)]() -> std::shared_ptr<CredentialsProvider> {
    const auto loaded = files->get();
    const Profile* profile = loaded->merged.find(profile_name);
    if (!profile_uses_sso_credentials(profile)) {
      throw CredentialsError::not_configured(
          kProvider,
          "profile `" + profile_name + "` sets neither sso_account_id nor sso_role_name");
    }
    const auto source = plan_sso_source(loaded->merged, profile_name, kProvider);
    return make_sso_provider(context, *loaded, profile, *source, options);
  };
  return std::make_shared<detail::LazyProvider>(std::string(kProvider), std::move(build));
}

}  // namespace awsauth::providers
