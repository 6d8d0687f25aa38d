#include "awsauth/caching.hpp"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <exception>
#include <iterator>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "awsauth/log.hpp"

namespace awsauth {

namespace {

std::atomic<std::uint64_t> next_instance_id{1};

template <class D>
D jittered(D low, D high, Random& random) {
  if (high <= low) return low;
  const auto span = static_cast<double>((high - low).count());
  return low + D(static_cast<typename D::rep>(span * random.uniform01()));
}

// The message for credentials that were expired when they arrived: which source, when they
// expired, and what to do. The environment's expiry is a variable the user set.
std::string expired_on_arrival(const Credentials& credentials, TimePoint now) {
  const std::string& provider = credentials.provider_name();
  std::string text = "the credentials from ";
  text.append(describe_provider(provider)).append(" expired at ");
  text.append(format_iso8601(*credentials.expiration()));
  if (provider == provider_names::environment) {
    text.append(" (AWS_CREDENTIAL_EXPIRATION; it is now ").append(format_iso8601(now));
    text.append(
        "): export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and "
        "AWS_CREDENTIAL_EXPIRATION, or unset them to use the next source");
  } else {
    text.append(" (it is now ").append(format_iso8601(now));
    text.append(
        "), before they could be used: check that the source hands out fresh "
        "credentials and that this machine's clock is right");
  }
  return text;
}

// The clock of every cache built without one (or with a SystemClock of its own): the fast path
// recognises it by its address and calls std::chrono::system_clock directly, without the
// virtual call. Constant-initialized, so a cache built during static initialization has it.
constinit const SystemClock kSystemClock;

// The cache's clock, or the shared SystemClock (stateless and final: one is as good as another).
std::shared_ptr<const Clock> clock_or_system(std::shared_ptr<const Clock> clock) {
  if (clock && !dynamic_cast<const SystemClock*>(clock.get())) return clock;
  return {std::shared_ptr<const Clock>(), &kSystemClock};  // owns nothing: never destroyed
}

// A pointer to `shared`'s Credentials counted in a control block of this thread's own, on cache
// lines of its own: copying it (what the fast path returns) then writes no memory another
// thread uses, where copies of `shared` from every thread would all increment one counter. It
// keeps `shared` alive and points to the same object, so it compares equal to it.
struct alignas(64) ThreadReference {
  CredentialsPtr shared;
};

CredentialsPtr thread_reference(const CredentialsPtr& shared) {
  if (!shared) return nullptr;
  auto reference = std::make_shared<const ThreadReference>(ThreadReference{shared});
  return {reference, shared.get()};
}

}  // namespace

// What one thread may serve without the mutex: `credentials` until `fast_until`, as long as the
// instance's generation is still `generation`. Only its thread reads or writes it; aligned so
// that no other thread's data shares its cache line.
struct alignas(64) CachingProvider::Slot {
  std::uint64_t generation = 0;  // instances start at 1: an empty slot never matches
  CredentialsPtr credentials;    // a thread_reference() to what may be served
  TimePoint fast_until{};
  bool held_back = false;  // served because a failed refresh is backing off (counted)
  std::weak_ptr<const int> owner;
};

// One per thread: its slot for every cache it used, keyed by never-reused instance ids, and the
// last few it used, looked up without hashing (by id modulo the size: consecutive ids, such as
// a role chain's caches, do not collide).
struct CachingProvider::ThreadSlots {
  struct Recent {
    std::uint64_t id = 0;  // ids start at 1
    Slot* slot = nullptr;  // a node of `map`: stable while the entry exists
  };
  static constexpr std::size_t kRecent = 4;
  std::array<Recent, kRecent> recent{};
  std::unordered_map<std::uint64_t, Slot> map;
};

// Everything behind the mutex.
struct CachingProvider::State {
  std::mutex mutex;
  std::condition_variable refreshed;
  bool refreshing = false;

  CredentialsPtr current;
  std::optional<std::chrono::seconds> advisory;  // window for `current`, if it expires
  TimePoint advisory_at = TimePoint::max();      // refresh without blocking from here
  TimePoint mandatory_at = TimePoint::max();     // callers wait from here
  bool invalidated = false;

  TimePoint backoff_until{};  // no source call before this while something can be served
  // The proactive refresher calls the source from here (max: nothing to refresh; min: now).
  TimePoint proactive_at = TimePoint::max();
  std::optional<CredentialsError> remembered;  // a NonRecoverable error ...
  TimePoint remembered_until{};                // ... re-raised until here

