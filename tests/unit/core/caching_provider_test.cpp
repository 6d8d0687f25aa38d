#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "awsauth/caching.hpp"
#include "mock_provider.hpp"

namespace awsauth {
namespace {

using namespace std::chrono_literals;
const TimePoint kStart = TimePoint(std::chrono::seconds(1704067200));
constexpr std::chrono::seconds kLifetime{200};  // stress test credential lifetime

// Issues credentials living `lifetime` from the clock's now; fails while `failing` is set.
class CountingSource final : public CredentialsProvider {
 public:
  CountingSource(const Clock& clock, std::chrono::seconds lifetime, std::string name)
      : clock_(clock), lifetime_(lifetime), name_(std::move(name)) {}
  std::atomic<int> calls{0};
  std::atomic<bool> failing{false};
  CredentialsPtr get() override {
    const int n = ++calls;
    if (failing) throw CredentialsError(ErrorKind::ProviderFailure, name_, "endpoint down");
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
};

TEST(RefreshPolicy, BotocorePresetHasFifteenAndTenMinuteWindowsAndIamRoleStability) {
  const auto p = RefreshPolicy::botocore();
  EXPECT_EQ(p.advisory_window_for(6h), 15min);
  EXPECT_EQ(p.advisory_window_for(10min), 15min);
  EXPECT_EQ(p.mandatory_window, 10min);
  EXPECT_FALSE(p.serve_cached_when_mandatory_refresh_fails);
  const auto imds = test::test_credentials("A", "iam-role");
  const auto sts = test::test_credentials("A", "assume-role");
  EXPECT_TRUE(p.static_stability(*imds));
  EXPECT_FALSE(p.static_stability(*sts));
}

TEST(RefreshPolicy, DefaultAdvisoryWindowFollowsTheLifetimeTable) {
  const RefreshPolicy p;
  EXPECT_EQ(p.advisory_window_for(20min), 5min);
  EXPECT_EQ(p.advisory_window_for(21min), 15min);
  EXPECT_EQ(p.advisory_window_for(89min), 15min);
  EXPECT_EQ(p.advisory_window_for(90min), 60min);
}

TEST(CachingProvider, BotocorePresetRaisesWhenAMandatoryRefreshFails) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<CountingSource>(*clock, 1h, "assume-role");
  CachingProvider cache(source, RefreshPolicy::botocore(), clock,
                        std::make_shared<FixedRandom>(0.0));
  (void)cache.get();
  source->failing = true;
  clock->advance(47min);  // 13 min left: advisory, failure keeps the cached credentials
  EXPECT_EQ(cache.get()->access_key_id(), "AKID-1");
  clock->advance(5min);  // 8 min left: mandatory
  EXPECT_THROW((void)cache.get(), CredentialsError);
}

TEST(CachingProvider, OnlyStaticallyStableSourcesServeExpiredCredentialsAfterAFailure) {
  for (const std::string name : {"iam-role", "assume-role"}) {
    SCOPED_TRACE(name);
    auto clock = std::make_shared<ManualClock>(kStart);
    auto source = std::make_shared<CountingSource>(*clock, 1h, name);
    CachingProvider cache(source, RefreshPolicy::botocore(), clock,
                          std::make_shared<FixedRandom>(0.0));
    (void)cache.get();
    source->failing = true;
    clock->advance(2h);
    if (name == "iam-role") {
      EXPECT_EQ(cache.get()->access_key_id(), "AKID-1");
    } else {
      EXPECT_THROW((void)cache.get(), CredentialsError);
    }
  }
}

TEST(CachingProvider, CredentialsWithoutExpiryAreFetchedOnce) {
  auto source = std::make_shared<::testing::NiceMock<test::MockProvider>>();
  EXPECT_CALL(*source, get()).WillOnce(::testing::Return(test::test_credentials("AKID")));
  CachingProvider cache(source);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(cache.get()->access_key_id(), "AKID");
  EXPECT_EQ(cache.advisory_window(), std::nullopt);
}

TEST(CachingProvider, RefreshCallsTheSourceNowAndRespectsBackoff) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<CountingSource>(*clock, 1h, "container-role");
  CachingProvider cache(source, {}, clock, std::make_shared<FixedRandom>(0.0));
  EXPECT_EQ(cache.get()->access_key_id(), "AKID-1");
  EXPECT_EQ(cache.refresh()->access_key_id(), "AKID-2");
  source->failing = true;
  EXPECT_EQ(cache.refresh()->access_key_id(), "AKID-2");  // failure: keeps serving, backs off
  EXPECT_EQ(cache.refresh()->access_key_id(), "AKID-2");  // within backoff: no source call
  EXPECT_EQ(source->calls, 3);
}

TEST(CachingProvider, ManyInstancesOnOneThreadEachServeTheirOwnCredentials) {
  auto clock = std::make_shared<ManualClock>(kStart);
  for (int round = 0; round < 3; ++round) {
    std::vector<std::unique_ptr<CachingProvider>> caches;
    for (int i = 0; i < 20; ++i) {
      auto source =
          std::make_shared<CountingSource>(*clock, 1h, std::string("p").append(std::to_string(i)));
      caches.push_back(std::make_unique<CachingProvider>(source, RefreshPolicy{}, clock));
    }
    for (int i = 0; i < 20; ++i) {
      EXPECT_EQ(caches[i]->get()->provider_name(), std::string("p").append(std::to_string(i)));
      EXPECT_EQ(caches[i]->get()->provider_name(), std::string("p").append(std::to_string(i)));
    }
  }  // destroyed instances' per-thread entries are dropped on later slow paths
}

// A slow source behind a cache hammered by 16 threads for 2 s of real time while a driver
// moves a ManualClock 1 simulated second per real millisecond: ~14 credential lifetimes.
TEST(CachingProviderConcurrency, SixteenThreadsOneSourceCallPerRefreshAlwaysValid) {
  auto clock = std::make_shared<ManualClock>(kStart);

  RefreshPolicy policy;
  policy.advisory_window = 60s;
  policy.mandatory_window = 30s;

  class SlowSource final : public CredentialsProvider {
   public:
    explicit SlowSource(ManualClock& c) : clock(c) {}
    ManualClock& clock;
    std::atomic<int> calls{0};
    std::atomic<int> in_flight{0};
    std::atomic<int> overlaps{0};
    std::atomic<int> early{0};                    // calls before the previous ones were due
    std::atomic<TimePoint::rep> previous_due{0};  // advisory start of the last issued creds
    CredentialsPtr get() override {
      if (in_flight.fetch_add(1) != 0) ++overlaps;
      const auto now = clock.now();
      if (now.time_since_epoch().count() < previous_due.load()) ++early;
      std::this_thread::sleep_for(5ms);  // ~5 simulated seconds
      const int n = ++calls;
      const auto expires = clock.now() + kLifetime;
      previous_due = (expires - 60s).time_since_epoch().count();
      in_flight.fetch_sub(1);
      return make_credentials({.access_key_id = "AKID-" + std::to_string(n),
                               .secret_access_key = SecretString("s"),
                               .expiration = expires,
                               .provider_name = "slow"});
    }
    std::string name() const override { return "slow"; }
  };
  auto source = std::make_shared<SlowSource>(*clock);
  CachingProvider cache(source, policy, clock, std::make_shared<FixedRandom>(0.5));

  std::atomic<bool> stop{false};
  std::atomic<long> gets{0}, invalid{0};
  std::thread driver([&] {
    while (!stop) {
      std::this_thread::sleep_for(1ms);
      clock->advance(1s);
    }
  });
  std::vector<std::thread> callers;
  for (int t = 0; t < 16; ++t) {
    callers.emplace_back([&] {
      while (!stop) {
        const auto before = clock->now();
        const auto creds = cache.get();
        if (!creds || creds->expired_at(before)) ++invalid;
        ++gets;
      }
    });
  }
  const auto start_sim = clock->now();
  std::this_thread::sleep_for(2s);
  stop = true;
  for (auto& t : callers) t.join();
  driver.join();
  const auto simulated = std::chrono::duration_cast<std::chrono::seconds>(clock->now() - start_sim);

  EXPECT_EQ(invalid, 0);
  EXPECT_EQ(source->overlaps, 0) << "two refreshes ran at once";
  EXPECT_EQ(source->early, 0) << "the source was called before a refresh was due";
  // One call per lifetime minus the advisory window, at most (plus the first fetch).
  EXPECT_LE(source->calls, simulated / (kLifetime - 60s) + 2);
  EXPECT_GE(source->calls, 3) << "the run should span several expiries (simulated "
                              << simulated.count() << " s)";
  EXPECT_GT(gets, 1000);
}

}  // namespace
}  // namespace awsauth

