#include "awsauth/providers/sts/web_identity.hpp"

#include <system_error>

#include "awsauth/providers/profile/profile_properties.hpp"
#include "awsauth/providers/sts/assume_role.hpp"
#include "sts/sts_result_credentials.hpp"

namespace awsauth::providers {
namespace {

std::optional<std::string> setting(const Environment* env, std::string_view var,
                                   const Profile* profile, std::string_view key) {
  if (env != nullptr) {
    if (auto v = env->get(var); v && !v->empty()) return v;
  }
  if (profile != nullptr) {
    if (const auto* p = profile->find(key); p != nullptr && !p->value.empty()) return p->value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<WebIdentityConfig> web_identity_config(const Environment& env, const Profile* profile,
                                                     bool read_environment) {
  const Environment* vars = read_environment ? &env : nullptr;
  auto token_file =
      setting(vars, "AWS_WEB_IDENTITY_TOKEN_FILE", profile, property::web_identity_token_file);
  if (!token_file) return std::nullopt;
  auto role_arn = setting(vars, "AWS_ROLE_ARN", profile, property::role_arn);
  if (!role_arn) {
    throw CredentialsError::invalid_configuration(
        provider_names::web_identity, "a web identity token file is configured (" + *token_file +
                                          ") but no role ARN: set AWS_ROLE_ARN or `role_arn`");
  }
  return WebIdentityConfig{.role_arn = *role_arn,
                           .token_file = expand_user(*token_file, env),
                           .role_session_name = setting(vars, "AWS_ROLE_SESSION_NAME", profile,
                                                        property::role_session_name)};
}

WebIdentityProvider::WebIdentityProvider(Context context, std::shared_ptr<const StsClient> sts,
                                         WebIdentityConfig config)
    : context_(std::move(context)), sts_(std::move(sts)), config_(std::move(config)) {}

std::string WebIdentityProvider::name() const { return std::string(provider_names::web_identity); }

CredentialsPtr WebIdentityProvider::get() {
  std::optional<std::string> token;
  try {
    token = context_.files->read(config_.token_file);  // re-read: the platform rotates it
  } catch (const std::system_error& e) {
    throw CredentialsError::provider_failure(
        name(), "cannot read the web identity token file: " + std::string(e.what()));
  }
  if (!token || token->empty()) {
    throw CredentialsError::provider_failure(name(), "the web identity token file " +
                                                         config_.token_file +
                                                         (token ? " is empty" : " does not exist"));
  }
  WebIdentityParams params{.role_arn = config_.role_arn,
                           .role_session_name = config_.role_session_name.value_or(
                               default_role_session_name(context_.clock->now())),
                           .web_identity_token = std::move(*token),
                           .duration_seconds = std::nullopt};
  auto result = sts_->call_for_credentials(web_identity_fields(params), nullptr, name());
  return detail::to_credentials(std::move(result), name());
}

}  // namespace awsauth::providers
