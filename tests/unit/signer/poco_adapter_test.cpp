#include <gtest/gtest.h>

#include <Poco/Net/HTTPRequest.h>

#include "awsauth/signer/poco.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

const Credentials kCreds({.access_key_id = "AKIDEXAMPLE",
                          .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});

TEST(PocoAdapter, SignsTheDocumentedIamRequestInPlace) {
  Poco::Net::HTTPRequest request("GET", "/?Action=ListUsers&Version=2010-05-08", "HTTP/1.1");
  request.setHost("iam.amazonaws.com");
  request.setContentType("application/x-www-form-urlencoded; charset=utf-8");
  const auto r = sign_poco_request(request, Payload(), kCreds, SigningSettings::for_service("us-east-1", "iam"),
                                   *parse_amz_date("20150830T123600Z"));
  EXPECT_EQ(request.get("X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(request.get("Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  // Signing again (a retry) replaces the headers instead of adding a second set.
  (void)sign_poco_request(request, Payload(), kCreds, SigningSettings::for_service("us-east-1", "iam"),
                          *parse_amz_date("20150830T123600Z"));
  EXPECT_EQ(request.get("Authorization"), r.headers.back().value);
}

TEST(PocoAdapter, PresignReplacesTheRequestUriWithTheSignedQuery) {
  Poco::Net::HTTPRequest request("GET", "/test.txt", "HTTP/1.1");
  request.setHost("examplebucket.s3.amazonaws.com");
  const Credentials creds({.access_key_id = "AKIAIOSFODNN7EXAMPLE",
                           .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")});
  auto s = SigningSettings::for_service("us-east-1", "s3");
  s.presign_expires = 86400;
  (void)sign_poco_request(request, Payload::unsigned_payload(), creds, s, *parse_amz_date("20130524T000000Z"));
  EXPECT_EQ(request.getURI(),
            "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&"
            "X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&"
            "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(PocoAdapter, RequestWithoutHostIsRefused) {
  Poco::Net::HTTPRequest request("GET", "/", "HTTP/1.1");
  EXPECT_THROW((void)sign_poco_request(request, Payload(), kCreds, SigningSettings::for_service("us-east-1", "iam"),
                                       *parse_amz_date("20150830T123600Z")),
               SigningError);
}

}  // namespace
