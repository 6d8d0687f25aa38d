// explain_rejection() against recorded error bodies: S3's XML (with and without the hex bytes),
// STS's query-protocol XML and API Gateway's JSON, whose canonical request and string to sign
// were computed by botocore from the request as the service received it
// (tests/differential/explain_oracle.py wrote explain_bodies/; the differential test
// ExplainBotocore.* checks they are still what it writes). Our side is signed here by our
// signer from the request as the client sent it, so neither side is our code checking itself.

#include "awsauth/signer/explain.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "awsauth/signer/service_report.hpp"
#include "awsauth/signer/signer.hpp"
#include "paths.hpp"

namespace {

using awsauth::signer::Cause;
using awsauth::signer::Diagnosis;
using awsauth::signer::ServiceReport;
using awsauth::signer::SignedText;

constexpr const char* kDate = "20240102T030405Z";

std::string body(const std::string& name) {
  const std::string path =
      awsauth::test::source_dir() + "/tests/unit/signer/explain_bodies/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ServiceReport report(const std::string& name) {
  auto r = awsauth::signer::read_service_report(body(name));
  EXPECT_TRUE(r.has_value()) << name;
  return r.value_or(ServiceReport{});
}

awsauth::Credentials credentials(const std::string& token = "") {
  return awsauth::Credentials({.access_key_id = "AKIDEXAMPLE",
                               .secret_access_key = awsauth::SecretString("a-different-secret"),
                               .session_token = awsauth::SecretString(token)});
}

struct S3Request {
  std::string path = "/photos/cat.jpg";
  std::string query = "list-type=2&prefix=a";
  std::string content_type = "text/plain";
  bool double_encode = false;
  std::string token;
};

// The S3 GET of the recorded bodies, as the client signed it.
awsauth::signer::SigningResult sign_s3(const S3Request& r) {
  auto request = awsauth::signer::parse_url(
      "GET", "https://examplebucket.s3.amazonaws.com" + r.path + "?" + r.query);
  request.headers.push_back({"Content-Type", r.content_type});
  request.headers.push_back({"X-Amz-Meta-Tags", "a,b"});
  auto settings = awsauth::signer::SigningSettings::for_service("us-east-1", "s3");
  settings.double_encode = r.double_encode;
  return awsauth::signer::sign(request, {}, credentials(r.token), settings,
                               *awsauth::signer::parse_amz_date(kDate));
}

// The API Gateway POST of the recorded JSON bodies, as the client signed it.
awsauth::signer::SigningResult sign_api(const std::string& region, const std::string& service,
                                        const std::string& payload) {
  auto request = awsauth::signer::parse_url(
      "POST", "https://abc123.execute-api.us-west-2.amazonaws.com/prod/items");
  request.headers.push_back({"Content-Type", "application/json"});
  const auto settings = awsauth::signer::SigningSettings::for_service(region, service);
  return awsauth::signer::sign(request, awsauth::signer::Payload::from_bytes(payload),
                               credentials(), settings, *awsauth::signer::parse_amz_date(kDate));
}

std::vector<std::string> lines_that_differ(const Diagnosis& d) {
  std::vector<std::string> out;
  for (const auto& l : d.differences) {
    out.push_back(std::string(awsauth::signer::signed_text_name(l.text)) + ": " + l.line);
  }
  return out;
}

std::string causes_of(const Diagnosis& d) {
  std::string out;
  for (const auto& c : d.causes) {
    out += std::string(awsauth::signer::cause_name(c.cause)) + ": " + c.sentence + "\n";
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(ExplainRejection, IdenticalTextsFromS3MeanADifferentSecret) {
  const auto d = awsauth::signer::explain_rejection(sign_s3({}), report("s3_same_texts.xml"));
  EXPECT_TRUE(d.service_sent_canonical_request);
  EXPECT_TRUE(d.service_sent_string_to_sign);
  EXPECT_TRUE(d.differences.empty()) << causes_of(d);
  ASSERT_EQ(d.causes.size(), 1U) << causes_of(d);
  EXPECT_EQ(d.causes[0].cause, Cause::DifferentSecret);
}

TEST(ExplainRejection, IdenticalTextsInAStsMessageMeanADifferentSecret) {
  auto request = awsauth::signer::parse_url("POST", "https://sts.us-east-1.amazonaws.com/");
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
  const auto ours = awsauth::signer::sign(
      request, awsauth::signer::Payload::from_bytes("Action=GetCallerIdentity&Version=2011-06-15"),
      credentials(), awsauth::signer::SigningSettings::for_service("us-east-1", "sts"),
      *awsauth::signer::parse_amz_date(kDate));
  const auto r = report("sts_same_texts.xml");
  EXPECT_EQ(r.code, "SignatureDoesNotMatch");
  const auto d = awsauth::signer::explain_rejection(ours, r);
  EXPECT_TRUE(d.differences.empty()) << causes_of(d);
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::DifferentSecret) << causes_of(d);
}

TEST(ExplainRejection, DoubleEncodedS3PathIsPathEncoding) {
  const auto d = awsauth::signer::explain_rejection(
      sign_s3({.path = "/photos/my%20cat.jpg", .double_encode = true}),
      report("s3_path_encoded_once.xml"));
  EXPECT_EQ(lines_that_differ(d),
            (Lines{"canonical request: path", "string to sign: canonical request hash"}));
  EXPECT_EQ(d.differences[0].ours, "/photos/my%2520cat.jpg");
  EXPECT_EQ(d.differences[0].theirs, "/photos/my%20cat.jpg");
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::PathEncoding) << causes_of(d);
  EXPECT_NE(d.causes[0].sentence.find("S3 does not double-encode"), std::string::npos);
}

TEST(ExplainRejection, DecodedSlashIsPathEncoding) {
  const auto d = awsauth::signer::explain_rejection(sign_s3({.path = "/photos/a%2Fb.jpg"}),
                                                    report("s3_path_slash_decoded.xml"));
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::PathEncoding) << causes_of(d);
  EXPECT_NE(d.causes[0].sentence.find("%2F"), std::string::npos) << causes_of(d);
}

