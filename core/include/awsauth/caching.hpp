#pragma once
/// @file caching.hpp
/// A decorator that caches another provider's credentials under a RefreshPolicy.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
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
  std::uint64_t callback_exceptions = 0;  ///< exceptions thrown by get_async() callbacks (caught)
};

/// What the proactive refresher (RefreshPolicy::proactive) has done and will do. Everything is
/// empty or zero when the policy has no proactive refresh.
struct AWSAUTH_API RefresherStatus {
  bool enabled = false;  ///< the policy asks for proactive refresh
  bool running = false;  ///< its thread exists (started on first use or by start_refresher())
  std::uint64_t refreshes = 0;  ///< background source calls that brought new credentials
  std::uint64_t failures = 0;   ///< background source calls that failed
  /// How long the last background source call took.
  std::optional<std::chrono::milliseconds> last_duration;
  /// The last background failure's message (provider and reason, never a secret); cleared by
  /// the next success.
  std::string last_error;
  /// When the refresher next calls the source (empty: nothing to refresh, e.g. no expiry).
  std::optional<TimePoint> next_refresh;
  /// Time left until the cached credentials expire (empty: nothing cached, or no expiry);
  /// negative once they have expired and are served by static stability.
  std::optional<std::chrono::seconds> time_to_expiry;
};

/// How an asynchronous get completes: exactly one of the two arguments is set. `error` holds
/// what get() would have thrown (the source's CredentialsError or NoCredentialsError, whole),
/// or a CredentialsError (ProviderFailure) when the cache was destroyed first.
using CredentialsCallback =
    std::function<void(CredentialsPtr credentials, std::exception_ptr error)>;

