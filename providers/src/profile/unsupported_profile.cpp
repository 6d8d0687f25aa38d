#include "profile/unsupported_profile.hpp"

#include <array>
#include <span>

#include "awsauth/providers/profile/profile_properties.hpp"

namespace awsauth::providers {

UnsupportedProfileProvider::UnsupportedProfileProvider(std::shared_ptr<ProfileFilesLoader> files,
                                                       std::string profile,
                                                       UnsupportedProfileType type)
    : files_(std::move(files)), profile_(std::move(profile)), type_(type) {}

std::string UnsupportedProfileProvider::name() const {
  return std::string(type_ == UnsupportedProfileType::Sso ? unsupported_names::sso
                                                          : unsupported_names::login);
}

CredentialsPtr UnsupportedProfileProvider::get() {
  // The keys that make botocore's SSOProvider / LoginProvider take the profile.
  static constexpr std::array<std::string_view, 5> kSsoKeys = {
      property::sso_session, property::sso_start_url, property::sso_region,
      property::sso_account_id, property::sso_role_name};
  static constexpr std::array<std::string_view, 1> kLoginKeys = {property::login_session};
  const bool sso = type_ == UnsupportedProfileType::Sso;

  const auto files = files_->get();
  const Profile* profile = files->merged.find(profile_);
  if (profile != nullptr) {
    for (std::string_view key : sso ? std::span<const std::string_view>(kSsoKeys)
                                    : std::span<const std::string_view>(kLoginKeys)) {
      if (const ProfileValue* v = profile->find(key)) {
        throw CredentialsError::invalid_configuration(
            name(),
            describe_profile(profile_, *v) + " (line " + std::to_string(v->line) + ": " +
                std::string(key) + ") uses " +
                (sso ? "IAM Identity Center (SSO)" : "a console login session (login_session)") +
                ", which awsauth does not support yet");
      }
    }
  }
  throw CredentialsError::not_configured(
      name(), "profile '" + profile_ + "' has no " + (sso ? "SSO settings" : "login_session"));
}

}  // namespace awsauth::providers