namespace awsauth {
namespace {

// A chain behind the cache that finds nothing: callers (e.g. `awsauth creds`) print every
// provider tried, so the cache must hand the chain's error through whole, not sliced.
TEST(CachingProviderErrors, ChainErrorKeepsItsListOfAttempts) {
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
  try {
    (void)cache.get();
    FAIL() << "expected NoCredentialsError";
  } catch (const NoCredentialsError& e) {
    ASSERT_EQ(e.attempts().size(), 2U);
    EXPECT_EQ(e.attempts()[1].provider, "iam-role");
  }
}

}  // namespace
}  // namespace awsauth

namespace awsauth {
namespace {

// A role chain puts caches inside a cache's source: the inner one first runs on this thread
// while the outer one is refreshing (and holds its thread-local slot). The outer slot must
// survive the inner cache's housekeeping (caught by ASan when it did not).
TEST(CachingProviderNesting, CacheInsideACachesSourceOnOneThread) {
  class Inner final : public CredentialsProvider {
   public:
    CredentialsPtr get() override {
      if (leaf_) {
        return make_credentials({.access_key_id = "AKIDLEAF",
                                 .secret_access_key = SecretString("s"),
                                 .provider_name = "leaf"});
      }
      if (!cache_) {
        // A dead cache leaves an entry for the inner one's housekeeping to find.
        { (void)CachingProvider(std::make_shared<Inner>(true)).get(); }
        cache_ = std::make_shared<CachingProvider>(std::make_shared<Inner>(true));
      }
      return cache_->get();
    }
    std::string name() const override { return "inner"; }
    explicit Inner(bool leaf = false) : leaf_(leaf) {}

   private:
    bool leaf_;
    std::shared_ptr<CachingProvider> cache_;
  };
  CachingProvider outer(std::make_shared<Inner>());
  EXPECT_EQ(outer.get()->access_key_id(), "AKIDLEAF");
  EXPECT_EQ(outer.get()->access_key_id(), "AKIDLEAF");
  EXPECT_EQ(outer.stats().source_calls, 1U);
}

}  // namespace
}  // namespace awsauth

