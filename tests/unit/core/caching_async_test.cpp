// CachingProvider for event loops: try_get() (never blocks, never calls the source on the
// caller's thread) and get_async() (a worker thread per cache, single flight, clean shutdown).
// Every wait here has a deadline, so a regression fails instead of hanging the suite.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "awsauth/caching.hpp"
#include "mock_provider.hpp"

namespace awsauth {
namespace {

using namespace std::chrono_literals;
const TimePoint kStart = TimePoint(std::chrono::seconds(1704067200));

// True once `done()` holds, false if it does not within `timeout`.
template <class Done>
bool eventually(Done done, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// A source whose calls can be held at a gate (closed: they wait, at most 20 s, until it
// opens). Issues AKID-<n> living `lifetime` from the clock's now; records the calling threads.
class GatedSource final : public CredentialsProvider {
 public:
  explicit GatedSource(const Clock& clock, std::chrono::seconds lifetime = 1h,
                       std::string name = "gated")
      : clock_(clock), lifetime_(lifetime), name_(std::move(name)) {}

  std::atomic<int> calls{0};
  std::atomic<int> finished{0};
  std::atomic<bool> failing{false};
  ErrorKind failure_kind = ErrorKind::ProviderFailure;

  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  bool called_on(std::thread::id id) const {
    std::lock_guard lock(mutex_);
    return threads_.count(id) != 0;
  }

  CredentialsPtr get() override {
    const int n = ++calls;
    {
      std::unique_lock lock(mutex_);
      threads_.insert(std::this_thread::get_id());
      opened_.wait_for(lock, 20s, [&] { return open_; });
    }
    ++finished;
    if (failing) throw CredentialsError(failure_kind, name_, "endpoint down");
    return make_credentials({.access_key_id = "AKID-" + std::to_string(n),
                             .secret_access_key = SecretString("s"),
                             .expiration = clock_.now() + lifetime_,
                             .provider_name = name_});
  }
  std::string name() const override { return name_; }

 private:
  const Clock& clock_;
  std::chrono::seconds lifetime_;
  std::string name_;
  mutable std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = true;
  std::set<std::thread::id> threads_;
};

std::string key_of(const CredentialsPtr& credentials) {
  return credentials ? credentials->access_key_id() : "<null>";
}

// The worker hands results to the test through this: every completion, in order.
struct Completions {
  std::mutex mutex;
  std::vector<std::string> keys;  // access key id, or "error: <what>"
  std::set<std::thread::id> threads;

  CredentialsCallback callback() {
    return [this](CredentialsPtr credentials, std::exception_ptr error) {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
      if (credentials) {
        keys.push_back(credentials->access_key_id());
        return;
      }
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        keys.push_back(std::string("error: ") + e.what());
      }
    };
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return keys.size();
  }
  std::set<std::thread::id> callers() {
    std::lock_guard lock(mutex);
    return threads;
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return keys;
  }
};

// Threads of this process named as the cache names its worker.
std::size_t workers_in_process() {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(entry.path() / "comm");
    std::string name;
    std::getline(comm, name);
    if (name == "awsauth-creds") ++n;
  }
  return n;
}

std::size_t threads_in_process() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/self/task")) {
    ++n;
  }
  return n;
}

// --- try_get(): what it answers, window by window ------------------------------------------

TEST(CachingProviderTryGet, NothingCachedAnswersNullAndFetchesInTheBackground) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<GatedSource>(*clock);
  CachingProvider cache(source, {}, clock, std::make_shared<FixedRandom>(0.0));
  EXPECT_EQ(cache.try_get(), nullptr);
  ASSERT_TRUE(eventually([&] { return cache.try_get() != nullptr; }));
  EXPECT_EQ(key_of(cache.try_get()), "AKID-1");
  EXPECT_EQ(source->calls, 1);
  EXPECT_FALSE(source->called_on(std::this_thread::get_id()));
}