  std::atomic<std::uint64_t> source_calls{0}, failures{0}, rate_limited{0};
};

namespace {

struct ForkRegistry {
  std::mutex mutex;
  std::unordered_set<CachingProvider*> caches;
  // Threads of the parent as seen in a fork child: never joined, detached or destroyed there
  // (the std::thread would terminate the child); kept reachable so leak checkers stay quiet.
  std::vector<std::unique_ptr<std::thread>> orphans;
};

}  // namespace

// The worker: a queue of callbacks and the thread that completes them. Shared with that thread
// so that a destructor running on it (from a callback) can let it finish without `this`.
struct CachingProvider::Async {
  std::mutex mutex;  // never held while the source runs or a callback runs
  std::condition_variable wake;
  std::vector<CredentialsCallback> pending;  // empty std::function: a refresh nobody waits for
  bool refresh_requested = false;
  bool stopping = false;
  std::exception_ptr cancelled;         // what queued requests get once stopping
  std::unique_ptr<std::thread> thread;  // null until the first async use (and in a fork child)
  std::atomic<std::uint64_t> callback_exceptions{0};

  static void run(const std::shared_ptr<Async>& async, CachingProvider* cache);
  void complete(CredentialsCallback& callback, const CredentialsPtr& credentials,
                const std::exception_ptr& error) noexcept;

  // fork(): the child has none of the parent's threads (see registry()).
  static ForkRegistry& registry();
  static void register_cache(CachingProvider* cache);
  static void unregister_cache(CachingProvider* cache);
  static void before_fork() noexcept;
  static void after_fork_in_parent() noexcept;
  static void after_fork_in_child() noexcept;
};

// The proactive refresher: a thread of its own (not the worker, whose callbacks could delay a
// refresh) that sleeps until State::proactive_at and then refreshes.
//
// Its mutex is held whenever the thread touches the cache, except across the source call, and
// the destructor sets `stopping` under it: so the thread only sees a live cache, and a
// destructor never waits for a source. Lock order: Async::mutex, then this one, then
// State::mutex (nobody takes this one while holding State::mutex).
struct CachingProvider::Refresher {
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  bool in_source_call = false;  // the thread is in source->get() and holds nothing of the cache
  std::unique_ptr<std::thread> thread;  // null until first use (and in a fork child)

  std::uint64_t refreshes = 0;
  std::uint64_t failures = 0;
  std::optional<std::chrono::milliseconds> last_duration;
  std::string last_error;