/// Caches the credentials of `source` and refreshes them under `policy` (see refresh_policy.hpp
/// and docs/caching.md). Itself a CredentialsProvider, so it can wrap a chain or a user's
/// provider and be wrapped in turn.
///
/// Threads: `get()` on credentials outside their refresh windows takes no mutex and writes no
/// memory another thread uses (a per-thread snapshot checked against an atomic generation; the
/// pointer it returns is counted per thread). When a refresh is due exactly one thread
/// calls the source: in the advisory window the others keep the cached credentials; in the
/// mandatory window, or with nothing usable cached, they wait for that refresh.
///
/// Event loops: try_get() never blocks and never calls the source; get_async() completes on a
/// worker thread the cache owns (started on first use, one per cache, stopped by the
/// destructor). See docs/caching.md, "Event loops".
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

  /// What get() would return right now without waiting, or null; never blocks and never calls
  /// the source on this thread. Null when: nothing is cached; the credentials are in the
  /// mandatory window, expired or invalidated (get() would wait for a refresh) -- unless a
  /// failed refresh is backing off and get() would serve them (static stability included); a
  /// non-recoverable error is remembered (get() would throw it); or, rarely, another thread
  /// holds the cache's mutex for its brief bookkeeping at that instant (it is never held while
  /// the source runs). In the advisory window it returns the cached credentials.
  ///
  /// When a refresh is due and none is in flight (advisory or mandatory window, expired,
  /// invalidated, nothing cached) it asks the worker to refresh, starting the worker on first
  /// use, and returns what it has; so an event loop that only calls try_get() still refreshes
  /// early. Throws only std::system_error if that worker thread cannot be started.
  [[nodiscard]] CredentialsPtr try_get();

  /// Asynchronous get(): returns at once; `callback` runs later on the cache's worker thread
  /// with what get() returns or the exception it throws. Callable from any thread, including
  /// from a callback. Requests made while a fetch runs share it (one source call, all complete
  /// with its result). The destructor completes requests still queued with an error (it waits
  /// for a fetch in flight first: a source call cannot be interrupted). An exception thrown by
  /// `callback` is caught and counted in stats().callback_exceptions; the worker keeps going.
  /// Callbacks run one after another: a slow callback delays the next. Throws
  /// std::invalid_argument for an empty callback, std::system_error if the worker thread cannot
  /// be started (the callback is then not queued).
  void get_async(CredentialsCallback callback);
  /// The same as a future: get() on it returns the credentials or rethrows the error.
  [[nodiscard]] std::future<CredentialsPtr> get_async();

  /// A service rejected `rejected_access_key_id` (e.g. ExpiredToken): if those are the cached
  /// credentials, the next get() refreshes as in the mandatory window. A stale key id (the cache
  /// already moved on) changes nothing.
  void invalidate(const std::string& rejected_access_key_id);

  /// The advisory window in force for the cached credentials (empty: nothing cached, or they
  /// never expire).
  [[nodiscard]] std::optional<std::chrono::seconds> advisory_window() const;

  [[nodiscard]] CacheStats stats() const;

  /// Starts the proactive refresher now instead of on first use, without waiting: with nothing
  /// cached it fetches at once on its own thread, so the first get() may find credentials ready.
  /// Does nothing when the policy has no proactive refresh. Throws std::system_error if the
  /// thread cannot be started.
  void start_refresher();
  /// What the proactive refresher has done (counts, last duration and error) and when it next
  /// refreshes; see RefresherStatus.
  [[nodiscard]] RefresherStatus refresher_status() const;
  [[nodiscard]] const RefreshPolicy& policy() const noexcept { return policy_; }

 private:
  struct State;
  struct Slot;
  struct ThreadSlots;
  struct Fetched;
  struct Async;
  struct Refresher;
  // The slow path, step by step: decide (slow_get), call the source without the mutex
  // (fetch_from_source), then take the new credentials (accept) or decide what a failure means
  // (after_failure: remember, back off and serve, or throw).
  CredentialsPtr slow_get(bool force);
  static Fetched call_source(CredentialsProvider& source);
  Fetched fetch_from_source(std::unique_lock<std::mutex>& lock);
  void finish_fetch(Fetched& fetched);
  CredentialsPtr accept(Slot& slot, const Fetched& fetched);
  CredentialsPtr after_failure(Slot& slot, const Fetched& fetched, bool mandatory);
  CredentialsPtr publish(Slot& slot, const CredentialsPtr& credentials, TimePoint until,
                         bool held_back = false);
  [[nodiscard]] bool servable(TimePoint now, bool mandatory) const;
  // The fast path of get() and try_get(): this thread's slot, found without hashing when this
  // thread used the cache recently (otherwise local_slot()), and whether it may be served as it
  // is (no mutex).
  Slot& this_thread_slot();
  [[nodiscard]] bool fast_servable(const Slot& slot);
  Slot& local_slot();
  static ThreadSlots& thread_slots();
  // The clock's time; the SystemClock is called directly (it is final), an injected clock
  // through its interface.
  [[nodiscard]] TimePoint now() const;
  // try_get's decision under the mutex: what get() would return now without waiting, and
  // whether a refresh is due that nobody has started.
  CredentialsPtr peek(Slot& slot, bool& start_refresh);
  // Queues `callback` (empty: a refresh with nobody waiting) for the worker, starting it.
  void enqueue(CredentialsCallback callback);
  // The proactive refresher: started after a caller's refresh (or by start_refresher()) and
  // woken so it sees the new schedule; its one background refresh, run with its mutex held
  // except across the source call.
  void ensure_refresher();
  void refresh_in_background(std::unique_lock<std::mutex>& refresher_lock);
  [[nodiscard]] TimePoint proactive_time(TimePoint arrived, TimePoint expiry) const;

  const std::uint64_t id_;
  const std::shared_ptr<CredentialsProvider> source_;
  const RefreshPolicy policy_;
  const std::shared_ptr<const Clock> clock_;
  const std::shared_ptr<Random> random_;
  // Changes whenever what a thread may serve without the mutex changes.
  std::atomic<std::uint64_t> generation_{1};
  const std::shared_ptr<const int> alive_;  // thread-local slots watch it to drop dead entries
  std::unique_ptr<State> state_;
  // The worker's queue and thread; shared with the thread, which outlives this object only when
  // the destructor runs on it (a callback dropped the last reference).
  const std::shared_ptr<Async> async_;
  // Null unless the policy asks for proactive refresh; shared with its thread for the same
  // reason as async_ (and so that a thread still inside a source call can outlive this object).
  const std::shared_ptr<Refresher> refresher_;
};

}  // namespace awsauth
