#include "awsauth/providers/environment.hpp"

#include <optional>

namespace awsauth::providers {
namespace {

// botocore treats a variable set to the empty string as absent.
std::optional<std::string> non_empty(const Environment& env, std::string_view name) {
  auto value = env.get(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

}  // namespace

EnvironmentProvider::EnvironmentProvider(Context context) : context_(std::move(context)) {}

std::string EnvironmentProvider::name() const { return std::string(provider_names::environment); }

CredentialsPtr EnvironmentProvider::get() {
  const Environment& env = *context_.environment;
  const auto key = non_empty(env, "AWS_ACCESS_KEY_ID");
  auto secret = non_empty(env, "AWS_SECRET_ACCESS_KEY");
  if (!key && !secret) {
    throw CredentialsError(ErrorKind::NotConfigured, name(),
                           "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  }
  if (!secret) {
    throw CredentialsError(ErrorKind::InvalidConfiguration, name(),
                           "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both");
  }
  if (!key) {
    throw CredentialsError(ErrorKind::InvalidConfiguration, name(),
                           "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both");
  }
  auto token = non_empty(env, "AWS_SESSION_TOKEN");
  if (!token) token = non_empty(env, "AWS_SECURITY_TOKEN");

  std::optional<TimePoint> expiration;
  if (const auto text = non_empty(env, "AWS_CREDENTIAL_EXPIRATION")) {
    expiration = parse_iso8601(*text);
    if (!expiration) {
      throw CredentialsError(
          ErrorKind::InvalidConfiguration, name(),
          "AWS_CREDENTIAL_EXPIRATION is not an ISO-8601 timestamp: '" + *text + "'");
    }
  }
  return make_credentials({.access_key_id = *key,
                           .secret_access_key = SecretString(std::move(*secret)),
                           .session_token = SecretString(token.value_or("")),
                           .expiration = expiration,
                           .provider_name = name(),
                           .account_id = non_empty(env, "AWS_ACCOUNT_ID")});
}

}  // namespace awsauth::providers