  static void run(const std::shared_ptr<Refresher>& self, CachingProvider* cache);
};

CachingProvider::CachingProvider(std::shared_ptr<CredentialsProvider> source, RefreshPolicy policy,
                                 std::shared_ptr<const Clock> clock, std::shared_ptr<Random> random)
    : id_(next_instance_id.fetch_add(1)),
      source_(std::move(source)),
      policy_(std::move(policy)),
      clock_(clock_or_system(std::move(clock))),
      random_(random ? std::move(random) : std::make_shared<SystemRandom>()),
      alive_(std::make_shared<const int>(0)),
      state_(std::make_unique<State>()),
      async_(std::make_shared<Async>()),
      refresher_(policy_.proactive ? std::make_shared<Refresher>() : nullptr) {
  if (!source_) {
    throw std::invalid_argument("CachingProvider: null source provider");
  }
  Async::register_cache(this);
}

CachingProvider::~CachingProvider() {
  Async::unregister_cache(this);
  if (refresher_) {
    std::unique_ptr<std::thread> thread;
    bool in_source_call = false;
    {
      std::lock_guard lock(refresher_->mutex);
      refresher_->stopping = true;
      thread = std::move(refresher_->thread);
      in_source_call = refresher_->in_source_call;
    }
    refresher_->wake.notify_all();
    if (thread) {
      // Waiting, or holding the mutex for bookkeeping: it sees `stopping` at once. Inside a
      // source call it holds only its own copies (the source, `refresher_`) and ends when the
      // source returns, without touching this object: so this never waits for a source.
      if (in_source_call) {
        thread->detach();
      } else {
        thread->join();
      }
    }
  }
  std::string source_name;
  try {
    source_name = source_->name();
  } catch (...) {  // NOLINT(bugprone-empty-catch): the message merely lacks the name
  }
  auto cancelled = std::make_exception_ptr(CredentialsError::provider_failure(
      source_name, "the credentials cache was destroyed before the request completed"));
  std::unique_ptr<std::thread> worker;
  {
    std::lock_guard lock(async_->mutex);
    async_->stopping = true;
    async_->cancelled = std::move(cancelled);
    worker = std::move(async_->thread);
  }
  async_->wake.notify_all();
  if (!worker) return;
  if (worker->get_id() == std::this_thread::get_id()) {
    // Destroyed from one of its own callbacks: the worker finishes that batch and completes what
    // is still queued with `cancelled`, touching only `async_` (which it co-owns), then ends.
    worker->detach();
  } else {
    // A fetch in flight cannot be interrupted: this waits for the source to return.
    worker->join();
  }
}

std::string CachingProvider::name() const { return source_->name(); }

CachingProvider::ThreadSlots& CachingProvider::thread_slots() {
  // Destroyed, with the credentials it holds, when the thread ends.
  thread_local ThreadSlots slots;
  return slots;
}

TimePoint CachingProvider::now() const {
  if (clock_.get() == &kSystemClock) return std::chrono::system_clock::now();
  return clock_->now();
}

CachingProvider::Slot& CachingProvider::local_slot() {
  // Entries of destroyed instances are dropped when this thread next sets up a slot, and all of
  // them when the thread ends.
  ThreadSlots& slots = thread_slots();
  auto& slot = slots.map[id_];
  slots.recent[id_ % ThreadSlots::kRecent] = {id_, &slot};
  // Owned from the start: a cache nested inside this one's source (a role chain's intermediate
  // caches) prunes on this thread while this instance is mid-refresh and holds `slot`.
  if (slot.owner.expired()) slot.owner = alive_;
  if (slot.generation == 0 && slots.map.size() > 1) {
    for (auto it = slots.map.begin(); it != slots.map.end();) {
      if (it->first != id_ && it->second.owner.expired()) {
        auto& recent = slots.recent[it->first % ThreadSlots::kRecent];
        if (recent.id == it->first) recent = {};
        it = slots.map.erase(it);
      } else {
        ++it;
      }
    }
  }
  return slot;
}

CachingProvider::Slot& CachingProvider::this_thread_slot() {
  const ThreadSlots::Recent& recent = thread_slots().recent[id_ % ThreadSlots::kRecent];
  return recent.id == id_ ? *recent.slot : local_slot();
}

namespace {

// The fast path's reading of the system clock: CLOCK_REALTIME_COARSE, the time of the last
// timer tick (about 7 ns to read here, against 30 ns for the precise clock), plus one tick, so
// that it is never earlier than the precise time. Serving "while now < fast_until" on it is
// exact, only up to one tick conservative: near fast_until the slow path reads the precise
// clock and decides. (The one case it can lag more is the first tick after the virtual machine
// was paused; fast_until is the start of the advisory window, minutes before expiry, so that
// delays a background refresh by a tick at most.)
TimePoint coarse_upper_bound_now() noexcept {
  static const std::chrono::nanoseconds tick = [] {
    timespec res{};
    if (clock_getres(CLOCK_REALTIME_COARSE, &res) != 0) return std::chrono::nanoseconds::max();
    return std::chrono::seconds(res.tv_sec) + std::chrono::nanoseconds(res.tv_nsec);
  }();
  timespec ts{};
  if (tick == std::chrono::nanoseconds::max() || clock_gettime(CLOCK_REALTIME_COARSE, &ts) != 0) {
    return TimePoint::max();  // no coarse clock: never fast, the slow path reads the precise one
  }
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec) + tick));
}

}  // namespace

bool CachingProvider::fast_servable(const Slot& slot) {
  // No mutex, and nothing written that another thread reads: one acquire load of a counter
  // that changes once per refresh, and the clock (the coarse one for the system clock).
  if (slot.generation != generation_.load(std::memory_order_acquire)) return false;
  const TimePoint now = clock_.get() == &kSystemClock ? coarse_upper_bound_now() : clock_->now();
  if (!(now < slot.fast_until)) return false;
  if (slot.held_back) state_->rate_limited.fetch_add(1, std::memory_order_relaxed);
  return true;
}

CredentialsPtr CachingProvider::get() {
  Slot& slot = this_thread_slot();
  if (fast_servable(slot)) return slot.credentials;
  CredentialsPtr out = slow_get(false);
  if (refresher_) ensure_refresher();
  return out;
}

CredentialsPtr CachingProvider::refresh() {
  CredentialsPtr out = slow_get(true);
  if (refresher_) ensure_refresher();
  return out;
}

