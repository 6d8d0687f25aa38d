// Resource properties of the signer that users rely on (docs/performance.md): a warmed-up
// sign() makes no heap allocation, in header mode or presigned, and the signing-key cache stays
// within its capacity however many scopes pass through it. Speed itself is measured in bench/,
// never here.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "awsauth/signer/signer.hpp"
#include "malloc_counter.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

const Credentials& session_credentials() {
  static const Credentials c(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
       .session_token = SecretString(std::string(400, 'T') + "/+=")});
  return c;
}

// Allocations made by `n` calls of `f` after one warm-up call.
template <class F>
std::uint64_t allocations_after_warm_up(F&& f, int n = 100) {
  f();
  const std::uint64_t before = test::thread_allocations();
  for (int i = 0; i < n; ++i) f();
  return test::thread_allocations() - before;
}

// `prefix` and `n` (not `"r" + std::to_string(n)`: GCC 12 warns -Wrestrict on it, PR105329).
std::string named(std::string prefix, int n) {
  prefix += std::to_string(n);
  return prefix;
}

// A macro, not a function: GTEST_SKIP() returns from the function it is written in, and it must
// end the test.
#define AWSAUTH_REQUIRE_ALLOCATION_COUNTING()                                                    \
  if (!test::counting_available()) {                                                             \
    GTEST_SKIP() << "allocations are not counted under a sanitizer (it replaces malloc itself)"; \
  }

TEST(SignerAllocations, TheCounterSeesOperatorNewAndMalloc) {
  AWSAUTH_REQUIRE_ALLOCATION_COUNTING();
  const auto before = test::thread_allocations();
  auto* p = new std::string(100, 'x');  // NOLINT: the point is one heap allocation
  delete p;
  EXPECT_GE(test::thread_allocations() - before, 2u);  // the object and its buffer
}

TEST(SignerAllocations, AWarmedUpHeaderModeSignatureAllocatesNothing) {
  AWSAUTH_REQUIRE_ALLOCATION_COUNTING();
  Request request = parse_url("GET",
                              "https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/"
                              "cat%20pic.jpg?versionId=abc&list-type=2");
  request.headers = {{"host", "examplebucket.s3.us-east-1.amazonaws.com"},
                     {"x-amz-meta-note", "  two   spaces "}};
  const auto settings = SigningSettings::for_service("us-east-1", "s3");
  TimePoint time = *parse_amz_date("20240101T000000Z");
  SigningResult result;
  const std::string body(200, 'b');
  EXPECT_EQ(allocations_after_warm_up([&] {
              time += std::chrono::seconds(1);  // a new date every call, as in real use
              sign(request, Payload::from_bytes(body), session_credentials(), settings, time,
                   result);
            }),
            0u);
  EXPECT_FALSE(result.signature.empty());
}

TEST(SignerAllocations, AWarmedUpPresignedSignatureAllocatesNothing) {
  AWSAUTH_REQUIRE_ALLOCATION_COUNTING();
  const Request request = parse_url(
      "GET", "https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/a%20b.jpg?x=1&y=2");
  auto settings = SigningSettings::for_service("us-east-1", "s3");
  settings.presign_expires = 900;
  TimePoint time = *parse_amz_date("20240101T000000Z");
  SigningResult result;
  EXPECT_EQ(allocations_after_warm_up([&] {
              time += std::chrono::seconds(1);
              sign(request, Payload::unsigned_payload(), session_credentials(), settings, time,
                   result);
            }),
            0u);
  EXPECT_NE(result.presigned_url.find("X-Amz-Signature="), std::string::npos);
}

TEST(SignerAllocations, ACacheHitAllocatesNothing) {
  AWSAUTH_REQUIRE_ALLOCATION_COUNTING();
  SigningKeyCache cache(4);
  const Scope scope{"20240101", "us-east-1", "s3"};
  EXPECT_EQ(allocations_after_warm_up(
                [&] { (void)cache.get("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", scope); }),
            0u);
}

TEST(SigningKeyCacheBounds, TenThousandScopesKeepAtMostTheCapacity) {
  SigningKeyCache cache(100);
  for (int i = 0; i < 10'000; ++i) {
    (void)cache.get("secret", Scope{"20240101", named("region-", i), "s3"});
    ASSERT_LE(cache.size(), 100u);
  }
  EXPECT_EQ(cache.size(), 100u);
  EXPECT_EQ(cache.derivations(), 10'000u);
  // The last hundred are held; the one before them was evicted.
  (void)cache.get("secret", Scope{"20240101", "region-9999", "s3"});
  (void)cache.get("secret", Scope{"20240101", "region-9900", "s3"});
  EXPECT_EQ(cache.derivations(), 10'000u);
  (void)cache.get("secret", Scope{"20240101", "region-9899", "s3"});
  EXPECT_EQ(cache.derivations(), 10'001u);
}

TEST(SigningKeyCacheBounds, TheSharedCacheHoldsAThousandScopes) {
  EXPECT_EQ(SigningKeyCache::shared().capacity(), SigningKeyCache::kSharedCapacity);
  EXPECT_GE(SigningKeyCache::kSharedCapacity, 1000u);
}

TEST(SigningKeyCacheBounds, RotatingThroughAThousandScopesDerivesEachOnce) {
  SigningKeyCache cache(SigningKeyCache::kSharedCapacity);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 1000; ++i) {
      (void)cache.get("secret", Scope{"20240101", named("r", i % 40), named("s", i / 40)});
    }
  }
  EXPECT_EQ(cache.derivations(), 1000u);
}

}  // namespace
