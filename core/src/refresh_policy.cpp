#include "awsauth/refresh_policy.hpp"

#include <algorithm>

namespace awsauth {

using std::chrono::minutes;

RefreshPolicy::seconds RefreshPolicy::advisory_window_for(seconds lifetime) const {
  if (advisory_window) {
    return *advisory_window;
  }
  // The cross-SDK table: short-lived credentials get a short window so that most of their life
  // is served from cache; long-lived ones refresh an hour early to ride out source outages.
  if (lifetime <= minutes(20)) return minutes(5);
  if (lifetime < minutes(90)) return minutes(15);
  return minutes(60);
}

RefreshPolicy RefreshPolicy::botocore() {
  RefreshPolicy p;
  // botocore.credentials: _DEFAULT_ADVISORY_REFRESH_TIMEOUT = 15 * 60,
  // _DEFAULT_MANDATORY_REFRESH_TIMEOUT = 10 * 60.
  p.advisory_window = minutes(15);
  p.mandatory_window = minutes(10);
  // botocore retries the source on every call once a refresh is due; it has no backoff.
  p.failure_backoff_min = seconds(0);
  p.failure_backoff_max = seconds(0);
  // _protected_refresh re-raises errors of a mandatory refresh.
  p.serve_cached_when_mandatory_refresh_fails = false;
  // Only InstanceMetadataFetcher keeps expired credentials usable (it extends their expiry).
  p.static_stability = sources_named({"iam-role"});
  return p;
}

std::function<bool(const Credentials&)> RefreshPolicy::sources_named(
    std::vector<std::string> names) {
  return [names = std::move(names)](const Credentials& c) {
    return std::find(names.begin(), names.end(), c.provider_name()) != names.end();
  };
}

}  // namespace awsauth