CredentialsPtr CachingProvider::try_get() {
  Slot& slot = this_thread_slot();
  if (fast_servable(slot)) return slot.credentials;  // the same fast path as get()
  bool start_refresh = false;
  CredentialsPtr out;
  {
    // try_lock: the mutex is only ever held for bookkeeping, but this must not wait even that.
    std::unique_lock lock(state_->mutex, std::try_to_lock);
    if (!lock.owns_lock()) return nullptr;
    out = peek(slot, start_refresh);
  }
  if (start_refresh) enqueue(nullptr);
  return out;
}

// slow_get()'s decisions, with every branch that would wait or fetch answering "nothing".
CredentialsPtr CachingProvider::peek(Slot& slot, bool& start_refresh) {
  const State& s = *state_;
  const TimePoint now = this->now();
  if (s.remembered && now < s.remembered_until) return nullptr;  // get() would throw it
  const bool mandatory =
      !s.current || s.invalidated || now >= s.mandatory_at || s.current->expired_at(now);
  const bool due = mandatory || now >= s.advisory_at;
  if (!due) return publish(slot, s.current, s.advisory_at);
  if (now < s.backoff_until && servable(now, mandatory)) {
    state_->rate_limited.fetch_add(1, std::memory_order_relaxed);
    return s.current;
  }
  start_refresh = !s.refreshing;
  return mandatory ? nullptr : s.current;
}

void CachingProvider::get_async(CredentialsCallback callback) {
  if (!callback) throw std::invalid_argument("CachingProvider::get_async: empty callback");
  enqueue(std::move(callback));
}

std::future<CredentialsPtr> CachingProvider::get_async() {
  auto promise = std::make_shared<std::promise<CredentialsPtr>>();
  auto future = promise->get_future();
  enqueue([promise](CredentialsPtr credentials, std::exception_ptr error) {
    if (error) {
      promise->set_exception(std::move(error));
    } else {
      promise->set_value(std::move(credentials));
    }
  });
  return future;
}

void CachingProvider::enqueue(CredentialsCallback callback) {
  Async& a = *async_;
  std::unique_lock lock(a.mutex);
  if (a.stopping) {
    // Only reachable from a callback while the destructor waits for the worker (any other use
    // of a cache being destroyed is a use after free); that callback runs on the worker.
    if (!callback) return;
    const auto error = a.cancelled;
    lock.unlock();
    a.complete(callback, nullptr, error);
    return;
  }
  if (!a.thread) {
    // Lazily, and again in a fork child (whose handler forgot the parent's worker).
    a.thread = std::make_unique<std::thread>(&Async::run, async_, this);
  }
  if (callback) {
    a.pending.push_back(std::move(callback));
  } else if (a.refresh_requested) {
    return;  // already asked
  } else {
    a.refresh_requested = true;
  }
  lock.unlock();
  a.wake.notify_one();
}

void CachingProvider::Async::complete(CredentialsCallback& callback,
                                      const CredentialsPtr& credentials,
                                      const std::exception_ptr& error) noexcept {
  try {
    callback(credentials, error);
  } catch (...) {
    // A user's callback must not end the worker (or, escaping a thread, the process): nobody
    // is there to receive the exception, so it is counted and dropped.
    callback_exceptions.fetch_add(1, std::memory_order_relaxed);
  }
  callback = nullptr;  // its captures are released here, outside every lock
}

// The worker's loop. `cache` is used only between taking a batch and completing it, and never
// once `stopping` is seen: the destructor sets it before anything is torn down.
void CachingProvider::Async::run(const std::shared_ptr<Async>& async, CachingProvider* cache) {
  pthread_setname_np(pthread_self(), "awsauth-creds");  // what top -H and gdb show
  Async& a = *async;
  std::unique_lock lock(a.mutex);
  while (true) {
    a.wake.wait(lock, [&] { return a.stopping || a.refresh_requested || !a.pending.empty(); });
    if (a.stopping) break;
    a.refresh_requested = false;
    lock.unlock();
    // One get() for everything queued until it returns: requests that arrive while the source
    // runs join this flight (one source call, all complete with its result).
    CredentialsPtr credentials;
    std::exception_ptr error;
    try {
      credentials = cache->get();
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    std::vector<CredentialsCallback> batch;
    batch.swap(a.pending);
    lock.unlock();
    for (auto& callback : batch) {
      if (callback) a.complete(callback, credentials, error);
    }
    batch.clear();
    lock.lock();
  }
  // Stopping: what is still queued (and whatever those callbacks queue) fails, none dropped.
  while (!a.pending.empty()) {
    std::vector<CredentialsCallback> batch;
    batch.swap(a.pending);
    const auto error = a.cancelled;
    lock.unlock();
    for (auto& callback : batch) {
      if (callback) a.complete(callback, nullptr, error);
    }
    batch.clear();
    lock.lock();
  }
}

// Every live cache is in the registry, so that the fork handlers can take its two mutexes
// around fork() (no mutex is copied locked into the child) and, in the child, forget the worker
// and any refresh the parent's threads had in flight.
ForkRegistry& CachingProvider::Async::registry() {
  // Never destroyed: a fork during static destruction still finds it.
  static ForkRegistry* const kInstance = [] {
    auto* r = new ForkRegistry;
    pthread_atfork(&before_fork, &after_fork_in_parent, &after_fork_in_child);
    return r;
  }();
  return *kInstance;
}

void CachingProvider::Async::register_cache(CachingProvider* cache) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.caches.insert(cache);
}

