#pragma once
/// @file profile_parser.hpp
/// The shared config / credentials file parser: a pure function over bytes, no I/O, so it can
/// be table-tested against `profile-parser-tests.json` and fuzzed.

#include <stdexcept>
#include <string>
#include <string_view>

#include "awsauth/export.hpp"
#include "awsauth/providers/profile/profile.hpp"

namespace awsauth::providers {

/// Which of the two shared files a text is. They differ in section names: the config file
/// writes `[default]`, `[profile name]` and `[sso-session name]`; the credentials file `[name]`.
enum class ProfileFileKind { Config, Credentials };

/// A malformed file. `what()` reads `<file>:<line>: <message>`.
class AWSAUTH_API ProfileParseError : public std::runtime_error {
 public:
  ProfileParseError(std::string file, int line, std::string message);

  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  /// 1-based line of the offending line.
  [[nodiscard]] int line() const noexcept { return line_; }
  /// The message without file and line ("Expected an '=' sign defining a property").
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  std::string file_;
  int line_;
  std::string message_;
};

/// Parses one file's text into its profiles (and, for the config file, its sso-sessions),
/// following the cross-SDK profile file rules (the shared `profile-parser-tests.json`):
/// comments start with `#` or `;` (inside a value only after whitespace), indented lines
/// continue the previous value, an empty value followed by indented `k = v` lines holds
/// sub-properties, property names are lowercased, sections or properties with invalid names
/// are ignored, a repeated section merges and a repeated property keeps the last value, and
/// `[profile default]` hides `[default]` in the config file.
///
/// `file_name` is only used for `ProfileValue::file` and error messages.
/// Throws ProfileParseError naming `file_name` and the line when the text is malformed.
[[nodiscard]] AWSAUTH_API ProfileSet parse_profile_file(std::string_view text,
                                                        std::string_view file_name,
                                                        ProfileFileKind kind);

/// Merges the config file's profiles with the credentials file's, property by property; the
/// credentials file wins where both set a property (as botocore and the SDKs do).
[[nodiscard]] AWSAUTH_API ProfileSet merge_profile_sets(const ProfileSet& config,
                                                        const ProfileSet& credentials);

}  // namespace awsauth::providers