TEST(CachingProviderTryGet, OutsideTheWindowsAnswersTheCachedCredentialsAndLeavesTheSource) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<GatedSource>(*clock);
  CachingProvider cache(source, {}, clock, std::make_shared<FixedRandom>(0.0));
  EXPECT_EQ(key_of(cache.get()), "AKID-1");
  clock->advance(40min);  // 20 min left; the 1 h lifetime's advisory window is 15 min
  for (int i = 0; i < 100; ++i) EXPECT_EQ(key_of(cache.try_get()), "AKID-1");
  std::thread other([&] { EXPECT_EQ(key_of(cache.try_get()), "AKID-1"); });
  other.join();
  std::this_thread::sleep_for(50ms);  // room for a background call that must not happen
  EXPECT_EQ(source->calls, 1);
}

TEST(CachingProviderTryGet, AdvisoryWindowAnswersTheCachedCredentialsAndRefreshesOnce) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<GatedSource>(*clock);
  CachingProvider cache(source, {}, clock, std::make_shared<FixedRandom>(0.0));
  (void)cache.get();
  source->close();
  clock->advance(50min);  // 10 min left: advisory
  EXPECT_EQ(key_of(cache.try_get()), "AKID-1");
  ASSERT_TRUE(eventually([&] { return source->calls == 2; }));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(key_of(cache.try_get()), "AKID-1");
  EXPECT_EQ(source->calls, 2) << "one background refresh, however often try_get() is asked";
  source->open();
  ASSERT_TRUE(eventually([&] { return key_of(cache.try_get()) == "AKID-2"; }));
  EXPECT_EQ(source->calls, 2);
}

TEST(CachingProviderTryGet, MandatoryWindowExpiryAndInvalidationAnswerNullAndRefresh) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<GatedSource>(*clock);
  CachingProvider cache(source, {}, clock, std::make_shared<FixedRandom>(0.0));
  (void)cache.get();
  clock->advance(59min + 30s);  // 30 s left: mandatory (60 s)
  EXPECT_EQ(cache.try_get(), nullptr);
  ASSERT_TRUE(eventually([&] { return key_of(cache.try_get()) == "AKID-2"; }));

  cache.invalidate("AKID-2");
  EXPECT_EQ(cache.try_get(), nullptr);
  ASSERT_TRUE(eventually([&] { return key_of(cache.try_get()) == "AKID-3"; }));

  clock->advance(2h);  // expired
  EXPECT_EQ(cache.try_get(), nullptr);
  ASSERT_TRUE(eventually([&] { return key_of(cache.try_get()) == "AKID-4"; }));
  EXPECT_EQ(source->calls, 4);
}

TEST(CachingProviderTryGet, DuringABackoffAnswersWhatGetServesIncludingStaticStability) {
  for (const bool stable : {true, false}) {
    SCOPED_TRACE(stable ? "statically stable" : "not statically stable");
    auto clock = std::make_shared<ManualClock>(kStart);
    auto source = std::make_shared<GatedSource>(*clock, 1h, stable ? "iam-role" : "assume-role");
    RefreshPolicy policy;
    policy.static_stability = RefreshPolicy::sources_named({"iam-role"});
    CachingProvider cache(source, policy, clock, std::make_shared<FixedRandom>(0.0));
    (void)cache.get();
    source->failing = true;
    clock->advance(2h);  // expired; the refresh below fails
    if (stable) {
      EXPECT_EQ(key_of(cache.get()), "AKID-1");  // served expired, backing off
      EXPECT_EQ(key_of(cache.try_get()), "AKID-1");
      std::thread other([&] { EXPECT_EQ(key_of(cache.try_get()), "AKID-1"); });
      other.join();
      std::this_thread::sleep_for(50ms);
      EXPECT_EQ(source->calls, 2) << "the backoff holds for try_get() too";
    } else {
      EXPECT_THROW((void)cache.get(), CredentialsError);
      EXPECT_EQ(cache.try_get(), nullptr);
    }
  }
}