void CachingProvider::Async::unregister_cache(CachingProvider* cache) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.caches.erase(cache);
}

void CachingProvider::Async::before_fork() noexcept {
  auto& r = registry();
  r.mutex.lock();
  for (auto* cache : r.caches) {
    cache->async_->mutex.lock();
    if (cache->refresher_) cache->refresher_->mutex.lock();
    cache->state_->mutex.lock();
  }
}

void CachingProvider::Async::after_fork_in_parent() noexcept {
  auto& r = registry();
  for (auto* cache : r.caches) {
    cache->state_->mutex.unlock();
    if (cache->refresher_) cache->refresher_->mutex.unlock();
    cache->async_->mutex.unlock();
  }
  r.mutex.unlock();
}

void CachingProvider::Async::after_fork_in_child() noexcept {
  auto& r = registry();
  // Requests queued in the parent complete there; the child's copies are dropped unrun (a future
  // held in the child reports broken_promise instead of hanging). Destroyed once every lock is
  // released: a callback may hold the last reference to a cache.
  std::vector<CredentialsCallback> dropped;
  for (auto* cache : r.caches) {
    Async& a = *cache->async_;
    if (a.thread) r.orphans.push_back(std::move(a.thread));  // the next async use starts one
    std::move(a.pending.begin(), a.pending.end(), std::back_inserter(dropped));
    a.pending.clear();
    a.refresh_requested = false;
    // A refresh in flight in the parent runs on a thread the child does not have: left set, the
    // child's callers would wait for it forever.
    cache->state_->refreshing = false;
    cache->state_->mutex.unlock();
    if (auto& refresher = cache->refresher_) {
      // Off in the child until its first refresh (a caller's slow path) starts a new one.
      if (refresher->thread) r.orphans.push_back(std::move(refresher->thread));
      refresher->in_source_call = false;
      refresher->mutex.unlock();
    }
    a.mutex.unlock();
  }
  r.mutex.unlock();
  dropped.clear();
}

void CachingProvider::invalidate(const std::string& rejected_access_key_id) {
  std::lock_guard lock(state_->mutex);
  if (state_->current && state_->current->access_key_id() == rejected_access_key_id) {
    state_->invalidated = true;
    generation_.fetch_add(1, std::memory_order_release);
  }
}

std::optional<std::chrono::seconds> CachingProvider::advisory_window() const {
  std::lock_guard lock(state_->mutex);
  return state_->advisory;
}

CacheStats CachingProvider::stats() const {
  return {state_->source_calls.load(), state_->failures.load(), state_->rate_limited.load(),
          async_->callback_exceptions.load()};
}

// One call to the source, made without the mutex: what came back, or why not.
struct CachingProvider::Fetched {
  CredentialsPtr fresh;
  std::optional<CredentialsError> failure;
  // The source's own exception, rethrown as is so a NoCredentialsError keeps its list of
  // attempts (a copy into `failure` would slice it).
  std::exception_ptr original;
  TimePoint after{};  // the clock when the source returned

  [[noreturn]] void rethrow() const {
    if (original) std::rethrow_exception(original);
    throw *failure;
  }
};

CredentialsPtr CachingProvider::publish(Slot& slot, const CredentialsPtr& credentials,
                                        TimePoint until, bool held_back) {
  // The slot's reference already counts these exactly when it points to them: it keeps them
  // alive, so no other object can have their address. A new one is made first: if that throws
  // (bad_alloc), the slot is left as it was, its generation included.
  if (slot.credentials.get() != credentials.get()) slot.credentials = thread_reference(credentials);
  slot.held_back = held_back;
  slot.generation = generation_.load(std::memory_order_relaxed);
  slot.fast_until = until;
  slot.owner = alive_;
  return slot.credentials;
}

