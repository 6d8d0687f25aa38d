// RequestSigner without a network: the generic form gives exactly signer::sign's headers for
// the same inputs and time, the URL to send is the one signed, defaults come from the context
// (environment keys, AWS_REGION), invalidate() makes the next call refresh, and bad input is
// refused before anything is signed, without a secret in the message.

#include "awsauth/request_signer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "awsauth/caching.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/static_provider.hpp"
#include "test_context.hpp"

namespace awsauth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const TimePoint kTime = *signer::parse_amz_date("20260102T030405Z");

// Hands out "AKID1", "AKID2", ... each valid for an hour from the clock's time.
class CountingProvider final : public CredentialsProvider {
 public:
  explicit CountingProvider(std::shared_ptr<const Clock> clock) : clock_(std::move(clock)) {}
  [[nodiscard]] CredentialsPtr get() override {
    const int n = ++calls;
    return make_credentials({.access_key_id = "AKID" + std::to_string(n),
                             .secret_access_key = SecretString("secret-" + std::to_string(n)),
                             .session_token = SecretString("token-" + std::to_string(n)),
                             .expiration = clock_->now() + std::chrono::hours(1),
                             .provider_name = "counting"});
  }
  [[nodiscard]] std::string name() const override { return "counting"; }
  std::atomic<int> calls{0};

 private:
  std::shared_ptr<const Clock> clock_;
};

std::shared_ptr<StaticCredentialsProvider> fixed() {
  return std::make_shared<StaticCredentialsProvider>(make_credentials(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
       .session_token = SecretString("the-session-token")}));
}

std::vector<signer::Header> collect(const RequestSigner& s, const HttpRequest& request,
                                    std::string* url = nullptr) {
  std::vector<signer::Header> out;
  std::string sent = s.sign(request, [&](const std::string& name, const std::string& value) {
    out.push_back({name, value});
  });
  if (url != nullptr) *url = std::move(sent);
  return out;
}

TEST(RequestSigner, GenericFormGivesTheCallersHeadersThenExactlyWhatSignProduces) {
  auto clock = std::make_shared<ManualClock>(kTime);
  const RequestSigner s(
      {.service = "execute-api", .region = "eu-west-1", .credentials = fixed(), .clock = clock});
  const HttpRequest request{
      .method = "POST",
      .url = "https://abc.execute-api.eu-west-1.amazonaws.com/prod/items?b=2&a=1",
      .headers = {{"Content-Type", "application/json"}},
      .body = R"({"id":1})"};
  std::string url;
  const auto headers = collect(s, request, &url);

  auto expected_request = signer::parse_url(request.method, request.url);
  expected_request.headers.push_back({"Content-Type", "application/json"});
  const auto expected =
      signer::sign(expected_request, signer::Payload::from_bytes(request.body), *fixed()->get(),
                   signer::SigningSettings::for_service("eu-west-1", "execute-api"), kTime);
  ASSERT_EQ(headers.size(), 1 + expected.headers.size());
  EXPECT_EQ(headers[0].name, "Content-Type");
  EXPECT_EQ(headers[0].value, "application/json");
  for (std::size_t i = 0; i < expected.headers.size(); ++i) {
    EXPECT_EQ(headers[i + 1].name, expected.headers[i].name);
    EXPECT_EQ(headers[i + 1].value, expected.headers[i].value);
  }
  EXPECT_EQ(url, request.url);
}

TEST(RequestSigner, ExplicitTimeOverridesTheClockAndMatchesSign) {
  const RequestSigner s(fixed(), "us-east-1", "sts");
  const auto signed_request =
      s.sign({.method = "GET", .url = "https://sts.amazonaws.com/?Action=GetCallerIdentity"},
             signer::Payload(), kTime);
  const auto expected = signer::sign(
      signer::parse_url("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity"), {},
      *fixed()->get(), signer::SigningSettings::for_service("us-east-1", "sts"), kTime);
  EXPECT_EQ(signed_request.signing.signature, expected.signature);
  EXPECT_EQ(signed_request.signing.amz_date, "20260102T030405Z");
  EXPECT_EQ(signed_request.access_key_id, "AKIDEXAMPLE");
}

