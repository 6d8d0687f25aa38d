#pragma once
/// @file retry_config.hpp
/// How many times, and under which rules, an STS call is retried: `AWS_RETRY_MODE` /
/// `retry_mode` and `AWS_MAX_ATTEMPTS` / `max_attempts`, resolved as botocore's config chain
/// does. A pure function of the environment and the selected profile (docs/sts.md, "Retries").

#include <optional>
#include <string_view>

#include "awsauth/environment.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/profile/profile.hpp"

namespace awsauth::providers {

/// The retry rules of botocore's two modes. botocore's `adaptive` is `standard` plus a
/// client-side rate limiter; awsauth has no rate limiter, so `adaptive` resolves to Standard.
enum class RetryMode {
  /// botocore/retries/standard.py: 500/502/503/504, throttling and transient error codes,
  /// transport errors; a retry quota per client; 3 attempts by default.
  Standard,
  /// botocore's _retry.json for STS (retryhandler.py): 500/502/503/504/509/429, a few
  /// throttling codes with HTTP 400, transport errors; no quota; 5 attempts by default.
  Legacy,
};

/// "standard" or "legacy".
[[nodiscard]] AWSAUTH_API std::string_view to_string(RetryMode mode) noexcept;

/// Attempts (counting the first) when none is configured: Standard 3
/// (standard.DEFAULT_MAX_ATTEMPTS), Legacy 5 (_retry.json `__default__.max_attempts`).
[[nodiscard]] constexpr int default_max_attempts(RetryMode mode) noexcept {
  return mode == RetryMode::Standard ? 3 : 5;
}

/// botocore 1.43's default mode (configprovider.py `_DEFAULT_RETRY_MODE`: `legacy` unless its
/// internal, unpublished new-retries switch is on).
inline constexpr RetryMode default_retry_mode = RetryMode::Legacy;

/// The resolved retry settings of an STS client.
struct AWSAUTH_API RetryConfig {
  RetryMode mode = default_retry_mode;
  /// Total attempts per call, counting the first; at least 1.
  int max_attempts = default_max_attempts(default_retry_mode);

  friend bool operator==(const RetryConfig&, const RetryConfig&) = default;
};

/// Retry settings given in code (StsClientSettings::retry_mode / max_attempts). Each wins over
/// the environment and the profile, which are then not read for that key, as botocore's
/// `Config(retries={'mode': ..., 'total_max_attempts': ...})`. Attempts below 1 mean 1.
struct AWSAUTH_API RetryOverrides {
  std::optional<RetryMode> mode;
  std::optional<int> max_attempts;
};

/// Resolves the retry settings, each key on its own (botocore's config chain): mode from the
/// override, else `AWS_RETRY_MODE`, else `retry_mode` of `selected_profile`, else legacy;
/// attempts from the override, else `AWS_MAX_ATTEMPTS`, else `max_attempts` of the profile, else
/// the resolved mode's default. `selected_profile` is the selected profile of both files merged
/// (botocore reads the credentials file's keys too); it may be null.
///
/// Values are checked as botocore checks them: the mode must be exactly `standard`, `legacy` or
/// `adaptive` (case matters); the attempt count a whole number of at least 1 (spaces around it
/// and a leading `+` are allowed, as Python's int() allows them). A variable set to the empty
/// string is a value, not an absence (botocore fails on it too). Anything else throws
/// CredentialsError(InvalidConfiguration) from `provider`, naming the variable, or the file,
/// line and profile, and the valid values.
[[nodiscard]] AWSAUTH_API RetryConfig resolve_retry_config(const Environment& env,
                                                           const Profile* selected_profile,
                                                           const RetryOverrides& overrides = {},
                                                           std::string_view provider = "sts");

}  // namespace awsauth::providers
