#include "profile/named_profile_check.hpp"

#include "awsauth/errors.hpp"
#include "profile/prefixed_section_hint.hpp"

namespace awsauth::providers::detail {
namespace {

const char* how_named(ProfileSelection::Source source) {
  switch (source) {
    case ProfileSelection::Source::Explicit:
      return "named explicitly";
    case ProfileSelection::Source::AwsDefaultProfile:
      return "named by AWS_DEFAULT_PROFILE";
    case ProfileSelection::Source::AwsProfile:
      return "named by AWS_PROFILE";
    case ProfileSelection::Source::Default:
      return "the default";
  }
  return "named";
}

}  // namespace

void check_named_profile_exists(const ResolvedProfile& resolved, const std::string& chain_name) {
  const ProfileSelection& profile = resolved.selection;
  if (!profile.is_named() || resolved.profile() != nullptr) return;
  const ProfileFiles& files = *resolved.files;
  std::string reason = "profile '" + profile.name + "' (" + how_named(profile.source) +
                       ") is not in " + files.config_path + " or " + files.credentials_path;
  for (const auto& note : files.skipped) reason += " (" + note + ")";
  reason += prefixed_section_hint(files, profile.name);
  throw CredentialsError::invalid_configuration(chain_name, reason);
}

}  // namespace awsauth::providers::detail