TEST(RequestSigner, ACallersSameNamedHeaderIsReplacedNotDuplicated) {
  const RequestSigner s({.service = "sts", .region = "us-east-1", .credentials = fixed()});
  const auto r = s.sign({.method = "GET",
                         .url = "https://sts.amazonaws.com/",
                         .headers = {{"x-amz-date", "19990101T000000Z"}, {"Accept", "*/*"}}});
  int dates = 0;
  for (const auto& [name, value] : r.request.headers)
    dates += name == "X-Amz-Date" || name == "x-amz-date";
  EXPECT_EQ(dates, 1);
  EXPECT_EQ(r.request.headers.front().first, "Accept");
}

TEST(RequestSigner, TheUrlToSendIsThePathAsSigned) {
  const RequestSigner s(fixed(), "us-east-1", "es");
  const auto r = s.sign({.method = "GET", .url = "https://search.example.com:8443/a/./b/../c?q=1"});
  EXPECT_EQ(r.request.url, "https://search.example.com:8443/a/c?q=1");
  EXPECT_THAT(r.signing.canonical_request, HasSubstr("GET\n/a/c\nq=1\n"));
}

TEST(RequestSigner, PayloadOverloadSignsAStreamedBodysHash) {
  const RequestSigner s(fixed(), "us-east-1", "execute-api");
  signer::PayloadHasher hasher;
  hasher.update("{\"big\":");
  hasher.update("true}");
  const auto streamed = s.sign({.method = "POST", .url = "https://api.example.com/"},
                               signer::Payload::from_hasher(hasher), kTime);
  const auto whole = s.sign({.method = "POST", .url = "https://api.example.com/"},
                            signer::Payload::from_bytes("{\"big\":true}"), kTime);
  EXPECT_EQ(streamed.signing.payload_hash, signer::sha256_hex("{\"big\":true}"));
  EXPECT_EQ(streamed.signing.signature, whole.signing.signature);
  EXPECT_TRUE(streamed.request.body.empty());
}

TEST(RequestSigner, AStreamedBodyIsNeverSignedAsTheEmptyInMemoryBody) {
  const RequestSigner s(fixed(), "us-east-1", "execute-api");
  HttpRequest request{.method = "PUT", .url = "https://api.example.com/upload"};
  request.body_source = [](char*, std::size_t) -> std::size_t { return 0; };
  request.body_length = 0;
  EXPECT_THROW((void)s.sign(request), HttpError);
  EXPECT_THROW((void)collect(s, request), HttpError);
  // With its own hash it is signed, and the source goes along to the client.
  const auto r = s.sign(request, signer::Payload::from_bytes(""), kTime);
  EXPECT_EQ(r.signing.payload_hash, signer::sha256_hex(""));
  EXPECT_TRUE(static_cast<bool>(r.request.body_source));
  const RequestSigner unsigned_signer(
      {.service = "s3", .region = "us-east-1", .credentials = fixed(), .unsigned_payload = true});
  EXPECT_EQ(unsigned_signer.sign(request).signing.payload_hash, "UNSIGNED-PAYLOAD");
}

TEST(RequestSigner, UnsignedPayloadSignsAndSendsUnsignedPayload) {
  const RequestSigner s(
      {.service = "s3", .region = "us-east-1", .credentials = fixed(), .unsigned_payload = true});
  const auto r = s.sign({.method = "PUT", .url = "https://b.s3.amazonaws.com/k", .body = "data"});
  EXPECT_EQ(r.signing.payload_hash, "UNSIGNED-PAYLOAD");
  const auto* sha = find_header(r.request.headers, "X-Amz-Content-SHA256");
  ASSERT_NE(sha, nullptr);
  EXPECT_EQ(*sha, "UNSIGNED-PAYLOAD");
  EXPECT_EQ(r.request.body, "data");
}