TEST(CachingProviderTryGet, RememberedNonRecoverableErrorAnswersNullWithoutTheSource) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<GatedSource>(*clock);
  source->failing = true;
  source->failure_kind = ErrorKind::NonRecoverable;
  CachingProvider cache(source, {}, clock, std::make_shared<FixedRandom>(0.0));
  EXPECT_THROW((void)cache.get(), CredentialsError);
  EXPECT_EQ(cache.try_get(), nullptr);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(source->calls, 1);
  clock->advance(10s);  // remembered for 1-5 s: now the source may be asked again
  EXPECT_EQ(cache.try_get(), nullptr);
  ASSERT_TRUE(eventually([&] { return source->calls == 2; }));
}

// The promise itself: with a refresh in flight (a caller of get() blocked in the source, then
// the worker blocked in it), try_get() on another thread returns at once, every time, and the
// source never runs on that thread.
TEST(CachingProviderConcurrency, TryGetReturnsAtOnceWhileARefreshIsInFlight) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<GatedSource>(*clock);
  CachingProvider cache(source, {}, clock, std::make_shared<FixedRandom>(0.0));
  (void)cache.get();

  const auto measure = [&](const std::string& expected) {
    std::chrono::nanoseconds longest{0};
    std::thread::id id;
    std::thread prober([&] {
      id = std::this_thread::get_id();
      for (int i = 0; i < 1000; ++i) {
        const auto before = std::chrono::steady_clock::now();
        const auto got = cache.try_get();
        longest = std::max(longest, std::chrono::steady_clock::now() - before);
        EXPECT_EQ(key_of(got), expected);
      }
    });
    prober.join();
    EXPECT_FALSE(source->called_on(id));
    std::cout << "longest try_get() with a refresh in flight: "
              << std::chrono::duration_cast<std::chrono::microseconds>(longest).count() << " us\n";
    return longest;
  };

  // 1. The mandatory window, a synchronous get() refreshing: try_get() has nothing to give.
  source->close();
  clock->advance(59min + 30s);
  std::atomic<bool> refreshed{false};
  std::thread blocked([&] {
    EXPECT_EQ(key_of(cache.get()), "AKID-2");
    refreshed = true;
  });
  ASSERT_TRUE(eventually([&] { return source->calls == 2; }));
  EXPECT_LT(measure("<null>"), 100ms);
  EXPECT_FALSE(refreshed) << "the refresh was still in flight while try_get() answered";
  source->open();
  blocked.join();
  EXPECT_EQ(source->calls, 2);

  // 2. The advisory window, the worker refreshing (started by try_get() itself).
  source->close();
  clock->advance(50min);  // 10 min left of AKID-2
  EXPECT_EQ(key_of(cache.try_get()), "AKID-2");
  ASSERT_TRUE(eventually([&] { return source->calls == 3; }));
  EXPECT_LT(measure("AKID-2"), 100ms);
  EXPECT_EQ(source->finished, 2) << "the worker's refresh was still in flight";
  source->open();
  ASSERT_TRUE(eventually([&] { return key_of(cache.try_get()) == "AKID-3"; }));
  EXPECT_EQ(source->calls, 3);
}

// --- get_async() -----------------------------------------------------------------------------

TEST(CachingProviderAsync, CallbackRunsOnTheWorkerThreadWithTheCredentials) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<GatedSource>(*clock);
  CachingProvider cache(source, {}, clock);
  Completions done;
  cache.get_async(done.callback());
  ASSERT_TRUE(eventually([&] { return done.size() == 1; }));
  cache.get_async(done.callback());
  ASSERT_TRUE(eventually([&] { return done.size() == 2; }));
  EXPECT_EQ(done.snapshot(), (std::vector<std::string>{"AKID-1", "AKID-1"}));
  const auto callers = done.callers();
  ASSERT_EQ(callers.size(), 1U) << "one worker per cache";
  EXPECT_NE(*callers.begin(), std::this_thread::get_id());
  EXPECT_TRUE(source->called_on(*callers.begin()));
  EXPECT_EQ(source->calls, 1);
}