namespace awsauth {
namespace {

// A refresh storm: 64 threads, each holding a valid per-thread snapshot, are released together
// (a latch) once the credentials are inside the mandatory window, or past their expiry. Every
// caller must wait for the refresh and get its credentials, and exactly one of them calls the
// source, which takes 5 ms so that the others arrive while it runs. Everything the threads touch
// is shared with them, so a hung get() fails the test at its deadline instead of hanging the
// suite (the stuck threads are detached).
void expect_one_source_call_per_storm(std::chrono::seconds after_fetch) {
  constexpr int kThreads = 64;
  class SlowSource final : public CredentialsProvider {
   public:
    explicit SlowSource(const Clock& clock) : clock_(clock) {}
    std::atomic<int> calls{0};
    std::atomic<int> in_flight{0};
    std::atomic<int> overlaps{0};
    CredentialsPtr get() override {
      if (in_flight.fetch_add(1) != 0) ++overlaps;
      const int n = ++calls;
      if (n > 1) std::this_thread::sleep_for(5ms);
      in_flight.fetch_sub(1);
      return make_credentials({.access_key_id = "AKID-" + std::to_string(n),
                               .secret_access_key = SecretString("s"),
                               .expiration = clock_.now() + 1h,
                               .provider_name = "slow"});
    }
    std::string name() const override { return "slow"; }

   private:
    const Clock& clock_;
  };
  struct Storm {
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStart);
    std::shared_ptr<SlowSource> source = std::make_shared<SlowSource>(*clock);
    // One hour of life: a 15-minute advisory window and the default 60 s mandatory one.
    CachingProvider cache{source, RefreshPolicy{}, clock, std::make_shared<FixedRandom>(0.5)};
    std::latch release{1};
    std::atomic<int> warmed{0};
    std::atomic<int> finished{0};
    std::vector<std::string> keys = std::vector<std::string>(kThreads);
  };
  const auto storm = std::make_shared<Storm>();
  ASSERT_EQ(storm->cache.get()->access_key_id(), "AKID-1");

  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([storm, i] {
      if (storm->cache.get()->access_key_id() == "AKID-1") ++storm->warmed;  // a valid snapshot
      storm->release.wait();
      storm->keys[i] = storm->cache.get()->access_key_id();
      ++storm->finished;
    });
  }
  const auto wait_for = [](const std::atomic<int>& count, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (count.load() < kThreads && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(1ms);
    }
    return count.load() == kThreads;
  };
  const bool all_warmed = wait_for(storm->warmed, 30s);
  storm->clock->advance(after_fetch);
  storm->release.count_down();
  const bool all_finished = wait_for(storm->finished, 30s);
  if (!all_finished) {
    for (auto& t : threads) t.detach();
    FAIL() << "only " << storm->finished.load() << " of " << kThreads
           << " callers returned within 30 s";
  }
  for (auto& t : threads) t.join();

