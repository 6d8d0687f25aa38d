#include "awsauth/providers/profile/profile_keys.hpp"

#include "awsauth/providers/profile/profile_properties.hpp"
#include "prefixed_section_hint.hpp"

namespace awsauth::providers {

ProfileKeysProvider::ProfileKeysProvider(std::shared_ptr<ProfileFilesLoader> files,
                                         std::string profile, ProfileKeysFile which)
    : files_(std::move(files)), profile_(std::move(profile)), which_(which) {}

namespace {

std::string file_provider_name(ProfileKeysFile which) {
  return std::string(which == ProfileKeysFile::Credentials ? provider_names::shared_credentials_file
                                                           : provider_names::config_file);
}

}  // namespace

std::string ProfileKeysProvider::name() const { return file_provider_name(which_); }

CredentialsPtr ProfileKeysProvider::get() {
  return read_profile_keys(*files_->get(), profile_, which_);
}

CredentialsPtr read_profile_keys(const ProfileFiles& files, const std::string& profile_name,
                                 ProfileKeysFile which) {
  const std::string name = file_provider_name(which);
  const bool creds_file = which == ProfileKeysFile::Credentials;
  const ProfileSet& set = creds_file ? files.credentials : files.config;
  const std::string& path = creds_file ? files.credentials_path : files.config_path;

  const Profile* profile = set.find(profile_name);
  if (profile == nullptr) {
    std::string reason = "no profile '" + profile_name + "' in " + path;
    if (creds_file) reason += detail::prefixed_section_hint(files, profile_name);
    throw CredentialsError::not_configured(name, reason);
  }
  const ProfileValue* key = profile->find(property::aws_access_key_id);
  if (key == nullptr) {
    throw CredentialsError::not_configured(
        name, "profile '" + profile_name + "' in " + path + " has no aws_access_key_id");
  }
  const auto where = [&](const ProfileValue& v) {
    return describe_profile(profile_name, v) + " line " + std::to_string(v.line);
  };
  if (key->value.empty()) {
    throw CredentialsError::invalid_configuration(name,
                                                  "aws_access_key_id is empty in " + where(*key));
  }
  const ProfileValue* secret = profile->find(property::aws_secret_access_key);
  if (secret == nullptr || secret->value.empty()) {
    throw CredentialsError::invalid_configuration(
        name, "aws_access_key_id is set but aws_secret_access_key is " +
                  std::string(secret == nullptr ? "missing" : "empty") + " in " +
                  where(secret == nullptr ? *key : *secret));
  }
  const ProfileValue* token = profile->find(property::aws_session_token);
  if (token == nullptr) token = profile->find(property::aws_security_token);
  std::optional<std::string> account;
  if (const ProfileValue* a = profile->find(property::aws_account_id)) account = a->value;

  return make_credentials({.access_key_id = key->value,
                           .secret_access_key = SecretString(secret->value),
                           .session_token = SecretString(token ? token->value : ""),
                           .provider_name = name,
                           .account_id = account});
}

}  // namespace awsauth::providers