TEST(RequestSigner, PresignReturnsThePresignedUrlAndAddsNoHeader) {
  const RequestSigner s(
      {.service = "s3", .region = "us-east-1", .credentials = fixed(), .presign_expires = 900});
  const auto r = s.sign({.method = "GET", .url = "https://b.s3.amazonaws.com/k?x=1"},
                        signer::Payload(), kTime);
  EXPECT_TRUE(r.request.headers.empty());
  EXPECT_EQ(r.request.url, "https://b.s3.amazonaws.com/k?" + r.signing.presigned_query);
  EXPECT_THAT(r.request.url, HasSubstr("X-Amz-Expires=900"));
  EXPECT_THAT(r.request.url, HasSubstr("X-Amz-Signature=" + r.signing.signature));
  EXPECT_EQ(r.signing.payload_hash, "UNSIGNED-PAYLOAD");  // botocore presigns S3 so
}

TEST(RequestSigner, PresignExpiryOutOfRangeIsRefused) {
  EXPECT_THROW(RequestSigner({.service = "s3",
                              .region = "us-east-1",
                              .credentials = fixed(),
                              .presign_expires = 604801}),
               signer::SigningError);
}

// The SigV4a key of fixed()'s credentials, which verifies what RequestSigner signed with them.
std::shared_ptr<const signer::SigV4aKey> fixed_sigv4a_key() {
  const CredentialsPtr credentials = fixed()->get();
  return signer::derive_sigv4a_key(credentials->access_key_id(),
                                   credentials->secret_access_key().reveal());
}

std::string query_value(const std::string& url, const std::string& name) {
  const auto at = url.find(name + "=");
  if (at == std::string::npos) return "<absent>";
  const auto begin = at + name.size() + 1;
  return url.substr(begin, url.find('&', begin) - begin);
}

TEST(RequestSignerSigV4a, HeaderModeSignsForTheRegionSetAndTheSignatureVerifies) {
  // No region and no context: with a region set none is looked up (the scope has no region).
  const RequestSigner s({.service = "s3",
                         .credentials = fixed(),
                         .sigv4a = true,
                         .region_set = "us-east-1,us-west-2"});
  EXPECT_EQ(s.region(), "");
  EXPECT_EQ(s.settings().algorithm, signer::SigningAlgorithm::V4a);
  const HttpRequest request{
      .method = "PUT",
      .url = "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/k",
      .body = "data"};
  const auto r = s.sign(request, signer::Payload::from_bytes(request.body), kTime);
  const std::string* auth = find_header(r.request.headers, "Authorization");
  ASSERT_NE(auth, nullptr);
  EXPECT_EQ(*auth,
            "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20260102/s3/aws4_request, "
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set;"
            "x-amz-security-token, Signature=" +
                r.signing.signature);
  ASSERT_NE(find_header(r.request.headers, "X-Amz-Region-Set"), nullptr);
  EXPECT_EQ(*find_header(r.request.headers, "X-Amz-Region-Set"), "us-east-1,us-west-2");
  EXPECT_EQ(r.signing.string_to_sign.substr(0, 23), "AWS4-ECDSA-P256-SHA256\n");

  // The canonical request is signer::sign's for the same settings (ECDSA signatures are
  // randomized, so the signatures are verified rather than compared).
  auto expected_request = signer::parse_url(request.method, request.url);
  const auto expected = signer::sign(expected_request, signer::Payload::from_bytes(request.body),
                                     *fixed()->get(), s.settings(), kTime);
  EXPECT_EQ(r.signing.canonical_request, expected.canonical_request);
  EXPECT_EQ(r.signing.string_to_sign, expected.string_to_sign);
  EXPECT_TRUE(fixed_sigv4a_key()->verify(r.signing.string_to_sign, r.signing.signature));
  // The check can fail: another credential's key does not verify it.
  EXPECT_FALSE(signer::derive_sigv4a_key("AKIDEXAMPLE", "another-secret")
                   ->verify(r.signing.string_to_sign, r.signing.signature));
}