bool CachingProvider::servable(TimePoint now, bool mandatory) const {
  const State& s = *state_;
  if (!s.current) return false;
  if (s.current->expired_at(now)) {
    return policy_.static_stability && policy_.static_stability(*s.current);
  }
  return !mandatory || policy_.serve_cached_when_mandatory_refresh_fails;
}

CredentialsPtr CachingProvider::slow_get(bool force) {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  Slot& slot = local_slot();

  bool forced = force;
  while (true) {
    const TimePoint now = this->now();
    if (s.remembered && now < s.remembered_until) {
      throw *s.remembered;
    }
    const bool mandatory =
        !s.current || s.invalidated || now >= s.mandatory_at || s.current->expired_at(now);
    const bool advisory = forced || mandatory || now >= s.advisory_at;
    if (!advisory) {
      return publish(slot, s.current, s.advisory_at);
    }
    if (now < s.backoff_until && servable(now, mandatory)) {
      s.rate_limited.fetch_add(1, std::memory_order_relaxed);
      return s.current;
    }
    if (s.refreshing) {
      if (!mandatory && !force) {
        return s.current;  // advisory: someone else is refreshing; keep serving
      }
      const auto seen = generation_.load(std::memory_order_relaxed);
      s.refreshed.wait(lock, [&] {
        return !s.refreshing || generation_.load(std::memory_order_relaxed) != seen;
      });
      forced = false;  // a forced refresh is satisfied by the one we waited for
      continue;
    }

    // This thread is the single flight.
    Fetched fetched = fetch_from_source(lock);
    if (!fetched.failure) return accept(slot, fetched);
    return after_failure(slot, fetched, mandatory);
  }
}

// The source's answer or its failure; touches nothing but the source, so the refresher can run
// it while the cache is being destroyed.
CachingProvider::Fetched CachingProvider::call_source(CredentialsProvider& source) {
  Fetched out;
  try {
    out.fresh = source.get();
    if (!out.fresh) {
      out.failure.emplace(ErrorKind::ProviderFailure, source.name(), "returned no credentials");
    }
  } catch (const CredentialsError& e) {
    out.failure = e;
    out.original = std::current_exception();
  } catch (const std::exception& e) {
    out.failure.emplace(ErrorKind::ProviderFailure, source.name(), e.what());
  }
  return out;
}

CachingProvider::Fetched CachingProvider::fetch_from_source(std::unique_lock<std::mutex>& lock) {
  State& s = *state_;
  s.refreshing = true;
  lock.unlock();
  s.source_calls.fetch_add(1, std::memory_order_relaxed);
  Fetched out = call_source(*source_);
  lock.lock();
  s.refreshing = false;
  finish_fetch(out);
  return out;
}

// After the source returned, under the mutex: the time, and the stale-answer rule.
void CachingProvider::finish_fetch(Fetched& out) {
  out.after = now();
  if (!out.failure && out.fresh->expired_at(out.after)) {
    // Cross-SDK rule: credentials already expired on arrival count as a failed refresh. The
    // error names the provider that returned them (the source may be a chain).
    const std::string& provider = out.fresh->provider_name();
    out.failure.emplace(ErrorKind::ProviderFailure, provider.empty() ? source_->name() : provider,
                        expired_on_arrival(*out.fresh, out.after));
  }
}

CredentialsPtr CachingProvider::accept(Slot& slot, const Fetched& fetched) {
  State& s = *state_;
  const CredentialsPtr& fresh = fetched.fresh;
  s.current = fresh;
  s.invalidated = false;
  s.backoff_until = {};
  s.remembered.reset();
  if (const auto& exp = fresh->expiration()) {
    const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(*exp - fetched.after);
    s.advisory = policy_.advisory_window_for(lifetime);
    s.advisory_at = *exp - *s.advisory;
    s.mandatory_at = *exp - policy_.mandatory_window;
    s.advisory_at = std::min(s.advisory_at, s.mandatory_at);
    s.proactive_at = policy_.proactive ? proactive_time(fetched.after, *exp) : TimePoint::max();
  } else {
    s.advisory.reset();
    s.advisory_at = s.mandatory_at = TimePoint::max();
    s.proactive_at = TimePoint::max();
  }
  generation_.fetch_add(1, std::memory_order_release);
  s.refreshed.notify_all();
  return publish(slot, fresh, s.advisory_at);
}

