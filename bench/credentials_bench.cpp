// Credentials cache benchmarks (issue 16): the cost of get() and try_get() on a valid cached
// snapshot at 1, 2 and 8 threads, the clock read that fast path has to make, and a refresh
// storm of 64 threads on credentials that just entered the mandatory window. Figures and the
// command: docs/performance.md, "Credentials cache".

#include <benchmark/benchmark.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "awsauth/caching.hpp"
#include "awsauth/request_signer.hpp"
#include "awsauth/static_provider.hpp"

using namespace awsauth;
using namespace std::chrono_literals;

namespace {

// One cache shared by every benchmark thread, holding credentials that expire in six hours
// (advisory window 60 min): every call below is a valid snapshot on the fast path.
const std::shared_ptr<CachingProvider>& shared_cache() {
  static const auto cache =
      std::make_shared<CachingProvider>(std::make_shared<StaticCredentialsProvider>(
          make_credentials({.access_key_id = "AKIDBENCH",
                            .secret_access_key = SecretString("bench-secret"),
                            .session_token = SecretString("bench-token"),
                            .expiration = std::chrono::system_clock::now() + 6h,
                            .provider_name = "bench"})));
  return cache;
}

CachingProvider& far_from_expiry_cache() { return *shared_cache(); }

// Until a process starts its first thread, libstdc++ counts shared_ptr references without
// atomic instructions (__libc_single_threaded), which would flatter whichever single-thread
// case happens to run first. A cache shared by threads lives in a multi-threaded process: every
// case here is measured in one.
void ensure_multithreaded() {
  static const bool started = [] {
    std::thread([] {}).join();
    return true;
  }();
  (void)started;
}

// CPU time (the default) is the figure to read: per thread, what one call costs, including any
// cache-line contention with the other threads. Real time at 8 threads on a 2-core machine is
// about 4x that merely because 8 threads share 2 cores. `call` is get() or try_get(); the
// returned pointer is destroyed every iteration, as a caller's would be.
template <class Call>
void measure_cached(benchmark::State& state, Call&& call) {
  ensure_multithreaded();
  CachingProvider& cache = far_from_expiry_cache();
  if (!cache.get()) {
    state.SkipWithError("no credentials");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(call(cache));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_CachedCredentials_Get(benchmark::State& state) {
  measure_cached(state, [](CachingProvider& cache) { return cache.get(); });
}
BENCHMARK(BM_CachedCredentials_Get)->Threads(1)->Threads(2)->Threads(8);

void BM_CachedCredentials_TryGet(benchmark::State& state) {
  measure_cached(state, [](CachingProvider& cache) { return cache.try_get(); });
}
BENCHMARK(BM_CachedCredentials_TryGet)->Threads(1)->Threads(2)->Threads(8);

// The precise clock, std::chrono::system_clock (clock_gettime(CLOCK_REALTIME) through the
// vDSO): what the slow path reads, and what the fast path read before it took the coarse clock
// plus one tick (docs/caching.md).
void BM_SystemClock_Now(benchmark::State& state) {
  ensure_multithreaded();
  for (auto _ : state) {
    benchmark::DoNotOptimize(std::chrono::system_clock::now());
  }
}
BENCHMARK(BM_SystemClock_Now)->Threads(1)->Threads(2)->Threads(8);

// RequestSigner::sign() over that cache, one signer shared by every thread: W1's request
// (../shared/bench/workload.json), the provider asked on every call. What matters here is that
// the time does not grow with the threads (no lock shared by the signing threads).
void BM_RequestSigner_Sign(benchmark::State& state) {
  ensure_multithreaded();
  static const RequestSigner signer(shared_cache(), "us-east-1", "s3");
  const HttpRequest request{.method = "GET",
                            .url =
                                "https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/"
                                "cat%20pic.jpg?versionId=abc&list-type=2"};
  for (auto _ : state) {
    benchmark::DoNotOptimize(signer.sign(request));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RequestSigner_Sign)->Threads(1)->Threads(2)->Threads(8);

// A source that takes `delay` and counts its calls. Its first credentials arrive inside the
// default 60 s mandatory window (expiring in 30 s); every later answer lives an hour.
class SlowSource final : public CredentialsProvider {
 public:
  explicit SlowSource(std::chrono::milliseconds delay) : delay_(delay) {}
  CredentialsPtr get() override {
    const int n = ++calls_;
    std::this_thread::sleep_for(delay_);
    return make_credentials({.access_key_id = "AKIDSTORM" + std::to_string(n),
                             .secret_access_key = SecretString("storm-secret"),
                             .expiration = std::chrono::system_clock::now() + (n == 1 ? 30s : 1h),
                             .provider_name = "slow"});
  }
  std::string name() const override { return "slow"; }

 private:
  const std::chrono::milliseconds delay_;
  std::atomic<int> calls_{0};
};

// One iteration is one storm: a fresh cache primed with credentials already in the mandatory
// window, then 64 threads released together by a barrier, each calling get() once. Every
// caller must wait for the refresh, and exactly one of them may call the source:
// `source_calls` is the source calls per storm (priming excluded) and must be 1. Real time:
// the measuring thread only waits.
void BM_RefreshStorm(benchmark::State& state) {
  constexpr int kThreads = 64;
  constexpr auto kSourceDelay = 2ms;
  std::shared_ptr<CachingProvider> cache;
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  // Phase 1: the storm threads call get(); phase 2: the measuring thread reads the result.
  std::barrier release(kThreads + 1);
  std::barrier done(kThreads + 1);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      while (true) {
        release.arrive_and_wait();
        if (stop.load()) return;
        const CredentialsPtr credentials = cache->get();
        if (credentials->access_key_id() != "AKIDSTORM2") wrong.fetch_add(1);
        done.arrive_and_wait();
      }
    });
  }
  std::uint64_t storms = 0;
  std::uint64_t calls = 0;
  for (auto _ : state) {
    state.PauseTiming();
    cache = std::make_shared<CachingProvider>(std::make_shared<SlowSource>(kSourceDelay));
    (void)cache->get();  // primes: AKIDSTORM1, 30 s left, inside the 60 s mandatory window
    state.ResumeTiming();
    release.arrive_and_wait();
    done.arrive_and_wait();
    calls += cache->stats().source_calls - 1;
    ++storms;
  }
  stop.store(true);
  release.arrive_and_wait();
  for (auto& t : threads) t.join();
  state.counters["source_calls"] = static_cast<double>(calls) / static_cast<double>(storms);
  state.counters["threads"] = kThreads;
  if (calls != storms || wrong.load() != 0) {
    state.SkipWithError("a storm did not make exactly one source call for every caller");
  }
}
BENCHMARK(BM_RefreshStorm)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