TEST(RequestSignerSigV4a, PresignPutsTheRegionSetInTheQueryAndTheSignatureVerifies) {
  const RequestSigner s({.service = "s3",
                         .credentials = fixed(),
                         .presign_expires = 900,
                         .sigv4a = true,
                         .region_set = "*"});
  const auto r = s.sign({.method = "GET", .url = "https://b.s3.amazonaws.com/k?x=1"},
                        signer::Payload(), kTime);
  EXPECT_TRUE(r.request.headers.empty());
  EXPECT_EQ(r.request.url, "https://b.s3.amazonaws.com/k?" + r.signing.presigned_query);
  EXPECT_EQ(query_value(r.request.url, "X-Amz-Algorithm"), "AWS4-ECDSA-P256-SHA256");
  EXPECT_EQ(query_value(r.request.url, "X-Amz-Region-Set"), "%2A");
  EXPECT_EQ(query_value(r.request.url, "X-Amz-Credential"),
            "AKIDEXAMPLE%2F20260102%2Fs3%2Faws4_request");
  EXPECT_EQ(query_value(r.request.url, "X-Amz-Signature"), r.signing.signature);
  EXPECT_EQ(r.signing.payload_hash, "UNSIGNED-PAYLOAD");
  EXPECT_TRUE(fixed_sigv4a_key()->verify(r.signing.string_to_sign, r.signing.signature));
}

TEST(RequestSignerSigV4a, WithoutARegionSetTheRegionIsTheSet) {
  const RequestSigner s(
      {.service = "s3", .region = "eu-west-1", .credentials = fixed(), .sigv4a = true});
  const auto r = s.sign({.method = "GET", .url = "https://b.s3.amazonaws.com/k"});
  ASSERT_NE(find_header(r.request.headers, "X-Amz-Region-Set"), nullptr);
  EXPECT_EQ(*find_header(r.request.headers, "X-Amz-Region-Set"), "eu-west-1");
  EXPECT_THAT(*find_header(r.request.headers, "Authorization"), HasSubstr("/s3/aws4_request,"));
}

TEST(RequestSignerSigV4a, ARegionSetWithoutSigV4aAndAMalformedSetAreRefused) {
  EXPECT_THROW(RequestSigner({.service = "s3",
                              .region = "us-east-1",
                              .credentials = fixed(),
                              .region_set = "us-east-1,us-west-2"}),
               signer::SigningError);
  const RequestSigner s(
      {.service = "s3", .credentials = fixed(), .sigv4a = true, .region_set = "us-east-1,,x"});
  try {
    (void)s.sign({.method = "GET", .url = "https://b.s3.amazonaws.com/k"});
    FAIL() << "expected a SigningError";
  } catch (const signer::SigningError& e) {
    EXPECT_THAT(e.what(), HasSubstr("empty entry"));
  }
}

TEST(RequestSigner, CredentialsAreFetchedOnEveryCall) {
  auto clock = std::make_shared<ManualClock>(kTime);
  auto source = std::make_shared<CountingProvider>(clock);
  const RequestSigner s(source, "us-east-1", "sts");
  EXPECT_EQ(s.sign({.method = "GET", .url = "https://sts.amazonaws.com/"}).access_key_id, "AKID1");
  EXPECT_EQ(s.sign({.method = "GET", .url = "https://sts.amazonaws.com/"}).access_key_id, "AKID2");
}