TEST(ExplainRejection, PlusSentForASpaceIsQueryEncoding) {
  const auto d = awsauth::signer::explain_rejection(sign_s3({.query = "list-type=2&prefix=a+b"}),
                                                    report("s3_query_plus.xml"));
  EXPECT_EQ(lines_that_differ(d),
            (Lines{"canonical request: query", "string to sign: canonical request hash"}));
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::QueryEncoding) << causes_of(d);
}

TEST(ExplainRejection, ListHeaderRejoinedWithSpacesIsHeaderWhitespace) {
  const auto d =
      awsauth::signer::explain_rejection(sign_s3({}), report("s3_header_whitespace.xml"));
  EXPECT_EQ(lines_that_differ(d), (Lines{"canonical request: header x-amz-meta-tags",
                                         "string to sign: canonical request hash"}));
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::HeaderWhitespace) << causes_of(d);
}

TEST(ExplainRejection, ContentTypeRewrittenByAProxyIsASignedHeaderChange) {
  const auto r = report("s3_header_changed.xml");  // text elements only, no hex bytes
  ASSERT_TRUE(r.canonical_request.has_value());
  const auto d = awsauth::signer::explain_rejection(sign_s3({}), r);
  EXPECT_EQ(lines_that_differ(d), (Lines{"canonical request: header content-type",
                                         "string to sign: canonical request hash"}));
  EXPECT_EQ(d.differences[0].ours, "text/plain");
  EXPECT_EQ(d.differences[0].theirs, "application/octet-stream");
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::SignedHeaderChanged) << causes_of(d);
  EXPECT_NE(d.causes[0].sentence.find("content-type"), std::string::npos);
}

TEST(ExplainRejection, RequestTimeTooSkewedIsClockSkewWithBothTimes) {
  const auto r = report("s3_request_time_too_skewed.xml");
  EXPECT_EQ(r.request_time, kDate);
  EXPECT_EQ(r.server_time, "2024-01-02T04:30:00Z");
  const auto d = awsauth::signer::explain_rejection(sign_s3({}), r);
  EXPECT_FALSE(d.service_sent_canonical_request);
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::ClockSkew);
  EXPECT_NE(d.causes[0].sentence.find("2024-01-02T04:30:00Z"), std::string::npos);
}

TEST(ExplainRejection, AuthorizationHeaderMalformedNamesTheExpectedRegion) {
  const auto r = report("s3_authorization_header_malformed.xml");
  EXPECT_EQ(r.expected_region, "eu-west-1");
  const auto d = awsauth::signer::explain_rejection(sign_s3({}), r);
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::WrongRegion);
  EXPECT_NE(d.causes[0].sentence.find("'eu-west-1'"), std::string::npos);
}

TEST(ExplainRejection, ScopeWithAnotherRegionInApiGatewayJsonIsWrongRegion) {
  const auto r = report("api_wrong_region.json");
  EXPECT_EQ(r.code, "");  // API Gateway puts the code in x-amzn-ErrorType only
  const auto d =
      awsauth::signer::explain_rejection(sign_api("us-east-1", "execute-api", "{\"a\":1}"), r);
  EXPECT_EQ(lines_that_differ(d), (Lines{"string to sign: scope"}));
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::WrongRegion) << causes_of(d);
  EXPECT_NE(d.causes[0].sentence.find("'us-west-2'"), std::string::npos);
}

TEST(ExplainRejection, ScopeWithAnotherServiceIsWrongService) {
  const auto r = report("api_wrong_service.json");
  EXPECT_EQ(r.code, "InvalidSignatureException");
  const auto d = awsauth::signer::explain_rejection(sign_api("us-west-2", "es", "{\"a\":1}"), r);
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::WrongService) << causes_of(d);
  EXPECT_NE(d.causes[0].sentence.find("'execute-api'"), std::string::npos);
}

