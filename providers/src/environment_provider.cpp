#include "awsauth/providers/environment_provider.hpp"

#include <optional>

#include "non_empty_env.hpp"

namespace awsauth::providers {

EnvironmentProvider::EnvironmentProvider(Context context) : context_(std::move(context)) {}

std::string EnvironmentProvider::name() const { return std::string(provider_names::environment); }

CredentialsPtr EnvironmentProvider::get() {
  const Environment& env = *context_.environment;
  const auto key = detail::non_empty_env(env, "AWS_ACCESS_KEY_ID");
  auto secret = detail::non_empty_env(env, "AWS_SECRET_ACCESS_KEY");
  if (!key && !secret) {
    throw CredentialsError::not_configured(
        name(), "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  }
  if (!secret) {
    throw CredentialsError::invalid_configuration(
        name(), "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both");
  }
  if (!key) {
    throw CredentialsError::invalid_configuration(
        name(), "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both");
  }
  auto token = detail::non_empty_env(env, "AWS_SESSION_TOKEN");
  if (!token) token = detail::non_empty_env(env, "AWS_SECURITY_TOKEN");

  std::optional<TimePoint> expiration;
  if (const auto text = detail::non_empty_env(env, "AWS_CREDENTIAL_EXPIRATION")) {
    expiration = parse_iso8601(*text);
    if (!expiration) {
      throw CredentialsError::invalid_configuration(
          name(),
          "environment variable AWS_CREDENTIAL_EXPIRATION: " + describe_iso8601_error(*text));
    }
  }
  return make_credentials({.access_key_id = *key,
                           .secret_access_key = SecretString(std::move(*secret)),
                           .session_token = SecretString(token.value_or("")),
                           .expiration = expiration,
                           .provider_name = name(),
                           .account_id = detail::non_empty_env(env, "AWS_ACCOUNT_ID")});
}

}  // namespace awsauth::providers
