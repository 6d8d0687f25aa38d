#pragma once
/// @file refresh_policy.hpp
/// When a CachingProvider refreshes, what it does when a refresh fails, and for how long.
/// Every default and its reason is in docs/caching.md.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "awsauth/credentials.hpp"
#include "awsauth/export.hpp"

namespace awsauth {

/// A plain struct: read it, set its fields, hand it to a CachingProvider. The defaults follow the
/// cross-SDK credential refresh vectors (testdata/aws-sdk-shared/credential-refresh-tests.json);
/// `RefreshPolicy::botocore()` reproduces botocore's RefreshableCredentials.
struct AWSAUTH_API RefreshPolicy {
  using seconds = std::chrono::seconds;
  using milliseconds = std::chrono::milliseconds;

  /// Advisory window: this long before expiry one caller refreshes while every other caller
  /// keeps getting the cached credentials. Empty: chosen from the credentials' lifetime (time
  /// from fetch to expiry) by advisory_window_for(): <= 20 min -> 5 min, < 90 min -> 15 min,
  /// otherwise 60 min.
  std::optional<seconds> advisory_window;

  /// Mandatory window: this long before expiry (and after it) callers wait for the refresh.
  seconds mandatory_window{60};

  /// After a failed refresh while credentials could still be served, the source is not asked
  /// again for a time drawn uniformly (jitter) from [min, max].
  seconds failure_backoff_min{300};
  seconds failure_backoff_max{600};

  /// A NonRecoverable error is raised and remembered for a time drawn from [min, max]; calls in
  /// that time get the same error without contacting the source.
  milliseconds non_recoverable_ttl_min{1000};
  milliseconds non_recoverable_ttl_max{5000};

  /// When a refresh in the mandatory window fails, keep serving the (still unexpired) cached
  /// credentials instead of raising. botocore raises.
  bool serve_cached_when_mandatory_refresh_fails = true;

  /// Static stability: whether credentials may still be served after they EXPIRED because the
  /// refresh failed (the source is down; an expired key may still be accepted, and failing
  /// every request is worse). Empty function: never. Decided per credentials, typically by
  /// `provider_name()`; see sources_named().
  std::function<bool(const Credentials&)> static_stability = [](const Credentials&) {
    return true;
  };

  /// Proactive refresh, off by default. When set, a thread the cache owns renews the credentials
  /// shortly before the advisory window opens, so callers never reach a refresh window and
  /// never wait for a source (docs/caching.md, "Proactive refresh").
  struct Proactive {
    /// How long before the advisory window opens the refresher calls the source, drawn
    /// uniformly from [min, max] for each new credentials (jitter: a fleet started together
    /// does not refresh in step). Never earlier than halfway from their arrival to that window.
    seconds lead_min{60};
    seconds lead_max{180};
  };
  /// Empty (the default): no background thread; refreshes happen on the callers' get().
  std::optional<Proactive> proactive;

  /// The advisory window for credentials with this lifetime (honours `advisory_window`).
  [[nodiscard]] seconds advisory_window_for(seconds lifetime) const;

  /// The cross-SDK defaults (the same as a default-constructed RefreshPolicy).
  [[nodiscard]] static RefreshPolicy standard() { return {}; }

  /// botocore's RefreshableCredentials: advisory 15 min, mandatory 10 min, no backoff, a failed
  /// mandatory refresh raises, and only instance metadata (`iam-role`) keeps serving expired
  /// credentials (botocore extends their expiry when IMDS is unreachable).
  [[nodiscard]] static RefreshPolicy botocore();

  /// A static_stability predicate true for credentials whose provider_name() is in `names`.
  [[nodiscard]] static std::function<bool(const Credentials&)> sources_named(
      std::vector<std::string> names);
};

}  // namespace awsauth
