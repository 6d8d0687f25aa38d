#pragma once
/// @file profile_keys.hpp
/// Static keys written in a profile of one shared file (`shared-credentials-file` and
/// `config-file` in botocore).

#include <memory>
#include <string>

#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/profile/profile_files.hpp"

namespace awsauth::providers {

/// Which file a ProfileKeysProvider reads.
enum class ProfileKeysFile {
  Credentials,  ///< name "shared-credentials-file"
  Config,       ///< name "config-file"
};

/// The static keys of `profile` in ONE of the already-read files, with ProfileKeysProvider's
/// rules and errors (the provider name is the file's: "shared-credentials-file" or
/// "config-file"). Also used for the source profiles of a role chain.
[[nodiscard]] AWSAUTH_API CredentialsPtr read_profile_keys(const ProfileFiles& files,
                                                           const std::string& profile,
                                                           ProfileKeysFile which);

/// `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token` (the legacy
/// `aws_security_token` only when it is absent: botocore prefers the legacy name) and
/// `aws_account_id` from the profile's section in ONE file, as botocore does: a key in the
/// credentials file and a secret in the config file do not combine.
///
/// NotConfigured when the file, the profile or its `aws_access_key_id` is absent;
/// InvalidConfiguration (naming the profile, file and line) when the key id is set but empty,
/// or the secret is missing or empty; any error of the shared loader is rethrown.
class AWSAUTH_API ProfileKeysProvider final : public CredentialsProvider {
 public:
  ProfileKeysProvider(std::shared_ptr<ProfileFilesLoader> files, std::string profile,
                      ProfileKeysFile which);

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override;

 private:
  std::shared_ptr<ProfileFilesLoader> files_;
  std::string profile_;
  ProfileKeysFile which_;
};

}  // namespace awsauth::providers
