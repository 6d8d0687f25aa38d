#include "awsauth/caching.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <unordered_map>

namespace awsauth {

namespace {

std::atomic<std::uint64_t> next_instance_id{1};

template <class D>
D jittered(D low, D high, Random& random) {
  if (high <= low) return low;
  const auto span = static_cast<double>((high - low).count());
  return low + D(static_cast<typename D::rep>(span * random.uniform01()));
}

}  // namespace

// What one thread may serve without the mutex: `credentials` until `fast_until`, as long as the
// instance's generation is still `generation`.
struct CachingProvider::Slot {
  std::uint64_t generation = 0;  // instances start at 1: an empty slot never matches
  CredentialsPtr credentials;
  TimePoint fast_until{};
  bool held_back = false;  // served because a failed refresh is backing off (counted)
  std::weak_ptr<const int> owner;
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
  std::optional<CredentialsError> remembered;  // a NonRecoverable error ...
  TimePoint remembered_until{};                // ... re-raised until here

  std::atomic<std::uint64_t> source_calls{0}, failures{0}, rate_limited{0};
};

CachingProvider::CachingProvider(std::shared_ptr<CredentialsProvider> source, RefreshPolicy policy,
                                 std::shared_ptr<const Clock> clock, std::shared_ptr<Random> random)
    : id_(next_instance_id.fetch_add(1)),
      source_(std::move(source)),
      policy_(std::move(policy)),
      clock_(clock ? std::move(clock) : std::make_shared<SystemClock>()),
      random_(random ? std::move(random) : std::make_shared<SystemRandom>()),
      alive_(std::make_shared<const int>(0)),
      state_(std::make_unique<State>()) {
  if (!source_) {
    throw std::invalid_argument("CachingProvider: null source provider");
  }
}

CachingProvider::~CachingProvider() = default;

std::string CachingProvider::name() const { return source_->name(); }

CachingProvider::Slot& CachingProvider::local_slot() {
  // One map per thread, keyed by never-reused instance ids. Entries of destroyed instances are
  // dropped when this thread next takes the slow path (see the pruning in slow_get), and all
  // of them when the thread ends.
  thread_local std::unordered_map<std::uint64_t, Slot> slots;
  auto& slot = slots[id_];
  // Owned from the start: a cache nested inside this one's source (a role chain's intermediate
  // caches) prunes on this thread while this instance is mid-refresh and holds `slot`.
  if (slot.owner.expired()) slot.owner = alive_;
  if (slot.generation == 0 && slots.size() > 1) {
    for (auto it = slots.begin(); it != slots.end();) {
      if (it->first != id_ && it->second.owner.expired()) {
        it = slots.erase(it);
      } else {
        ++it;
      }
    }
    return slots[id_];
  }
  return slot;
}

CredentialsPtr CachingProvider::get() {
  Slot& slot = local_slot();
  // Fast path: no mutex, no shared_ptr atomics on shared state, only this thread's slot.
  if (slot.generation == generation_.load(std::memory_order_acquire) &&
      clock_->now() < slot.fast_until) {
    if (slot.held_back) state_->rate_limited.fetch_add(1, std::memory_order_relaxed);
    return slot.credentials;
  }
  return slow_get(false);
}

CredentialsPtr CachingProvider::refresh() { return slow_get(true); }

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
  return {state_->source_calls.load(), state_->failures.load(), state_->rate_limited.load()};
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
  slot.held_back = held_back;
  slot.generation = generation_.load(std::memory_order_relaxed);
  slot.credentials = credentials;
  slot.fast_until = until;
  slot.owner = alive_;
  return credentials;
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
    const TimePoint now = clock_->now();
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

CachingProvider::Fetched CachingProvider::fetch_from_source(std::unique_lock<std::mutex>& lock) {
  State& s = *state_;
  s.refreshing = true;
  Fetched out;
  lock.unlock();
  s.source_calls.fetch_add(1, std::memory_order_relaxed);
  try {
    out.fresh = source_->get();
    if (!out.fresh) {
      out.failure.emplace(ErrorKind::ProviderFailure, source_->name(), "returned no credentials");
    }
  } catch (const CredentialsError& e) {
    out.failure = e;
    out.original = std::current_exception();
  } catch (const std::exception& e) {
    out.failure.emplace(ErrorKind::ProviderFailure, source_->name(), e.what());
  }
  lock.lock();
  s.refreshing = false;
  out.after = clock_->now();
  if (!out.failure && out.fresh->expired_at(out.after)) {
    // Cross-SDK rule: credentials already expired on arrival count as a failed refresh.
    out.failure.emplace(ErrorKind::ProviderFailure, source_->name(),
                        "source returned credentials that are already expired");
  }
  return out;
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
  } else {
    s.advisory.reset();
    s.advisory_at = s.mandatory_at = TimePoint::max();
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

}  // namespace awsauth
