#pragma once
/// @file profile.hpp
/// Parsed shared config and credentials files: the plain values profile resolution works on.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/export.hpp"

namespace awsauth::providers {

/// One property of a profile, with where it was written (for error messages).
struct AWSAUTH_API ProfileValue {
  std::string value;
  std::string file;  ///< path of the file it came from
  int line = 0;      ///< 1-based line of the `key = value` line
};

/// A named section: `[default]`, `[profile name]` in the config file, `[name]` in the
/// credentials file, `[sso-session name]` or `[services name]`.
struct AWSAUTH_API Profile {
  std::string name;
  std::map<std::string, ProfileValue, std::less<>> properties;

  /// The property's value, or nullptr when absent.
  [[nodiscard]] const ProfileValue* find(std::string_view key) const {
    auto it = properties.find(key);
    return it == properties.end() ? nullptr : &it->second;
  }
};

/// The profiles of one file, or of both files merged.
struct AWSAUTH_API ProfileSet {
  std::map<std::string, Profile, std::less<>> profiles;
  std::map<std::string, Profile, std::less<>> sso_sessions;
  /// Config file only: `[services NAME]` sections. Each property is a service key (`sts`,
  /// `sso_oidc`) whose value holds its sub-properties, one `key = value` per line after a
  /// leading newline (`"\nendpoint_url = http://127.0.0.1:4566"`), as the parser keeps them.
  std::map<std::string, Profile, std::less<>> services;
  /// Credentials file only: sections written `[profile NAME]`, which are not profiles there
  /// (the SDKs ignore them): NAME -> the header's 1-based line, for a hint when NAME is missing.
  std::map<std::string, int, std::less<>> prefixed_in_credentials;

  [[nodiscard]] const Profile* find(std::string_view name) const {
    auto it = profiles.find(name);
    return it == profiles.end() ? nullptr : &it->second;
  }
};

/// Both shared files as read once for a chain: each kept on its own (static keys are taken from
/// one file at a time, as botocore does) and the two merged (credentials-file values win).
struct AWSAUTH_API ProfileFiles {
  std::string config_path;       ///< resolved path of the config file (may not exist)
  std::string credentials_path;  ///< resolved path of the credentials file (may not exist)
  ProfileSet config;
  ProfileSet credentials;
  ProfileSet merged;
  /// Why a file that exists was read as empty: it is not a regular file (`/dev/null`, a FIFO, a
  /// directory), which botocore skips too. One sentence per file, for messages.
  std::vector<std::string> skipped;
};

}  // namespace awsauth::providers
