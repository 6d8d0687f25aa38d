// The Poco adapter without a network: the request carries Content-Length from the one body and
// exactly the headers signer::sign gives for the same request, Host included as Poco sends it.

#include "awsauth/request_signer_poco.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "awsauth/static_provider.hpp"

namespace awsauth {
namespace {

using ::testing::HasSubstr;

const TimePoint kTime = *signer::parse_amz_date("20260102T030405Z");

RequestSigner signer_at_fixed_time() {
  auto credentials = make_credentials(
      {.access_key_id = "AKIDEXAMPLE", .secret_access_key = SecretString("secret")});
  return RequestSigner({.service = "execute-api",
                        .region = "us-west-2",
                        .credentials = std::make_shared<StaticCredentialsProvider>(credentials),
                        .clock = std::make_shared<ManualClock>(kTime)});
}

TEST(RequestSignerPoco, SetsContentLengthFromTheBodyThenTheHeadersSignGives) {
  const RequestSigner s = signer_at_fixed_time();
  Poco::Net::HTTPRequest http("POST", "/prod/items?a=1", "HTTP/1.1");
  http.setHost("api.example.com", 8443);
  http.setContentType("application/json");
  const std::string body = R"({"id": 7})";
  const SignedRequest result = poco::sign(s, http, body);

  EXPECT_EQ(http.getContentLength64(), static_cast<Poco::Int64>(body.size()));
  signer::Request expected_request =
      signer::parse_url("POST", "https://api.example.com:8443/prod/items?a=1");
  expected_request.headers = {{"Host", "api.example.com:8443"},
                              {"Content-Type", "application/json"},
                              {"Content-Length", std::to_string(body.size())}};
  const auto expected = signer::sign(expected_request, signer::Payload::from_bytes(body),
                                     *s.credentials_provider()->get(), s.settings(), kTime);
  EXPECT_EQ(result.signing.canonical_request, expected.canonical_request);
  for (const auto& h : expected.headers) EXPECT_EQ(http.get(h.name), h.value) << h.name;
  EXPECT_EQ(http.getURI(), "/prod/items?a=1");
}

TEST(RequestSignerPoco, AGetWithoutABodyGetsNoContentLength) {
  const RequestSigner s = signer_at_fixed_time();
  Poco::Net::HTTPRequest http("GET", "/", "HTTP/1.1");
  http.setHost("api.example.com");
  (void)poco::sign(s, http, "");
  EXPECT_FALSE(http.has("Content-Length"));
  EXPECT_TRUE(http.has("Authorization"));
}

TEST(RequestSignerPoco, TheUriBecomesThePathAsSigned) {
  const RequestSigner s = signer_at_fixed_time();
  Poco::Net::HTTPRequest http("GET", "/a/./b/../c", "HTTP/1.1");
  http.setHost("api.example.com");
  const auto result = poco::sign(s, http, "");
  EXPECT_EQ(http.getURI(), "/a/c");
  EXPECT_THAT(result.signing.canonical_request, HasSubstr("GET\n/a/c\n"));
}

TEST(RequestSignerPoco, APayloadHashedElsewhereAndAGivenLength) {
  const RequestSigner s = signer_at_fixed_time();
  Poco::Net::HTTPRequest http("PUT", "/upload", "HTTP/1.1");
  http.setHost("api.example.com");
  signer::PayloadHasher hasher;
  hasher.update("chunk one,");
  hasher.update("chunk two");
  const auto result = poco::sign(s, http, signer::Payload::from_hasher(hasher), 19);
  EXPECT_EQ(http.getContentLength64(), 19);
  EXPECT_EQ(result.signing.payload_hash, signer::sha256_hex("chunk one,chunk two"));
}

TEST(RequestSignerPoco, NoHostIsRefused) {
  const RequestSigner s = signer_at_fixed_time();
  Poco::Net::HTTPRequest http("GET", "/", "HTTP/1.1");
  EXPECT_THROW((void)poco::sign(s, http, ""), signer::SigningError);
}

}  // namespace
}  // namespace awsauth
