// botocore 1.43 LoginProvider + LoginCredentialFetcher.
#include "awsauth/providers/login/login_provider.hpp"

#include <map>
#include <mutex>

#include "awsauth/providers/detail/sts_http_options.hpp"
#include "awsauth/providers/endpoints.hpp"
#include "awsauth/providers/login/dpop.hpp"
#include "awsauth/providers/login/login_token.hpp"
#include "awsauth/providers/profile/profile_properties.hpp"
#include "awsauth/providers/profile/resolved_profile.hpp"
#include "awsauth/providers/sts/retry_config.hpp"
#include "login/signin_token_client.hpp"

namespace awsauth::providers {
namespace {

constexpr std::string_view kProvider = provider_names::login;

CredentialsPtr credentials_of(const std::string& access_key_id, const SecretString& secret,
                              const SecretString& token, TimePoint expires_at,
                              const std::string& account_id) {
  return make_credentials({.access_key_id = access_key_id,
                           .secret_access_key = secret,
                           .session_token = token,
                           .expiration = expires_at,
                           .provider_name = std::string(kProvider),
                           .account_id = account_id});
}

// One refresh at a time per token file in this process, however many providers (chains,
// role-chain sources) read it: the others wait and then read the file the first one wrote.
std::shared_ptr<std::mutex> file_lock(const std::string& path) {
  static std::mutex guard;
  static std::map<std::string, std::shared_ptr<std::mutex>> locks;
  std::lock_guard lock(guard);
  auto& slot = locks[path];
  if (!slot) slot = std::make_shared<std::mutex>();
  return slot;
}

}  // namespace

LoginProvider::LoginProvider(Context context, std::shared_ptr<ProfileFilesLoader> files,
                             std::string profile, LoginProviderOptions options)
    : context_(std::move(context)),
      files_(std::move(files)),
      profile_(std::move(profile)),
      options_(std::move(options)) {}

CredentialsPtr LoginProvider::get() {
  const auto files = files_->get();
  const Profile* profile = files->merged.find(profile_);
  const ProfileValue* session = profile ? profile->find(property::login_session) : nullptr;
  if (session == nullptr) {
    throw CredentialsError::not_configured(
        kProvider, profile == nullptr ? "profile `" + profile_ + "` was not found"
                                      : "profile `" + profile_ + "` has no login_session");
  }
  const LoginTokenOrigin origin{.path = login_cache_path(*context_.environment, session->value),
                                .profile = profile_};

  const auto serialized = file_lock(origin.path);
  std::lock_guard lock(*serialized);
  const LoginToken token = read_login_token(*context_.files, origin);
  const TimePoint now = context_.clock->now();
  if (token.expires_at - now > login_refresh_threshold) {
    return credentials_of(token.access_key_id, token.secret_access_key, token.session_token,
                          token.expires_at, token.account_id);
  }

  std::optional<DpopKey> key;
  try {
    key.emplace(DpopKey::from_pem(token.dpop_key.reveal()));
  } catch (const DpopKeyError& e) {
    throw CredentialsError::invalid_configuration(
        kProvider, "the login session cache file " + origin.path + " (of profile `" + profile_ +
                       "`) holds a dpopKey that cannot be used: " + e.what() +
                       "; run `aws login --profile " + profile_ + "` to sign in again");
  }

  // botocore creates the signin client from the session: the selected profile's region and
  // endpoint settings.
  const Profile* client = profile;
  if (options_.client_profile && *options_.client_profile != profile_) {
    client = files->merged.find(*options_.client_profile);
  }
  const Environment& env = *context_.environment;
  const auto region = resolve_region(env, client);
  ServiceEndpoint endpoint;
  try {
    endpoint = resolve_service_endpoint(env, files->merged, client, AwsService::Signin,
                                        region ? region->name : "", kProvider);
  } catch (const CredentialsError& e) {
    if (region) throw;
    // Without a region only a configured endpoint URL can say where the service is.
    throw CredentialsError::invalid_configuration(
        kProvider, "the console login session of profile `" + profile_ +
                       "` needs refreshing, but no region is set for the sign-in service; set "
                       "AWS_REGION or AWS_DEFAULT_REGION, or `region` in the profile (" +
                       e.reason() + ")");
  }

  detail::SigninClientSettings settings;
  settings.http = options_.http;
  const HttpOptions routed = sts_http_options(env, client, endpoint.url);
  settings.http.proxy = routed.proxy;
  settings.http.ca_bundle = routed.ca_bundle;
  const RetryConfig retry = resolve_retry_config(
      env, client, RetryOverrides{.mode = std::nullopt, .max_attempts = options_.max_attempts},
      kProvider);
  settings.mode = retry.mode;
  settings.max_attempts = retry.max_attempts;
  settings.base_backoff = options_.base_backoff;
  settings.max_backoff = options_.max_backoff;
  settings.sleep = options_.sleep;

  const LoginTokenRefresh refreshed = detail::refresh_login_session(
      context_, settings,
      detail::SigninRefreshRequest{.endpoint_url = endpoint.url,
                                   .client_id = token.client_id,
                                   .refresh_token = token.refresh_token},
      *key, origin);
  write_login_token_file(
      origin, updated_login_token_document(token.document, token.account_id, refreshed, origin));
  return credentials_of(refreshed.access_key_id, refreshed.secret_access_key,
                        refreshed.session_token, refreshed.expires_at, token.account_id);
}

}  // namespace awsauth::providers