TEST(ExplainRejection, BodyChangedAfterSigningIsPayloadChanged) {
  const auto d = awsauth::signer::explain_rejection(
      sign_api("us-west-2", "execute-api", "{\"a\":1}"), report("api_payload_changed.json"));
  EXPECT_EQ(lines_that_differ(d),
            (Lines{"canonical request: payload hash", "string to sign: canonical request hash"}));
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::PayloadChanged) << causes_of(d);
}

TEST(ExplainRejection, DatesThatDifferAreClockSkew) {
  ServiceReport r;
  r.code = "SignatureDoesNotMatch";
  const auto ours = sign_s3({});
  r.string_to_sign = ours.string_to_sign;
  r.string_to_sign->replace(r.string_to_sign->find(kDate), 16, "20240102T031000Z");
  const auto d = awsauth::signer::explain_rejection(ours, r);
  EXPECT_EQ(lines_that_differ(d), (Lines{"string to sign: date"}));
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::ClockSkew) << causes_of(d);
}

TEST(ExplainRejection, SignatureExpiredMessageIsClockSkew) {
  const auto r = awsauth::signer::read_service_report(
      R"j({"__type":"InvalidSignatureException","message":"Signature expired: 20240102T030405Z )j"
      R"j(is now earlier than 20240102T040000Z (20240102T040500Z - 5 min.)"})j");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->request_time, "20240102T030405Z");
  EXPECT_EQ(r->server_time, "20240102T040500Z");
  const auto d = awsauth::signer::explain_rejection("", "", *r);
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::ClockSkew);
}

TEST(ExplainRejection, ABodyWithoutEitherTextSaysTheCausesCannotBeToldApart) {
  // moto's SignatureDoesNotMatch (moto/core/exceptions.py) carries neither text.
  const auto r = awsauth::signer::read_service_report(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Errors><Error><Code>"
      "SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match "
      "the signature you provided.</Message></Error></Errors></ErrorResponse>");
  ASSERT_TRUE(r.has_value());
  const auto d = awsauth::signer::explain_rejection(sign_s3({}), *r);
  ASSERT_EQ(d.causes.size(), 1U);
  EXPECT_EQ(d.causes[0].cause, Cause::NotReported);
}

TEST(ExplainRejection, SessionTokensAreComparedButNeverShown) {
  const std::string token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";
  const auto ours = sign_s3({.token = token});
  ServiceReport r;
  r.code = "SignatureDoesNotMatch";
  r.canonical_request = ours.canonical_request;
  r.canonical_request->replace(r.canonical_request->find(token), token.size(), "OTHERTOKEN");
  const auto d = awsauth::signer::explain_rejection(ours.canonical_request, "", r);
  ASSERT_EQ(lines_that_differ(d), (Lines{"canonical request: header x-amz-security-token"}));
  EXPECT_EQ(d.differences[0].ours, "<redacted>");
  EXPECT_EQ(d.differences[0].theirs, "<redacted>");
  ASSERT_FALSE(d.causes.empty());
  EXPECT_EQ(d.causes[0].cause, Cause::SignedHeaderChanged);
  for (const auto& c : d.causes) {
    EXPECT_EQ(c.sentence.find(token), std::string::npos);
    EXPECT_EQ(c.sentence.find("OTHERTOKEN"), std::string::npos);
  }
}

TEST(ServiceReportReader, HexBytesWinOverTheTextAndKeepEveryByte) {
  const auto r = awsauth::signer::read_service_report(
      "<Error><Code>SignatureDoesNotMatch</Code><CanonicalRequest>GET\n/\n</CanonicalRequest>"
      "<CanonicalRequestBytes>47 45 54 0a 2f 20 0d</CanonicalRequestBytes></Error>");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->canonical_request, std::string("GET\n/ \r"));
}

TEST(ServiceReportReader, NestedApiGatewayMessageCarriesTheTexts) {
  const auto r = awsauth::signer::read_service_report(
      R"({"errors":[{"message":"The Canonical String for this request should have been\n'GET\n/x'\n\n)"
      R"(The String-to-Sign should have been\n'AWS4-HMAC-SHA256\nD\nS\nH'\n","code":"InvalidSignature"}]})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->canonical_request, "GET\n/x");
  EXPECT_EQ(r->string_to_sign, "AWS4-HMAC-SHA256\nD\nS\nH");
}

TEST(ServiceReportReader, MalformedJsonAndPlainTextAreNotReports) {
  EXPECT_FALSE(awsauth::signer::read_service_report("{\"message\": \"x\"").has_value());
  EXPECT_FALSE(awsauth::signer::read_service_report("Forbidden").has_value());
  EXPECT_FALSE(awsauth::signer::read_service_report("<html>denied</html>").has_value());
  EXPECT_FALSE(awsauth::signer::read_service_report(std::string(100000, '[')).has_value());
}

}  // namespace