TEST(CachingProviderAsync, FutureRethrowsTheSourceErrorWhole) {
  class EmptyChain final : public CredentialsProvider {
   public:
    CredentialsPtr get() override {
      throw NoCredentialsError(
          ErrorKind::NotConfigured, "chain",
          {{"env", ErrorKind::NotConfigured, "AWS_ACCESS_KEY_ID is not set"},
           {"iam-role", ErrorKind::NotConfigured, "AWS_EC2_METADATA_DISABLED is true"}});
    }
    std::string name() const override { return "chain"; }
  };
  CachingProvider cache(std::make_shared<EmptyChain>());
  auto future = cache.get_async();
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  try {
    (void)future.get();
    FAIL() << "expected NoCredentialsError";
  } catch (const NoCredentialsError& e) {
    ASSERT_EQ(e.attempts().size(), 2U);
    EXPECT_EQ(e.attempts()[1].provider, "iam-role");
  }
}

TEST(CachingProviderAsync, CallbackGetsTheSourceErrorAndNoCredentials) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<GatedSource>(*clock);
  source->failing = true;
  CachingProvider cache(source, {}, clock);
  std::promise<std::pair<CredentialsPtr, std::exception_ptr>> result;
  cache.get_async([&](CredentialsPtr credentials, std::exception_ptr error) {
    result.set_value({std::move(credentials), std::move(error)});
  });
  auto future = result.get_future();
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  const auto [credentials, error] = future.get();
  EXPECT_EQ(credentials, nullptr);
  ASSERT_TRUE(error);
  try {
    std::rethrow_exception(error);
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
    EXPECT_EQ(e.provider(), "gated");
    EXPECT_EQ(e.reason(), "endpoint down");
  }
  // Nothing cached: the next request asks the source again (no backoff onto nothing).
  source->failing = false;
  auto next = cache.get_async();
  ASSERT_EQ(next.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(key_of(next.get()), "AKID-2");
}

TEST(CachingProviderAsync, ThrowingCallbackIsCountedAndTheWorkerGoesOn) {
  auto clock = std::make_shared<ManualClock>(kStart);
  CachingProvider cache(std::make_shared<GatedSource>(*clock), {}, clock);
  cache.get_async([](CredentialsPtr, std::exception_ptr) { throw std::runtime_error("user bug"); });
  cache.get_async([](CredentialsPtr, std::exception_ptr) { throw 42; });
  auto after = cache.get_async();
  ASSERT_EQ(after.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(key_of(after.get()), "AKID-1");
  EXPECT_EQ(cache.stats().callback_exceptions, 2U);
}

TEST(CachingProviderAsync, EmptyCallbackIsRejected) {
  auto clock = std::make_shared<ManualClock>(kStart);
  CachingProvider cache(std::make_shared<GatedSource>(*clock), {}, clock);
  EXPECT_THROW(cache.get_async(CredentialsCallback{}), std::invalid_argument);
}

TEST(CachingProviderAsync, WorkerStartsOnFirstAsyncUseAndTheDestructorJoinsIt) {
  const auto before = threads_in_process();
  {
    auto clock = std::make_shared<ManualClock>(kStart);
    CachingProvider cache(std::make_shared<GatedSource>(*clock), {}, clock);
    (void)cache.get();
    EXPECT_EQ(threads_in_process(), before) << "no thread until asked asynchronously";
    auto future = cache.get_async();
    ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(threads_in_process(), before + 1);
    EXPECT_EQ(workers_in_process(), 1U);
  }
  EXPECT_EQ(threads_in_process(), before) << "no thread left behind";
  EXPECT_EQ(workers_in_process(), 0U);
}

// Many threads ask while one fetch runs: one source call, every request completes with it.
TEST(CachingProviderConcurrency, ManyAsyncCallersWhileOneFetchRunsCauseOneSourceCall) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<GatedSource>(*clock);
  CachingProvider cache(source, {}, clock);
  source->close();
  Completions done;
  std::vector<std::future<CredentialsPtr>> futures[8];
  std::vector<std::thread> callers;
  for (auto& mine : futures) {
    callers.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        cache.get_async(done.callback());
        mine.push_back(cache.get_async());
      }
    });
  }
  for (auto& t : callers) t.join();
  ASSERT_TRUE(eventually([&] { return source->calls == 1; }));
  source->open();
  ASSERT_TRUE(eventually([&] { return done.size() == 200; }));
  for (auto& mine : futures) {
    for (auto& f : mine) {
      ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
      EXPECT_EQ(key_of(f.get()), "AKID-1");
    }
  }
  for (const auto& key : done.snapshot()) EXPECT_EQ(key, "AKID-1");
  EXPECT_EQ(source->calls, 1);
}

