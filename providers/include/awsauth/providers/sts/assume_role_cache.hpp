#pragma once
/// @file assume_role_cache.hpp
/// The seam through which an AssumeRole provider reuses credentials across processes, and the
/// key that names one AssumeRole call.

#include <optional>
#include <string>
#include <vector>

#include "awsauth/credentials.hpp"
#include "awsauth/export.hpp"

namespace awsauth::providers {

/// Everything that decides what one AssumeRole call returns, and whose credentials make it.
///
/// botocore's `AssumeRoleCredentialFetcher._create_cache_key` hashes the AssumeRole arguments
/// only, so two users (two source keys) assuming the same role share an entry; ours adds the
/// source access key id so an entry is only ever reused by the identity that created it.
struct AWSAUTH_API AssumeRoleCacheKey {
  std::string role_arn;
  /// Leave empty when the provider generated the session name: like botocore, a random name
  /// must not make every process miss the cache.
  std::optional<std::string> role_session_name;
  std::optional<std::string> external_id;
  std::optional<std::string> mfa_serial;
  std::optional<int> duration_seconds;
  /// The inline session policy (JSON text). Its keys are sorted before hashing, so equivalent
  /// policies written in a different order share an entry (botocore does the same).
  std::optional<std::string> policy;
  std::vector<std::string> policy_arns;
  /// The access key id of the credentials that call AssumeRole (never the secret).
  std::string source_access_key_id;
};

/// The file-name-safe cache key: the lowercase hex SHA-1 of the arguments as JSON with sorted
/// keys, in botocore's argument names (`RoleArn`, `RoleSessionName`, `ExternalId`,
/// `SerialNumber`, `DurationSeconds`, `Policy`, `PolicyArns`) plus `SourceAccessKeyId`.
/// Throws std::invalid_argument when `policy` is set but is not a JSON object.
[[nodiscard]] AWSAUTH_API std::string make_assume_role_cache_key(const AssumeRoleCacheKey& key);

/// Where an AssumeRole provider keeps and finds credentials between processes. The STS
/// provider accepts one as an option; without it, nothing leaves memory.
///
/// Implementations never throw: a cache is an optimisation, so every failure is a miss.
class AWSAUTH_API AssumeRoleCache {
 public:
  virtual ~AssumeRoleCache() = default;
  /// Credentials stored under `key` that are still usable (outside the refresh window), else
  /// nullptr.
  [[nodiscard]] virtual CredentialsPtr load(const std::string& key) noexcept = 0;
  /// Stores `credentials` under `key`, replacing what was there. Credentials without an
  /// expiration are not stored (assumed-role credentials always expire).
  virtual void store(const std::string& key, const Credentials& credentials) noexcept = 0;
};

/// The 0.1 names, kept so programs written against them still compile.
using AssumedRoleCache [[deprecated("use AssumeRoleCache")]] = AssumeRoleCache;
[[deprecated("use make_assume_role_cache_key")]] inline std::string make_assumed_role_cache_key(
    const AssumeRoleCacheKey& key) {
  return make_assume_role_cache_key(key);
}

}  // namespace awsauth::providers
