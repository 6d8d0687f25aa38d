#pragma once
/// @file profile_files.hpp
/// Which profile is in use, where the shared files are, and reading them once per chain.

#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/profile/profile.hpp"

namespace awsauth::providers {

/// The profile in use and how it was named.
struct AWSAUTH_API ProfileSelection {
  enum class Source {
    Explicit,           ///< the API or `--profile`
    AwsDefaultProfile,  ///< `AWS_DEFAULT_PROFILE`
    AwsProfile,         ///< `AWS_PROFILE`
    Default,            ///< nothing named one: `default`
  };
  std::string name;
  Source source = Source::Default;

  /// Named by the API or command line. botocore then leaves the environment keys and the
  /// environment web-identity variables out of the chain (an `AWS_PROFILE` does not).
  [[nodiscard]] bool is_explicit() const noexcept { return source == Source::Explicit; }
  /// Named any way at all: such a profile must exist; only an unnamed `default` may be absent.
  [[nodiscard]] bool is_named() const noexcept { return source != Source::Default; }
};

/// botocore's order: the explicit name, else `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE`, else
/// `default`. An empty explicit name counts as unset; an environment variable set to "" names
/// the profile "" (as in botocore, which then reports that profile missing).
[[nodiscard]] AWSAUTH_API ProfileSelection
select_profile(const Environment& env, const std::optional<std::string>& explicit_profile);

/// `AWS_CONFIG_FILE`, else `~/.aws/config`, with `~` expanded; "" when the variable is set
/// empty (botocore then reads no config file).
[[nodiscard]] AWSAUTH_API std::string config_file_path(const Environment& env);
/// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`, with `~` expanded; "" when the
/// variable is set empty (no credentials file).
[[nodiscard]] AWSAUTH_API std::string credentials_file_path(const Environment& env);

/// Reads and parses both files (a missing file has no profiles). Throws CredentialsError
/// (InvalidConfiguration, provider "profile-files") naming file and line for a malformed file,
/// or naming the file when it cannot be read.
[[nodiscard]] AWSAUTH_API ProfileFiles read_profile_files(const Context& context);

/// Reads the files on first use and hands every later caller the same result (or the same
/// error), so all providers of one chain see one consistent snapshot, as in botocore.
/// Thread-safe.
class AWSAUTH_API ProfileFilesLoader {
 public:
  explicit ProfileFilesLoader(Context context) : context_(std::move(context)) {}
  /// A loader that already holds `files` (parsed by the caller): get() never reads.
  explicit ProfileFilesLoader(ProfileFiles files)
      : files_(std::make_shared<const ProfileFiles>(std::move(files))) {}

  /// The files, read on the first call. Rethrows the first call's error.
  [[nodiscard]] std::shared_ptr<const ProfileFiles> get();

 private:
  Context context_;
  std::mutex mutex_;
  std::shared_ptr<const ProfileFiles> files_;
  std::exception_ptr error_;
};

/// Where a property was written, for messages: "profile 'dev' in /home/u/.aws/config".
[[nodiscard]] AWSAUTH_API std::string describe_profile(const std::string& profile,
                                                       const ProfileValue& where);

}  // namespace awsauth::providers