// try_get(), get() and get_async() callers together on a cache whose (slow) source a moving
// clock keeps due: refreshes never overlap, and nobody ever receives credentials that had
// expired when they asked (no refresh fails here, so nothing expired may be served).
TEST(CachingProviderConcurrency, TryGetGetAndGetAsyncCallersTogetherAlwaysValid) {
  auto clock = std::make_shared<ManualClock>(kStart);
  RefreshPolicy policy;
  policy.advisory_window = 60s;
  policy.mandatory_window = 30s;
  class SlowSource final : public CredentialsProvider {
   public:
    explicit SlowSource(const Clock& c) : clock(c) {}
    const Clock& clock;
    std::atomic<int> calls{0}, in_flight{0}, overlaps{0};
    CredentialsPtr get() override {
      if (in_flight.fetch_add(1) != 0) ++overlaps;
      std::this_thread::sleep_for(5ms);  // ~5 simulated seconds
      const int n = ++calls;
      in_flight.fetch_sub(1);
      return make_credentials({.access_key_id = "AKID-" + std::to_string(n),
                               .secret_access_key = SecretString("s"),
                               .expiration = clock.now() + 200s,
                               .provider_name = "slow"});
    }
    std::string name() const override { return "slow"; }
  };
  auto source = std::make_shared<SlowSource>(*clock);
  CachingProvider cache(source, policy, clock, std::make_shared<FixedRandom>(0.5));

  std::atomic<bool> stop{false};
  std::atomic<long> invalid{0}, answered{0}, nothing{0}, completed{0}, timed_out{0};
  const auto valid = [&](const CredentialsPtr& c, TimePoint asked) {
    if (!c || c->expired_at(asked)) ++invalid;
  };
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    while (!stop) {
      std::this_thread::sleep_for(1ms);
      clock->advance(1s);
    }
  });
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      while (!stop) {
        const auto asked = clock->now();
        valid(cache.get(), asked);
      }
    });
    threads.emplace_back([&] {
      while (!stop) {
        const auto asked = clock->now();
        if (auto c = cache.try_get()) {
          valid(c, asked);
          ++answered;
        } else {
          ++nothing;
        }
      }
    });
    threads.emplace_back([&] {
      while (!stop) {
        const auto asked = clock->now();
        auto f = cache.get_async();
        if (f.wait_for(10s) != std::future_status::ready) {
          ++timed_out;
          continue;
        }
        valid(f.get(), asked);
        ++completed;
      }
    });
  }
  const auto start_sim = clock->now();
  std::this_thread::sleep_for(2s);
  stop = true;
  for (auto& t : threads) t.join();
  const auto simulated = std::chrono::duration_cast<std::chrono::seconds>(clock->now() - start_sim);

  std::cout << source->calls << " source calls; try_get: " << answered << " answered, " << nothing
            << " null; get_async: " << completed << " completed\n";
  EXPECT_EQ(invalid, 0);
  EXPECT_EQ(timed_out, 0);
  EXPECT_EQ(source->overlaps, 0) << "two refreshes ran at once";
  EXPECT_GE(source->calls, 3) << "the run should span several expiries";
  // One call per lifetime minus the advisory window, at most (plus the first fetch): the
  // background refreshes try_get() starts are no more frequent than get()'s own.
  EXPECT_LE(source->calls, simulated / (200s - 60s) + 2);
  EXPECT_GT(answered, 0);
  EXPECT_GT(completed, 0);
}