CredentialsPtr CachingProvider::after_failure(Slot& slot, const Fetched& fetched, bool mandatory) {
  State& s = *state_;
  const TimePoint after = fetched.after;
  s.failures.fetch_add(1, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);
  s.refreshed.notify_all();
  if (fetched.failure->kind() == ErrorKind::NonRecoverable) {
    // Raised even with usable credentials cached; remembered briefly, no backoff.
    s.remembered = fetched.failure;
    s.remembered_until = after + jittered(policy_.non_recoverable_ttl_min,
                                          policy_.non_recoverable_ttl_max, *random_);
    fetched.rethrow();
  }
  if (!servable(after, mandatory)) fetched.rethrow();
  s.backoff_until =
      after + jittered(policy_.failure_backoff_min, policy_.failure_backoff_max, *random_);
  // Serve from the fast path until the backoff ends, but not past expiry unless the source is
  // statically stable (servable() then says yes either way).
  TimePoint until = s.backoff_until;
  if (s.current->expiration() && !s.current->expired_at(after) &&
      !(policy_.static_stability && policy_.static_stability(*s.current))) {
    until = std::min(until, *s.current->expiration());
  }
  if (!mandatory && !s.invalidated) until = std::min(until, s.mandatory_at);
  return publish(slot, s.current, until, true);
}

// When the refresher renews credentials that arrived at `arrived` and expire at `expiry`: a
// jittered lead before the advisory window opens, but not before halfway to it (the lead may be
// longer than the credentials live). Credentials that arrive inside their advisory window (a
// lifetime shorter than it) are renewed halfway to expiry instead, so a short-lived source is
// asked a few times per lifetime, never in a loop.
TimePoint CachingProvider::proactive_time(TimePoint arrived, TimePoint expiry) const {
  const State& s = *state_;
  const TimePoint window =
      s.advisory_at > arrived ? s.advisory_at : arrived + (expiry - arrived) / 2;
  const auto& p = *policy_.proactive;
  const TimePoint at = window - jittered(p.lead_min, p.lead_max, *random_);
  return std::max(at, arrived + (window - arrived) / 2);
}

void CachingProvider::ensure_refresher() {
  Refresher& r = *refresher_;
  {
    std::lock_guard lock(r.mutex);
    if (r.stopping) return;
    if (!r.thread) r.thread = std::make_unique<std::thread>(&Refresher::run, refresher_, this);
  }
  r.wake.notify_one();  // the schedule may have moved (a caller refreshed)
}

void CachingProvider::start_refresher() {
  if (!refresher_) return;
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->current) state_->proactive_at = TimePoint::min();  // fetch at once
  }
  ensure_refresher();
}

RefresherStatus CachingProvider::refresher_status() const {
  RefresherStatus out;
  if (!refresher_) return out;
  out.enabled = true;
  const Refresher& r = *refresher_;
  std::lock_guard lock(refresher_->mutex);
  out.running = r.thread != nullptr;
  out.refreshes = r.refreshes;
  out.failures = r.failures;
  out.last_duration = r.last_duration;
  out.last_error = r.last_error;
  std::lock_guard state_lock(state_->mutex);
  const State& s = *state_;
  if (s.proactive_at != TimePoint::max()) out.next_refresh = std::max(s.proactive_at, TimePoint{});
  if (s.current && s.current->expiration()) {
    out.time_to_expiry =
        std::chrono::duration_cast<std::chrono::seconds>(*s.current->expiration() - now());
  }
  return out;
}

void CachingProvider::Refresher::run(const std::shared_ptr<Refresher>& self,
                                     CachingProvider* cache) {
  pthread_setname_np(pthread_self(), "awsauth-refresh");
  Refresher& r = *self;
  std::unique_lock lock(r.mutex);
  if (r.stopping) return;  // destroyed before this thread first ran: `cache` is gone
  const bool system_clock = cache->clock_.get() == &kSystemClock;
  while (!r.stopping) {
    TimePoint due;
    {
      std::lock_guard state_lock(cache->state_->mutex);
      due = cache->state_->proactive_at;
    }
    const TimePoint now = cache->now();
    if (now < due) {
      // Until the time is due (or someone wakes it: a new schedule, the destructor). An
      // injected clock can jump without telling anyone, so it is read again every 10 ms; the
      // system clock's wait is capped at 5 min so a wall-clock step is noticed within that.
      const auto cap = system_clock ? std::chrono::nanoseconds(std::chrono::minutes(5))
                                    : std::chrono::nanoseconds(std::chrono::milliseconds(10));
      const auto left =
          due == TimePoint::max() ? cap : std::min<std::chrono::nanoseconds>(due - now, cap);
      r.wake.wait_for(lock, left);
      continue;
    }
    cache->refresh_in_background(lock);
  }
}