TEST(RequestSigner, InvalidateMakesTheNextCallRefreshTheCache) {
  auto clock = std::make_shared<ManualClock>(kTime);
  auto source = std::make_shared<CountingProvider>(clock);
  auto cache = std::make_shared<CachingProvider>(source, RefreshPolicy{}, clock);
  RequestSigner s({.service = "sts", .region = "us-east-1", .credentials = cache, .clock = clock});
  const HttpRequest request{.method = "GET", .url = "https://sts.amazonaws.com/"};
  EXPECT_EQ(s.sign(request).access_key_id, "AKID1");
  EXPECT_EQ(s.sign(request).access_key_id, "AKID1");  // cached
  EXPECT_EQ(source->calls.load(), 1);
  s.invalidate();  // the service answered ExpiredToken for AKID1
  const auto refreshed = s.sign(request);
  EXPECT_EQ(refreshed.access_key_id, "AKID2");
  EXPECT_EQ(source->calls.load(), 2);
  // A stale key (another thread already moved on) changes nothing.
  s.invalidate("AKID1");
  EXPECT_EQ(s.sign(request).access_key_id, "AKID2");
  EXPECT_EQ(source->calls.load(), 2);
}

TEST(RequestSigner, InvalidateOnAProviderThatIsNoCacheChangesNothing) {
  RequestSigner s(fixed(), "us-east-1", "sts");
  (void)s.sign({.method = "GET", .url = "https://sts.amazonaws.com/"});
  s.invalidate();
  EXPECT_EQ(s.sign({.method = "GET", .url = "https://sts.amazonaws.com/"}).access_key_id,
            "AKIDEXAMPLE");
}

TEST(RequestSigner, CredentialsRejectionCodes) {
  for (const char* code : {"ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId",
                           "InvalidAccessKeyId", "InvalidToken", "UnrecognizedClientException"}) {
    EXPECT_TRUE(RequestSigner::is_credentials_rejection(code)) << code;
  }
  EXPECT_FALSE(RequestSigner::is_credentials_rejection("SignatureDoesNotMatch"));
  EXPECT_FALSE(RequestSigner::is_credentials_rejection("AccessDenied"));
}

TEST(RequestSigner, ManyThreadsSignWithOneObject) {
  auto clock = std::make_shared<ManualClock>(kTime);
  auto source = std::make_shared<CountingProvider>(clock);
  auto cache = std::make_shared<CachingProvider>(source, RefreshPolicy{}, clock);
  const RequestSigner s(cache, "us-east-1", "sts");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 200; ++j) {
        ok += s.sign({.method = "GET", .url = "https://sts.amazonaws.com/"}, {}, kTime)
                  .signing.signature.size() == 64;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1600);
  EXPECT_EQ(source->calls.load(), 1);
}

class RequestSignerDefaults : public ::testing::Test {
 protected:
  test::TestContext t;
};

TEST_F(RequestSignerDefaults, ADefaultChainOfTheContextAndItsRegion) {
  t.env->set("AWS_ACCESS_KEY_ID", "AKIDENV");
  t.env->set("AWS_SECRET_ACCESS_KEY", "envsecret");
  t.config("[default]\nregion = eu-west-3\n");
  const RequestSigner s({.service = "es", .context = t.context()});
  EXPECT_EQ(s.region(), "eu-west-3");
  EXPECT_EQ(s.service(), "es");
  const auto r = s.sign({.method = "GET", .url = "https://search.example.com/_cat/indices"});
  EXPECT_EQ(r.access_key_id, "AKIDENV");
  EXPECT_THAT(*find_header(r.request.headers, "Authorization"), HasSubstr("Credential=AKIDENV/"));
  EXPECT_THAT(*find_header(r.request.headers, "Authorization"), HasSubstr("/eu-west-3/es/"));
}

TEST_F(RequestSignerDefaults, NoRegionAnywhereIsARegionErrorNamingEveryPlace) {
  try {
    const RequestSigner s({.service = "es", .context = t.context()});
    FAIL() << "expected a RegionError";
  } catch (const providers::RegionError& e) {
    EXPECT_THAT(e.what(), HasSubstr("AWS_REGION and AWS_DEFAULT_REGION are not set"));
    EXPECT_THAT(e.what(), HasSubstr("profile `default` has no `region`"));
  }
}

