// Runs every case of the cross-SDK credential refresh vectors against CachingProvider with the
// default RefreshPolicy, a ManualClock and FixedRandom jitter.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "awsauth/caching.hpp"
#include "paths.hpp"

namespace awsauth {
namespace {

using namespace std::chrono_literals;
using Poco::JSON::Object;

const TimePoint kStart = TimePoint(std::chrono::seconds(1704067200));  // 2024-01-01T00:00:00Z

// A source whose next answer the test sets before each step.
class ScriptedSource final : public CredentialsProvider {
 public:
  explicit ScriptedSource(const Clock& clock) : clock_(clock) {}
  std::string response = "none";  // freshCredentials, staleCredentials, error, ...
  std::string key = "AKID-1";
  std::chrono::seconds lifetime{3600};
  int calls = 0;

  CredentialsPtr get() override {
    ++calls;
    const auto now = clock_.now();
    if (response == "freshCredentials") {
      return make_credentials({.access_key_id = key,
                               .secret_access_key = SecretString("secret"),
                               .expiration = now + lifetime,
                               .provider_name = "test-source"});
    }
    if (response == "staleCredentials") {
      return make_credentials({.access_key_id = key + "-stale",
                               .secret_access_key = SecretString("secret"),
                               .expiration = now,
                               .provider_name = "test-source"});
    }
    if (response == "nonRecoverableError") {
      throw CredentialsError(ErrorKind::NonRecoverable, "test-source", "AccessDenied");
    }
    throw CredentialsError(ErrorKind::ProviderFailure, "test-source",
                           response == "error" ? "503 from source" : "unexpected call");
  }
  std::string name() const override { return "test-source"; }

 private:
  const Clock& clock_;
};

Poco::JSON::Array::Ptr load_cases() {
  std::ifstream in(test::shared_dir() + "/testdata/aws-sdk-shared/credential-refresh-tests.json");
  std::stringstream text;
  text << in.rdbuf();
  return Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Array::Ptr>();
}

std::string get_string(const Object::Ptr& o, const std::string& k, const std::string& d = "") {
  return o->has(k) ? o->getValue<std::string>(k) : d;
}

void run_case(const Object::Ptr& c) {
  const auto given = c->getObject("given");
  auto clock = std::make_shared<ManualClock>(kStart);
  const double backoff = given->has("refreshBackoffSeconds")
                             ? given->getValue<double>("refreshBackoffSeconds")
                             : 420.0;
  RefreshPolicy policy;
  // Backoff is drawn from [300, 600] s: pick the fraction that yields the case's backoff.
  auto random = std::make_shared<FixedRandom>((backoff - 300.0) / 300.0);
  if (given->has("configuredAdvisoryWindowSeconds")) {
    policy.advisory_window =
        std::chrono::seconds(given->getValue<int>("configuredAdvisoryWindowSeconds"));
  }
  auto source = std::make_shared<ScriptedSource>(*clock);
  CachingProvider cache(source, policy, clock, random);

  // Seed the cache with credentials of 1 h lifetime (15 min advisory window, 60 s mandatory),
  // then move the clock into the state the case names.
  const std::string cached_state = get_string(given, "cachedCredentials");
  std::string cached_key;
  if (cached_state != "none") {
    source->key = get_string(given, "accessKeyId", "AKID-1");
    source->response = "freshCredentials";
    cached_key = cache.get()->access_key_id();
    if (cached_state == "advisory")
      clock->advance(50min);  // 10 min left
    else if (cached_state == "mandatory")
      clock->advance(3570s);  // 30 s left
    else if (cached_state == "expired")
      clock->advance(61min);
    else
      ASSERT_EQ(cached_state, "valid");
  }

  const auto steps = c->getArray("steps");
  for (std::size_t i = 0; i < steps->size(); ++i) {
    SCOPED_TRACE("step " + std::to_string(i));
    const auto step = steps->getObject(static_cast<unsigned>(i));
    const std::string type = get_string(step, "type");
    if (type == "advanceTime") {
      clock->advance(std::chrono::seconds(step->getValue<int>("seconds")));
      continue;
    }
    if (type == "invalidate") {
      cache.invalidate(get_string(step, "rejectedAccessKeyId"));
      continue;
    }
    ASSERT_EQ(type, "getCredentials");
    source->response = get_string(step, "response", "none");
    source->key = "AKID-NEW-" + std::to_string(i);
    source->lifetime = std::chrono::seconds(
        step->has("lifetimeSeconds") ? step->getValue<int>("lifetimeSeconds") : 3600);
    const auto expected = step->getObject("expected");
    const std::string result = get_string(expected, "result");
    const int calls_before = source->calls;
    const auto limited_before = cache.stats().rate_limited;

    if (result == "cachedCredentials" || result == "newCredentials") {
      CredentialsPtr got;
      ASSERT_NO_THROW(got = cache.get());
      EXPECT_EQ(got->access_key_id(), result == "newCredentials" ? source->key : cached_key);
      cached_key = got->access_key_id();
    } else {
      try {
        (void)cache.get();
        ADD_FAILURE() << "expected " << result;
      } catch (const CredentialsError& e) {
        EXPECT_EQ(e.kind() == ErrorKind::NonRecoverable, result == "nonRecoverableError")
            << e.what();
      }
    }
    EXPECT_EQ(source->calls > calls_before, expected->getValue<bool>("sourceContacted"));
    EXPECT_EQ(cache.stats().rate_limited > limited_before, expected->getValue<bool>("rateLimited"));
    if (expected->has("advisoryWindowSeconds")) {
      EXPECT_EQ(cache.advisory_window(),
                std::chrono::seconds(expected->getValue<int>("advisoryWindowSeconds")));
    }
  }
}

TEST(CachingProviderRefreshVectors, AllTwentyFourCasesPass) {
  const auto cases = load_cases();
  ASSERT_EQ(cases->size(), 24u);
  for (std::size_t i = 0; i < cases->size(); ++i) {
    const auto c = cases->getObject(static_cast<unsigned>(i));
    SCOPED_TRACE("case " + std::to_string(i) + ": " + get_string(c, "documentation"));
    run_case(c);
  }
}

}  // namespace
}  // namespace awsauth
