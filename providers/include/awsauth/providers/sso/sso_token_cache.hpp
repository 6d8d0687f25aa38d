#pragma once
/// @file sso_token_cache.hpp
/// The IAM Identity Center token cache the AWS CLI writes (`aws sso login`) and botocore reads
/// and refreshes: `~/.aws/sso/cache/<sha1-hex>.json` (botocore utils.SSOTokenLoader,
/// tokens.SSOTokenProvider).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/credentials.hpp"
#include "awsauth/environment.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/sso/json_cache_file.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers {

/// The member names of a token cache file, as the AWS CLI and botocore spell them.
namespace sso_token_fields {
inline constexpr std::string_view start_url = "startUrl";
inline constexpr std::string_view region = "region";
inline constexpr std::string_view access_token = "accessToken";
inline constexpr std::string_view expires_at = "expiresAt";
inline constexpr std::string_view client_id = "clientId";
inline constexpr std::string_view client_secret = "clientSecret";
inline constexpr std::string_view registration_expires_at = "registrationExpiresAt";
inline constexpr std::string_view refresh_token = "refreshToken";
}  // namespace sso_token_fields

/// The parsed fields of a token cache file. `access_token` and `expires_at` are always there
/// (a file without them is rejected, as botocore's SSOTokenLoader rejects it); the rest are
/// what `aws sso login` with an sso-session stores for refreshing.
struct AWSAUTH_API SsoToken {
  SecretString access_token;
  TimePoint expires_at;
  std::optional<std::string> start_url;
  std::optional<std::string> region;
  std::optional<std::string> client_id;
  std::optional<SecretString> client_secret;
  /// Parsed `registrationExpiresAt`; nullopt when absent or not a time.
  std::optional<TimePoint> registration_expires_at;
  std::optional<SecretString> refresh_token;
};

/// Parses an `expiresAt`-style time as botocore (dateutil) reads the AWS CLI's files:
/// ISO-8601 with `Z` or an offset, and the older CLI's `2024-01-01T00:00:00UTC`.
[[nodiscard]] AWSAUTH_API std::optional<TimePoint> parse_sso_cache_time(std::string_view text);

/// Formats a time as botocore writes `expiresAt` (`%Y-%m-%dT%H:%M:%SZ`, whole seconds UTC).
[[nodiscard]] AWSAUTH_API std::string format_sso_cache_time(TimePoint t);

/// The cache key of a token: the lowercase hex SHA-1 of the sso-session name for an
/// `sso_session` profile, of the start URL for a legacy profile (SSOTokenLoader).
[[nodiscard]] AWSAUTH_API std::string sso_token_cache_key(
    std::string_view start_url, const std::optional<std::string>& session_name);

/// `~/.aws/sso/cache`, `~` taken from `HOME` in `env` (as os.path.expanduser).
[[nodiscard]] AWSAUTH_API std::string default_sso_cache_directory(const Environment& env);

/// One token cache file as read: where it is, the whole document (every member, for writing
/// back) and its parsed fields.
struct AWSAUTH_API SsoTokenCacheEntry {
  std::string path;
  JsonCacheDocument document;
  SsoToken token;
};

/// Reads and writes the token cache files of one directory.
class AWSAUTH_API SsoTokenCache {
 public:
  /// `files` reads (the context's file seam); writes go to the real file system through
  /// write_json_cache_file(). `directory` is normally default_sso_cache_directory().
  SsoTokenCache(std::shared_ptr<const FileSystem> files, std::string directory);

  [[nodiscard]] const std::string& directory() const noexcept { return directory_; }
  /// `<directory>/<sso_token_cache_key()>.json`.
  [[nodiscard]] std::string path_for(std::string_view start_url,
                                     const std::optional<std::string>& session_name) const;

  /// The cached token, or nullopt when there is no file. A file that cannot be read, is not
  /// JSON, or lacks `accessToken` / `expiresAt` (or holds a value of the wrong type) throws
  /// CredentialsError(InvalidConfiguration) from provider `sso` naming the file and the
  /// problem, never a value.
  [[nodiscard]] std::optional<SsoTokenCacheEntry> load(
      std::string_view start_url, const std::optional<std::string>& session_name) const;

  /// Parses a token file's text; `path` is for messages. Throws as load() does.
  [[nodiscard]] static SsoTokenCacheEntry parse(std::string path, std::string_view text);

  /// Writes `entry.document` to `entry.path` atomically (write_json_cache_file()). Throws
  /// CredentialsError(ProviderFailure) from provider `sso` naming the file on failure.
  static void store(const SsoTokenCacheEntry& entry);

 private:
  std::shared_ptr<const FileSystem> files_;
  std::string directory_;
};

}  // namespace awsauth::providers
