#pragma once
/// @file credential_process.hpp
/// Credentials printed by an external program named in the profile's `credential_process`
/// (`custom-process` in botocore).

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/profile/profile_files.hpp"

namespace awsauth::providers {

/// Environment variable awsauth sets for the programs it runs as `credential_process`: the
/// comma-separated profiles being resolved that way by awsauth processes up the tree. An awsauth
/// asked to run the `credential_process` of a profile already listed refuses: it would call
/// itself forever.
inline constexpr std::string_view kCredentialProcessMarker = "AWSAUTH_CREDENTIAL_PROCESS_PROFILES";

/// Splits a command line into argv by POSIX shell quoting rules as Python's `shlex.split`
/// (which botocore uses) does: whitespace separates words; '...' is literal; inside "..." a
/// backslash escapes only `"` and `\`; outside quotes a backslash escapes any character. No
/// expansion of any kind. Throws std::invalid_argument on an unterminated quote or a trailing
/// backslash.
[[nodiscard]] AWSAUTH_API std::vector<std::string> split_command_line(std::string_view command);

/// Parses the program's stdout: a JSON object with `Version` 1, `AccessKeyId`,
/// `SecretAccessKey`, and optionally `SessionToken`, `Expiration` (ISO-8601) and `AccountId`.
/// Throws std::invalid_argument saying what is wrong; the message never quotes the output
/// (it holds secrets).
[[nodiscard]] AWSAUTH_API CredentialsInit parse_credential_process_output(std::string_view json);

/// Settings of a CredentialProcessProvider.
struct AWSAUTH_API CredentialProcessOptions {
  /// The program is killed after this long (the AWS CLI and botocore have no limit; a hung
  /// program would hang every caller).
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  /// More stdout than this is not credentials: the program is killed.
  std::size_t max_output_bytes = 1 << 20;
};

/// Runs the merged profile's `credential_process` on every `get()` (put a CachingProvider in
/// front; credentials with `Expiration` are then refreshed, without it kept). The program gets
/// our stdin and stderr (prompts reach the user) and its stderr is also kept for messages.
///
/// NotConfigured when the profile has no `credential_process`; InvalidConfiguration when the
/// command cannot be split or would run awsauth for the same profile again (loop); otherwise
/// ProviderFailure for a program that cannot start, exits non-zero (with its stderr), times
/// out, prints too much, or prints something other than valid version-1 credentials.
class AWSAUTH_API CredentialProcessProvider final : public CredentialsProvider {
 public:
  CredentialProcessProvider(Context context, std::shared_ptr<ProfileFilesLoader> files,
                            std::string profile, CredentialProcessOptions options = {});

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override;

 private:
  Context context_;
  std::shared_ptr<ProfileFilesLoader> files_;
  std::string profile_;
  CredentialProcessOptions options_;
};

}  // namespace awsauth::providers
