#pragma once
/// @file caching.hpp
/// A decorator that caches another provider's credentials under a RefreshPolicy.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "awsauth/clock.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/random.hpp"
#include "awsauth/refresh_policy.hpp"

namespace awsauth {

/// Counters a caller (or a test) can read; each is monotonic.
struct AWSAUTH_API CacheStats {
  std::uint64_t source_calls = 0;  ///< times the wrapped provider's get() was called
  std::uint64_t failures = 0;      ///< of those, how many threw or returned stale credentials
  std::uint64_t rate_limited = 0;  ///< calls that wanted a refresh but were held back by backoff
};

/// Caches the credentials of `source` and refreshes them under `policy` (see refresh_policy.hpp
/// and docs/caching.md). Itself a CredentialsProvider, so it can wrap a chain or a user's
/// provider and be wrapped in turn.
///
/// Threads: `get()` on credentials outside their refresh windows takes no mutex (a per-thread
/// snapshot checked against an atomic generation). When a refresh is due exactly one thread
/// calls the source: in the advisory window the others keep the cached credentials; in the
/// mandatory window, or with nothing usable cached, they wait for that refresh.
class AWSAUTH_API CachingProvider final : public CredentialsProvider {
 public:
  /// `clock` and `random` (jitter) default to the real ones.
  explicit CachingProvider(std::shared_ptr<CredentialsProvider> source, RefreshPolicy policy = {},
                           std::shared_ptr<const Clock> clock = nullptr,
                           std::shared_ptr<Random> random = nullptr);
  ~CachingProvider() override;
  CachingProvider(const CachingProvider&) = delete;
  CachingProvider& operator=(const CachingProvider&) = delete;

  /// Cached credentials, refreshing first when the policy says so. Throws CredentialsError when
  /// nothing can be served (the source's error, unchanged).
  [[nodiscard]] CredentialsPtr get() override;
  /// The wrapped provider's name.
  [[nodiscard]] std::string name() const override;

  /// Refreshes now if no refresh is in flight (otherwise waits for that one), honouring the
  /// backoff and a remembered non-recoverable error. Callable from any thread, e.g. a
  /// background refresher. Returns what get() would return afterwards.
  CredentialsPtr refresh();

  /// A service rejected `rejected_access_key_id` (e.g. ExpiredToken): if those are the cached
  /// credentials, the next get() refreshes as in the mandatory window. A stale key id (the cache
  /// already moved on) changes nothing.
  void invalidate(const std::string& rejected_access_key_id);

  /// The advisory window in force for the cached credentials (empty: nothing cached, or they
  /// never expire).
  [[nodiscard]] std::optional<std::chrono::seconds> advisory_window() const;

  [[nodiscard]] CacheStats stats() const;
  [[nodiscard]] const RefreshPolicy& policy() const noexcept { return policy_; }

 private:
  struct State;
  struct Slot;
  struct Fetched;
  // The slow path, step by step: decide (slow_get), call the source without the mutex
  // (fetch_from_source), then take the new credentials (accept) or decide what a failure means
  // (after_failure: remember, back off and serve, or throw).
  CredentialsPtr slow_get(bool force);
  Fetched fetch_from_source(std::unique_lock<std::mutex>& lock);
  CredentialsPtr accept(Slot& slot, const Fetched& fetched);
  CredentialsPtr after_failure(Slot& slot, const Fetched& fetched, bool mandatory);
  CredentialsPtr publish(Slot& slot, const CredentialsPtr& credentials, TimePoint until,
                         bool held_back = false);
  [[nodiscard]] bool servable(TimePoint now, bool mandatory) const;
  Slot& local_slot();

  const std::uint64_t id_;
  const std::shared_ptr<CredentialsProvider> source_;
  const RefreshPolicy policy_;
  const std::shared_ptr<const Clock> clock_;
  const std::shared_ptr<Random> random_;
  // Changes whenever what a thread may serve without the mutex changes.
  std::atomic<std::uint64_t> generation_{1};
  const std::shared_ptr<const int> alive_;  // thread-local slots watch it to drop dead entries
  std::unique_ptr<State> state_;
};

}  // namespace awsauth