// The destructor cannot interrupt the source: it waits for the fetch in flight, whose result
// the queued requests then receive.
TEST(CachingProviderConcurrency, DestructorWaitsForTheFetchInFlight) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<GatedSource>(*clock);
  auto cache = std::make_unique<CachingProvider>(source, RefreshPolicy{}, clock);
  source->close();
  Completions done;
  for (int i = 0; i < 3; ++i) cache->get_async(done.callback());
  ASSERT_TRUE(eventually([&] { return source->calls == 1; }));
  std::atomic<bool> destroyed{false};
  std::thread destroyer([&] {
    cache.reset();
    destroyed = true;
  });
  std::this_thread::sleep_for(200ms);
  EXPECT_FALSE(destroyed) << "the destructor returned while the source was still running";
  source->open();
  EXPECT_TRUE(eventually([&] { return destroyed.load(); }));
  destroyer.join();
  EXPECT_EQ(done.snapshot(), (std::vector<std::string>{"AKID-1", "AKID-1", "AKID-1"}));
}

// Requests still queued when the destructor runs complete with an error, none dropped. The
// worker is held inside a callback while requests queue up behind it and the destructor starts
// on another thread; that callback then keeps queueing probes until one completes at once,
// which proves the destructor has begun stopping (everything queued before it must fail).
TEST(CachingProviderConcurrency, DestructorFailsTheRequestsStillQueued) {
  auto clock = std::make_shared<ManualClock>(kStart);
  class NamedSource final : public CredentialsProvider {
   public:
    explicit NamedSource(const Clock& clock) : inner(clock) {}
    GatedSource inner;
    mutable std::atomic<int> name_calls{0};
    CredentialsPtr get() override { return inner.get(); }
    std::string name() const override {
      ++name_calls;
      return "named";
    }
  };
  auto source = std::make_shared<NamedSource>(*clock);
  auto cache = std::make_unique<CachingProvider>(source, RefreshPolicy{}, clock);
  CachingProvider* raw = cache.get();

  std::promise<void> hold;
  auto held = hold.get_future().share();
  std::atomic<bool> in_first{false};
  std::atomic<int> probes{0};
  std::atomic<bool> saw_stopping{false};
  Completions done;
  cache->get_async([&](CredentialsPtr, std::exception_ptr) {
    in_first = true;
    if (held.wait_for(20s) != std::future_status::ready) return;
    // The destructor is running on `destroyer`: a probe that completes before get_async()
    // returns has seen it stop.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!saw_stopping && std::chrono::steady_clock::now() < deadline) {
      auto inline_done = std::make_shared<std::atomic<bool>>(false);
      raw->get_async([inline_done, &done](CredentialsPtr c, std::exception_ptr e) {
        *inline_done = true;
        done.callback()(std::move(c), std::move(e));
      });
      ++probes;
      if (*inline_done) saw_stopping = true;
    }
  });
  ASSERT_TRUE(eventually([&] { return in_first.load(); }));
  for (int i = 0; i < 5; ++i) cache->get_async(done.callback());
  const int names_before = source->name_calls;
  std::thread destroyer([&] { cache.reset(); });
  ASSERT_TRUE(eventually([&] { return source->name_calls > names_before; }));
  hold.set_value();
  destroyer.join();  // bounded: every wait above has a deadline
  EXPECT_TRUE(saw_stopping);
  const auto keys = done.snapshot();
  EXPECT_EQ(keys.size(), 5U + static_cast<std::size_t>(probes.load()));
  for (const auto& key : keys) {
    EXPECT_EQ(key,
              "error: named: the credentials cache was destroyed before the request completed");
  }
}

