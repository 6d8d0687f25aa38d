// docs/examples/poll_signing_loop.hpp, the event-loop example's loop: it keeps ticking while
// the credentials source takes 2 s, and its longest stall is measured and printed.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "awsauth/caching.hpp"
#include "awsauth/signer/request.hpp"
#include "awsauth/signer/settings.hpp"
// The example's own header, as docs/examples/event_loop_sign.cpp includes it.
#include "../../../docs/examples/poll_signing_loop.hpp"

namespace awsauth {
namespace {

using namespace std::chrono_literals;

// Takes `delay` of real time per call (an STS round trip with retries, say), from call
// `slow_from` on; credentials AKID-<n> living `lifetime`.
class SlowSource final : public CredentialsProvider {
 public:
  SlowSource(std::chrono::milliseconds delay, std::chrono::seconds lifetime, int slow_from = 1)
      : delay_(delay), lifetime_(lifetime), slow_from_(slow_from) {}
  std::atomic<int> calls{0};
  std::atomic<bool> failing{false};
  CredentialsPtr get() override {
    const int n = ++calls;
    if (n >= slow_from_) std::this_thread::sleep_for(delay_);
    if (failing) throw CredentialsError::provider_failure("slow", "STS answered 503");
    return make_credentials({.access_key_id = "AKID-" + std::to_string(n),
                             .secret_access_key = SecretString("secret"),
                             .session_token = SecretString("token"),
                             .expiration = std::chrono::system_clock::now() + lifetime_,
                             .provider_name = "slow"});
  }
  std::string name() const override { return "slow"; }

 private:
  std::chrono::milliseconds delay_;
  std::chrono::seconds lifetime_;
  int slow_from_;
};

// What the loop "sent": the key each request was signed with and when.
struct Sent {
  std::mutex mutex;  // only the loop's thread writes; the lock keeps the reads obvious
  std::vector<std::string> keys;
  std::vector<std::chrono::steady_clock::time_point> times;

  example::PollSigningLoop::Send sender() {
    return [this](const signer::Request&, const signer::SigningResult& signed_request,
                  const Credentials& credentials) {
      std::lock_guard lock(mutex);
      EXPECT_EQ(signed_request.headers.back().name, "Authorization");
      EXPECT_NE(signed_request.headers.back().value.find(
                    "Credential=" + credentials.access_key_id() + "/"),
                std::string::npos);
      keys.push_back(credentials.access_key_id());
      times.push_back(std::chrono::steady_clock::now());
    };
  }
};

example::PollSigningLoop make_loop(std::shared_ptr<CachingProvider> cache, Sent& sent) {
  auto request =
      signer::parse_url("POST", "https://abc123.execute-api.us-east-1.amazonaws.com/prod/items");
  request.headers.push_back({"Content-Type", "application/json"});
  return {std::move(cache), request, R"({"name":"widget"})",
          signer::SigningSettings::for_service("us-east-1", "execute-api"), sent.sender()};
}

void print(const char* what, const example::LoopReport& r) {
  std::cout << what << ": " << r.ticks << " ticks, " << r.sent << " sent, " << r.async_gets
            << " async gets, " << r.credential_errors << " errors; longest stall (busy) "
            << r.longest_busy.count() << " us, longest gap between 10 ms ticks "
            << r.longest_tick_gap.count() << " us\n";
}

// Nothing cached and a source that takes 2 s: the loop asks once, keeps ticking (requests
// queue up), and signs the backlog when the worker's callback wakes it.
TEST(PollSigningLoopConcurrency, KeepsTickingWhileTheSourceTakesTwoSeconds) {
  auto source = std::make_shared<SlowSource>(2000ms, 1h);
  auto cache = std::make_shared<CachingProvider>(source);
  Sent sent;
  auto loop = make_loop(cache, sent);
  const auto start = std::chrono::steady_clock::now();
  const auto report = loop.run({.tick = 10ms, .requests = 250, .give_up = 20s});
  print("source takes 2 s", report);

  EXPECT_EQ(report.sent, 250);
  EXPECT_EQ(report.ticks, 250);
  EXPECT_EQ(report.async_gets, 1);
  EXPECT_EQ(source->calls, 1);
  EXPECT_LT(report.longest_busy, 100ms) << "the loop itself stalled";
  EXPECT_LT(report.longest_tick_gap, 100ms) << "a tick was held up";
  std::lock_guard lock(sent.mutex);
  ASSERT_FALSE(sent.times.empty());
  EXPECT_GE(sent.times.front() - start, 1900ms) << "the first request had to wait for the source";
  for (const auto& key : sent.keys) EXPECT_EQ(key, "AKID-1");
}

// Credentials in their advisory window: try_get() keeps answering them and starts the refresh
// on the worker, so the loop never has to ask asynchronously and never waits for the 2 s call.
TEST(PollSigningLoopConcurrency, AdvisoryRefreshRunsBehindTheLoop) {
  auto source = std::make_shared<SlowSource>(2000ms, 10min, /*slow_from=*/2);
  RefreshPolicy policy;
  policy.advisory_window = 20min;  // every credentials issued are already in it
  auto cache = std::make_shared<CachingProvider>(source, policy);
  (void)cache->get();  // AKID-1, fast
  Sent sent;
  auto loop = make_loop(cache, sent);
  const auto report = loop.run({.tick = 10ms, .requests = 250, .give_up = 20s});
  print("advisory refresh takes 2 s", report);

  EXPECT_EQ(report.sent, 250);
  EXPECT_EQ(report.async_gets, 0);
  EXPECT_LT(report.longest_busy, 100ms);
  EXPECT_LT(report.longest_tick_gap, 100ms);
  std::lock_guard lock(sent.mutex);
  ASSERT_EQ(sent.keys.size(), 250U);
  EXPECT_EQ(sent.keys.front(), "AKID-1");
  EXPECT_EQ(sent.keys.back(), "AKID-2") << "the background refresh landed during the run";
}

// A source that fails: the error reaches the loop through the same wake-up, the loop retries
// after its pause and never stalls.
TEST(PollSigningLoopConcurrency, SourceErrorsReachTheLoopWithoutStallingIt) {
  auto source = std::make_shared<SlowSource>(200ms, 1h);
  source->failing = true;
  auto cache = std::make_shared<CachingProvider>(source);
  Sent sent;
  auto loop = make_loop(cache, sent);
  const auto report =
      loop.run({.tick = 10ms, .requests = 100, .give_up = 1500ms, .retry_after = 500ms});
  print("source fails after 200 ms", report);

  // A fetch, a 500 ms pause, a fetch...: two have failed by 1.5 s, a third may be under way.
  EXPECT_EQ(report.sent, 0);
  EXPECT_GE(report.credential_errors, 2);
  EXPECT_LE(report.async_gets - report.credential_errors, 1);
  // try_get() starts the fetch and get_async() joins it: one source call per attempt.
  EXPECT_EQ(source->calls, report.async_gets);
  EXPECT_EQ(report.last_error, "slow: STS answered 503");
  EXPECT_LT(report.longest_busy, 100ms);
  EXPECT_LT(report.longest_tick_gap, 100ms);
}

}  // namespace
}  // namespace awsauth
