// Where an IAM Identity Center client sends its calls and how it retries: the selected
// profile's settings, as botocore's `sso` / `sso-oidc` clients read them. Its own file so that
// the clients themselves need nothing but a URL.
#include "awsauth/providers/detail/sts_http_options.hpp"
#include "awsauth/providers/endpoints.hpp"
#include "awsauth/providers/sso/sso_oidc_client.hpp"

namespace awsauth::providers {

SsoServiceClientSettings sso_service_client_settings(const Environment& env,
                                                     const ProfileSet& profiles,
                                                     const Profile* profile, AwsService service,
                                                     std::string_view region,
                                                     std::string_view provider) {
  SsoServiceClientSettings settings;
  const ServiceEndpoint endpoint =
      resolve_service_endpoint(env, profiles, profile, service, region, provider);
  settings.endpoint = endpoint.url;
  while (!settings.endpoint.empty() && settings.endpoint.back() == '/')
    settings.endpoint.pop_back();
  const HttpOptions resolved = sts_http_options(env, profile, settings.endpoint);
  settings.http.proxy = resolved.proxy;
  settings.http.ca_bundle = resolved.ca_bundle;
  const RetryConfig retry = resolve_retry_config(env, profile, {}, provider);
  settings.retry_mode = retry.mode;
  settings.max_attempts = retry.max_attempts;
  return settings;
}

}  // namespace awsauth::providers
