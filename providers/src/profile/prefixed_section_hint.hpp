#pragma once
// A missing profile that the credentials file holds as `[profile NAME]`: botocore and the AWS
// CLI ignore such a section there (the `profile ` prefix belongs to the config file only).

#include <string>

#include "awsauth/providers/profile/profile.hpp"

namespace awsauth::providers::detail {

/// "; FILE line N has [profile NAME], which the credentials file ignores: write it as [NAME]
/// there (the `profile ` prefix is only for the config file)", or "" when there is no such
/// section.
inline std::string prefixed_section_hint(const ProfileFiles& files, const std::string& name) {
  const auto it = files.credentials.prefixed_in_credentials.find(name);
  if (it == files.credentials.prefixed_in_credentials.end()) return {};
  std::string hint = "; ";
  hint.append(files.credentials_path).append(" line ").append(std::to_string(it->second));
  hint.append(" has [profile ").append(name).append("], which the credentials file ignores: ");
  hint.append("write it as [").append(name).append("] there (the `profile ` prefix is only for ");
  hint.append("the config file)");
  return hint;
}

}  // namespace awsauth::providers::detail
