#pragma once
/// @file credentials_file_cache.hpp
/// An on-disk AssumeRoleCache: botocore's JSONFileCache, made safe to share a disk with.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "awsauth/clock.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/sts/assume_role_cache.hpp"

namespace awsauth::providers {

/// Options of a CredentialsFileCache.
struct AWSAUTH_API CredentialsFileCacheOptions {
  /// The cache directory. Created (with missing parents) with mode 0700 when absent.
  std::string directory;
  /// An entry whose expiration is this close (or closer) is not used, so a caller never gets
  /// credentials that the cache in front of it would refresh at once. Pass the refresh
  /// policy's advisory window (botocore uses 15 minutes for its assume-role cache).
  std::chrono::seconds refresh_window{std::chrono::minutes(15)};
  /// Told why an entry was passed over or could not be written (path and reason; never a key
  /// or a secret). May be empty.
  std::function<void(const std::string&)> warn;
};

/// Stores one JSON file per key, `<directory>/<key>.json`, in botocore's layout
/// (`{"Credentials": {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}}`).
///
/// Safety rules (where botocore's JSONFileCache has none):
/// - the directory must belong to the current user; if it is group- or world-accessible it is
///   tightened to 0700, and if it belongs to someone else the cache is not used at all;
/// - files are created 0600; a file that is not a regular file owned by the current user with
///   no group/other permission bits is ignored (and replaced on the next store);
/// - writes are atomic: a temporary file in the same directory, fsync, rename over the entry,
///   fsync of the directory; readers see the old entry or the new one, never a mix;
/// - an unreadable, corrupt or truncated file is a miss, and the next store replaces it.
class AWSAUTH_API CredentialsFileCache final : public AssumeRoleCache {
 public:
  CredentialsFileCache(CredentialsFileCacheOptions options, std::shared_ptr<const Clock> clock);

  [[nodiscard]] CredentialsPtr load(const std::string& key) noexcept override;
  void store(const std::string& key, const Credentials& credentials) noexcept override;

  /// The file that holds `key`.
  [[nodiscard]] std::string path_for(const std::string& key) const;

 private:
  [[nodiscard]] bool prepare_directory(bool create) noexcept;
  void warn(const std::string& message) const noexcept;

  CredentialsFileCacheOptions options_;
  std::shared_ptr<const Clock> clock_;
};

}  // namespace awsauth::providers
