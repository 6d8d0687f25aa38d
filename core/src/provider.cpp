#include "awsauth/provider.hpp"

namespace awsauth {
namespace {

std::string known_words(std::string_view name) {
  // What a user configured, in the words of the AWS documentation, not botocore's method names.
  if (name == provider_names::environment) return "environment variables";
  if (name == provider_names::shared_credentials_file) return "the shared credentials file";
  if (name == provider_names::credential_process) return "credential_process";
  if (name == provider_names::config_file) return "the config file";
  if (name == provider_names::container) return "the container credentials endpoint";
  if (name == provider_names::instance_metadata) return "EC2 instance metadata";
  if (name == provider_names::assume_role) return "the role in role_arn";
  if (name == provider_names::web_identity) return "the web identity role";
  if (name == provider_names::static_keys) return "fixed credentials";
  if (name == provider_names::sso) return "IAM Identity Center";
  if (name == provider_names::login) return "console sign-in";
  return {};
}

}  // namespace

std::string describe_provider(std::string_view name) {
  std::string words = known_words(name);
  if (!words.empty()) return words;
  return std::string("provider '").append(name).append("'");
}

std::string provider_label(std::string_view name) {
  std::string words = known_words(name);
  if (words.empty()) return std::string(name);
  return words.append(" (").append(name).append(")");
}

}  // namespace awsauth
