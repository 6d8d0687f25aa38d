#pragma once
/// @file unsupported_profile.hpp
/// Stands in botocore's chain positions of the profile types awsauth cannot resolve yet (IAM
/// Identity Center / SSO, and `login_session`), so such a profile fails clearly instead of
/// falling through to a later provider (e.g. the instance metadata service).

#include <memory>
#include <string>
#include <string_view>

#include "awsauth/provider.hpp"
#include "awsauth/providers/profile/profile_files.hpp"

namespace awsauth::providers {

/// The botocore method names of the unsupported sources.
namespace unsupported_names {
inline constexpr std::string_view sso = "sso";
inline constexpr std::string_view login = "login";
}  // namespace unsupported_names

/// Which unsupported profile type to detect.
enum class UnsupportedProfileType {
  Sso,    ///< `sso_session`, `sso_start_url`, `sso_region`, `sso_account_id`, `sso_role_name`
  Login,  ///< `login_session`
};

/// NotConfigured when the profile has none of the type's settings; otherwise always throws
/// InvalidConfiguration: "profile 'dev' in /path/config (line 3: sso_start_url) uses IAM
/// Identity Center (SSO), which awsauth does not support yet".
class UnsupportedProfileProvider final : public CredentialsProvider {
 public:
  UnsupportedProfileProvider(std::shared_ptr<ProfileFilesLoader> files, std::string profile,
                             UnsupportedProfileType type);

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override;

 private:
  std::shared_ptr<ProfileFilesLoader> files_;
  std::string profile_;
  UnsupportedProfileType type_;
};

}  // namespace awsauth::providers