// One background refresh, entered and left with the refresher's mutex held (so `this` is
// alive), which it releases only across the source call. Returns at once, touching nothing of
// `this`, when the destructor ran meanwhile.
void CachingProvider::refresh_in_background(std::unique_lock<std::mutex>& refresher_lock) {
  Refresher& r = *refresher_;
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  const TimePoint now = this->now();
  if (s.refreshing) {
    // A caller's refresh is in flight: its result sets the next schedule. Looked at again
    // shortly, without holding anything a destructor needs.
    lock.unlock();
    r.wake.wait_for(refresher_lock, std::chrono::milliseconds(20));
    return;
  }
  if (now < s.backoff_until) {
    s.proactive_at = s.backoff_until;  // a caller's refresh failed: the policy's backoff holds
    return;
  }
  if (s.remembered && now < s.remembered_until) {
    s.proactive_at =
        now + jittered(policy_.failure_backoff_min, policy_.failure_backoff_max, *random_);
    return;
  }
  const bool mandatory =
      !s.current || s.invalidated || now >= s.mandatory_at || s.current->expired_at(now);

  s.refreshing = true;
  r.in_source_call = true;
  const std::shared_ptr<CredentialsProvider> source = source_;  // outlives `this` if need be
  const std::shared_ptr<Refresher> keep = refresher_;
  s.source_calls.fetch_add(1, std::memory_order_relaxed);
  lock.unlock();
  refresher_lock.unlock();
  const auto started = std::chrono::steady_clock::now();
  Fetched fetched = call_source(*source);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  refresher_lock.lock();
  keep->in_source_call = false;
  if (keep->stopping) return;  // the cache is gone or going: its members may not be touched

  lock.lock();
  s.refreshing = false;
  finish_fetch(fetched);
  r.last_duration = took;
  Slot& slot = local_slot();
  const std::string source_name = source_->name();
  // Messages are built here and sent once both mutexes are released: a slow sink must not hold
  // up callers (or the destructor).
  std::string message;
  LogLevel level = LogLevel::Debug;
  if (!fetched.failure) {
    accept(slot, fetched);
    ++r.refreshes;
    r.last_error.clear();
    if (log_enabled(level)) {
      message = "refreshed credentials from " + source_name + " in the background in " +
                std::to_string(took.count()) + " ms";
      if (const auto& exp = s.current->expiration()) {
        message.append("; they expire at ").append(format_iso8601(*exp));
        message.append(", next refresh at ").append(format_iso8601(s.proactive_at));
      }
    }
  } else {
    ++r.failures;
    r.last_error = fetched.failure->what();
    if (fetched.failure->kind() == ErrorKind::NonRecoverable) {
      // Not remembered for the callers, unlike theirs: credentials that are still good keep
      // being served; a caller who needs a refresh makes its own and gets the error from it.
      s.failures.fetch_add(1, std::memory_order_relaxed);
      s.refreshed.notify_all();
    } else {
      try {
        (void)after_failure(slot, fetched, mandatory);
      } catch (...) {  // NOLINT(bugprone-empty-catch): recorded above; callers get it from get()
      }
    }
    // The policy's backoff, whether or not after_failure set one (it does not with nothing to
    // serve, or for a NonRecoverable error, which is only remembered for seconds).
    s.proactive_at =
        std::max(s.backoff_until, fetched.after + jittered(policy_.failure_backoff_min,
                                                           policy_.failure_backoff_max, *random_));
    level = LogLevel::Warning;
    if (log_enabled(level)) {
      message = "background refresh from " + source_name + " failed after " +
                std::to_string(took.count()) + " ms: " + r.last_error;
      if (s.current && s.current->expiration()) {
        message.append("; serving the cached credentials (they expire at ");
        message.append(format_iso8601(*s.current->expiration())).append(")");
      }
      message.append("; next attempt at ").append(format_iso8601(s.proactive_at));
    }
  }
  lock.unlock();
  if (message.empty()) return;
  refresher_lock.unlock();  // from here on `this` may be destroyed: only the message is used
  log(level, message);
  refresher_lock.lock();
}

}  // namespace awsauth