  EXPECT_TRUE(all_warmed) << "every thread first holds the cached credentials";
  EXPECT_EQ(storm->source->calls.load(), 2) << "one call to prime, one for the whole storm";
  EXPECT_EQ(storm->cache.stats().source_calls, 2U);
  EXPECT_EQ(storm->source->overlaps.load(), 0);
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(storm->keys[i], "AKID-2") << "caller " << i << " did not get the refreshed keys";
  }
}

TEST(CachingProviderConcurrency, RefreshStormOf64ThreadsCallsTheSourceOnce) {
  expect_one_source_call_per_storm(1h - 30s);  // inside the 60 s mandatory window
}

TEST(CachingProviderConcurrency, RefreshStormOf64ThreadsAfterExpiryCallsTheSourceOnce) {
  expect_one_source_call_per_storm(1h + 1s);
}

}  // namespace
}  // namespace awsauth

namespace awsauth {
namespace {

// With the real clock the fast path reads the coarse system clock plus one tick: it may hand
// the decision to the slow path a tick early, never serve past the advisory start. Credentials
// whose advisory window opens one second after they are fetched are refreshed within a few
// ticks of that moment by a thread that keeps calling get().
TEST(CachingProviderClock, TheRealClockFastPathStopsServingAtTheAdvisoryStart) {
  struct TimedSource final : CredentialsProvider {
    std::atomic<int> calls{0};
    std::vector<TimePoint> times;  // of each call, read with the precise clock
    CredentialsPtr get() override {
      const TimePoint now = std::chrono::system_clock::now();
      times.push_back(now);
      ++calls;
      return make_credentials({.access_key_id = "AKID-" + std::to_string(calls.load()),
                               .secret_access_key = SecretString("s"),
                               .expiration = now + 101s,
                               .provider_name = "timed"});
    }
    std::string name() const override { return "timed"; }
  };
  auto source = std::make_shared<TimedSource>();
  RefreshPolicy policy;
  policy.advisory_window = 100s;
  policy.mandatory_window = 60s;
  CachingProvider cache(source, policy);
  const auto first = cache.get();
  const TimePoint advisory_start = *first->expiration() - 100s;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (source->calls.load() < 2 && std::chrono::steady_clock::now() < deadline) {
    (void)cache.get();
  }
  ASSERT_EQ(source->calls.load(), 2) << "no refresh within 5 s of a window opening after 1 s";
  EXPECT_GE(source->times[1], advisory_start - 50ms) << "refreshed long before the window";
  EXPECT_LT(source->times[1], advisory_start + 50ms) << "served past the advisory start";
}

}  // namespace
}  // namespace awsauth