// A callback that drops the last reference destroys the cache on its own worker thread: the
// worker cannot join itself, so it detaches, finishes, fails what is queued, and ends (ASan
// would report a use after free if it touched the destroyed cache).
TEST(CachingProviderAsync, DestroyedFromItsOwnCallback) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto cache = std::make_shared<CachingProvider>(std::make_shared<GatedSource>(*clock),
                                                 RefreshPolicy{}, clock);
  std::promise<void> hold;
  auto held = hold.get_future().share();
  std::atomic<bool> in_first{false};
  std::atomic<bool> destroyed{false};
  cache->get_async([&, owner = cache](CredentialsPtr credentials, std::exception_ptr) mutable {
    EXPECT_EQ(key_of(credentials), "AKID-1");
    in_first = true;
    (void)held.wait_for(20s);
    owner.reset();  // the last reference: ~CachingProvider runs here, on the worker
    destroyed = true;
  });
  Completions done;
  ASSERT_TRUE(eventually([&] { return in_first.load(); }));
  for (int i = 0; i < 3; ++i) cache->get_async(done.callback());
  cache.reset();  // the callback's copy is now the last
  hold.set_value();
  ASSERT_TRUE(eventually([&] { return done.size() == 3; }));
  EXPECT_TRUE(destroyed);
  for (const auto& key : done.snapshot()) {
    EXPECT_EQ(key,
              "error: gated: the credentials cache was destroyed before the request completed");
  }
}

// --- fork() ----------------------------------------------------------------------------------

// The child of a fork has no worker thread, and the parent's worker was in the middle of a
// fetch: the child's first asynchronous use starts its own worker, which fetches (the parent's
// refresh in flight does not make it wait) and completes. (Not a *Concurrency* test: TSan does
// not support threads started after a multi-threaded fork.)
TEST(CachingProviderFork, ChildStartsItsOwnWorkerAndIsNotHeldByTheParentsFetch) {
  const pid_t parent = ::getpid();
  class ParentBlockedSource final : public CredentialsProvider {
   public:
    explicit ParentBlockedSource(pid_t parent) : parent_(parent) {}
    std::atomic<int> calls{0};
    std::promise<void> release;
    CredentialsPtr get() override {
      ++calls;
      if (::getpid() == parent_) (void)released_.wait_for(20s);
      return make_credentials({.access_key_id = ::getpid() == parent_ ? "AKIDPARENT" : "AKIDCHILD",
                               .secret_access_key = SecretString("s"),
                               .provider_name = "forked"});
    }
    std::string name() const override { return "forked"; }

   private:
    pid_t parent_;
    std::shared_future<void> released_ = release.get_future().share();
  };
  auto source = std::make_shared<ParentBlockedSource>(parent);
  CachingProvider cache(source);
  auto in_parent = cache.get_async();
  ASSERT_TRUE(eventually([&] { return source->calls == 1; }));  // the worker is in the source

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // No gtest assertions here: the exit status is the verdict. _exit skips destructors and
    // atexit handlers that belong to the parent.
    int status = 0;
    try {
      auto in_child = cache.get_async();
      if (in_child.wait_for(10s) != std::future_status::ready) {
        status = 2;
      } else if (in_child.get()->access_key_id() != "AKIDCHILD") {
        status = 3;
      } else if (cache.try_get() == nullptr) {
        status = 4;
      }
    } catch (...) {
      status = 5;
    }
    ::_exit(status);
  }
  int status = -1;
  pid_t reaped = 0;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while ((reaped = ::waitpid(child, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  if (reaped == 0) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    ADD_FAILURE() << "the child hung";
  } else {
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "2: no completion, 3: wrong key, 4: not cached, 5: threw";
  }
  source->release.set_value();
  ASSERT_EQ(in_parent.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(key_of(in_parent.get()), "AKIDPARENT");
}

}  // namespace
}  // namespace awsauth