TEST_F(RequestSignerDefaults, ASigV4aRegionSetNeedsNoRegionAnywhere) {
  t.env->set("AWS_ACCESS_KEY_ID", "AKIDENV");
  t.env->set("AWS_SECRET_ACCESS_KEY", "envsecret");
  const RequestSigner s(
      {.service = "s3", .context = t.context(), .sigv4a = true, .region_set = "us-east-1"});
  EXPECT_EQ(s.region(), "");
  const auto r = s.sign({.method = "GET", .url = "https://b.s3.amazonaws.com/k"});
  EXPECT_THAT(*find_header(r.request.headers, "Authorization"), HasSubstr("Credential=AKIDENV/"));
  EXPECT_TRUE(signer::derive_sigv4a_key("AKIDENV", "envsecret")
                  ->verify(r.signing.string_to_sign, r.signing.signature));
}

TEST_F(RequestSignerDefaults, AnExplicitRegionNeedsNoLookup) {
  t.env->set("AWS_REGION", "us-west-1");
  const RequestSigner s({.service = "es", .region = "ap-east-1", .context = t.context()});
  EXPECT_EQ(s.region(), "ap-east-1");
}

TEST(RequestSignerInput, AHeaderWithALineBreakIsRefusedWithoutItsValue) {
  const RequestSigner s(fixed(), "us-east-1", "sts");
  try {
    (void)s.sign({.method = "GET",
                  .url = "https://sts.amazonaws.com/",
                  .headers = {{"X-Note", "secret-value\r\nInjected: 1"}}});
    FAIL() << "expected an HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), HttpErrorKind::InvalidRequest);
    EXPECT_THAT(e.what(), HasSubstr("X-Note"));
    EXPECT_THAT(e.what(), Not(HasSubstr("secret-value")));
  }
}

TEST(RequestSignerInput, AMethodThatIsNotATokenAndABadUrlAreRefused) {
  const RequestSigner s(fixed(), "us-east-1", "sts");
  EXPECT_THROW((void)s.sign({.method = "GET /x", .url = "https://sts.amazonaws.com/"}), HttpError);
  EXPECT_THROW((void)s.sign({.method = "GET", .url = "https://sts.amazonaws.com/a b"}), HttpError);
  EXPECT_THROW((void)s.sign({.method = "GET", .url = "ftp://sts.amazonaws.com/"}), HttpError);
}

TEST(RequestSignerInput, ProviderErrorsReachTheCallerUnchanged) {
  test::TestContext t;  // no keys anywhere, instance metadata off
  const RequestSigner s({.service = "sts", .region = "us-east-1", .context = t.context()});
  try {
    (void)s.sign({.method = "GET", .url = "https://sts.amazonaws.com/"});
    FAIL() << "expected a CredentialsError";
  } catch (const CredentialsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("env"));
  }
}

TEST(RequestSignerInput, NoServiceIsRefused) {
  EXPECT_THROW(RequestSigner(fixed(), "us-east-1", ""), signer::SigningError);
}

}  // namespace
}  // namespace awsauth

namespace awsauth::providers {
namespace {

TEST(DefaultCredentialsProvider, IsOneObjectForTheWholeProcess) {
  // Built on first use (no I/O until get()), the same object for every thread.
  std::vector<std::shared_ptr<CachingProvider>> seen(8);
  std::vector<std::thread> threads;
  for (auto& slot : seen) threads.emplace_back([&slot] { slot = default_credentials_provider(); });
  for (auto& t : threads) t.join();
  for (const auto& p : seen) EXPECT_EQ(p, seen.front());
  EXPECT_EQ(default_credentials_provider(), seen.front());
  EXPECT_EQ(default_credentials_chain()->name(), "default-chain");
}

}  // namespace
}  // namespace awsauth::providers
