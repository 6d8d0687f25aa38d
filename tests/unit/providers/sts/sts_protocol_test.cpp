#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "awsauth/errors.hpp"
#include "awsauth/providers/detail/sts_endpoint.hpp"
#include "awsauth/providers/detail/sts_request.hpp"
#include "awsauth/providers/detail/sts_response.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;

TEST(StsRequest, FormBodyIsEncodedExactlyAsPythonUrlencode) {
  AssumeRoleParams p{.role_arn = "arn:aws:iam::123456789012:role/a b",
                     .role_session_name = "x~y*z/\xC3\xA9+&=",
                     .duration_seconds = std::nullopt,
                     .external_id = "!'()",
                     .serial_number = std::nullopt,
                     .token_code = std::nullopt};
  // Expected value produced by Python 3: urllib.parse.urlencode of the same fields.
  EXPECT_EQ(form_urlencode(assume_role_fields(p)),
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3A"
            "role%2Fa+b&RoleSessionName=x~y%2Az%2F%C3%A9%2B%26%3D&ExternalId=%21%27%28%29");
}

TEST(StsRequest, AssumeRoleCarriesDurationAndMfaOnlyWhenSet) {
  AssumeRoleParams p{.role_arn = "r", .role_session_name = "s"};
  EXPECT_EQ(form_urlencode(assume_role_fields(p)),
            "Action=AssumeRole&Version=2011-06-15&RoleArn=r&RoleSessionName=s");
  p.duration_seconds = 900;
  p.serial_number = "arn:aws:iam::1:mfa/u";
  p.token_code = "123456";
  EXPECT_EQ(form_urlencode(assume_role_fields(p)),
            "Action=AssumeRole&Version=2011-06-15&RoleArn=r&RoleSessionName=s&DurationSeconds=900"
            "&SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Fu&TokenCode=123456");
}

TEST(StsRequest, WebIdentityCallCarriesTheToken) {
  WebIdentityParams p{.role_arn = "r", .role_session_name = "s", .web_identity_token = "ey.J/w=="};
  EXPECT_EQ(form_urlencode(web_identity_fields(p)),
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=r&RoleSessionName=s"
            "&WebIdentityToken=ey.J%2Fw%3D%3D");
}

constexpr const char* kAssumeRoleXml =
    R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROA:s</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/s</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalr/secret</SecretAccessKey>
      <SessionToken>FwoGZX&amp;token</SessionToken>
      <Expiration>EXPIRATION</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe</RequestId></ResponseMetadata>
</AssumeRoleResponse>)";

std::string with_expiration(const std::string& when) {
  std::string xml = kAssumeRoleXml;
  xml.replace(xml.find("EXPIRATION"), 10, when);
  return xml;
}

TEST(StsResponse, CredentialsAccountAndExpirationAreRead) {
  auto r = parse_sts_credentials(with_expiration("2024-05-01T12:00:00Z"));
  EXPECT_EQ(r.access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(r.secret_access_key.reveal(), "wJalr/secret");
  EXPECT_EQ(r.session_token.reveal(), "FwoGZX&token");
  EXPECT_EQ(r.account_id, "123456789012");
  EXPECT_EQ(format_iso8601(r.expiration), "2024-05-01T12:00:00Z");
}

TEST(StsResponse, ExpirationWithFractionalSecondsIsAccepted) {
  auto r = parse_sts_credentials(with_expiration("2024-05-01T12:00:00.123Z"));
  EXPECT_EQ(format_iso8601(r.expiration), "2024-05-01T12:00:00Z");
}

TEST(StsResponse, ExpirationIsTheSameInstantWithOrWithoutFractionalSeconds) {
  using namespace std::chrono_literals;
  const TimePoint whole = parse_sts_credentials(with_expiration("2024-05-01T12:00:00Z")).expiration;
  // 2024-05-01T12:00:00Z is 1714564800 seconds after the epoch.
  EXPECT_EQ(whole.time_since_epoch(), std::chrono::seconds(1714564800));
  EXPECT_EQ(parse_sts_credentials(with_expiration("2024-05-01T12:00:00.000Z")).expiration, whole);
  EXPECT_EQ(parse_sts_credentials(with_expiration("2024-05-01T12:00:00.5Z")).expiration,
            whole + 500ms);
  EXPECT_EQ(parse_sts_credentials(with_expiration("2024-05-01T12:00:00.123456Z")).expiration,
            whole + 123456us);
  // An explicit offset means the same instant as Z.
  EXPECT_EQ(parse_sts_credentials(with_expiration("2024-05-01T14:00:00+02:00")).expiration, whole);
}

TEST(StsResponse, ExpirationThatIsNotATimestampIsAClearError) {
  for (const char* bad : {"", "tomorrow", "2024-05-01T12:00:00", "2024-05-01T12:00:00.Z"}) {
    try {
      (void)parse_sts_credentials(with_expiration(bad));
      ADD_FAILURE() << "accepted Expiration '" << bad << "'";
    } catch (const StsParseError& e) {
      EXPECT_THAT(e.what(), HasSubstr("Expiration")) << bad;
      EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("wJalr"))) << bad;
    }
  }
}

TEST(StsResponse, MissingFieldsAndBrokenXmlAreClearErrorsWithoutSecrets) {
  std::string no_token = with_expiration("2024-05-01T12:00:00Z");
  no_token.erase(no_token.find("<SessionToken>"),
                 no_token.find("</SessionToken>") + 15 - no_token.find("<SessionToken>"));
  try {
    (void)parse_sts_credentials(no_token);
    FAIL();
  } catch (const StsParseError& e) {
    EXPECT_THAT(e.what(), HasSubstr("SessionToken"));
    EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("wJalr")));
  }
  EXPECT_THROW((void)parse_sts_credentials("<AssumeRoleResponse><oops"), StsParseError);
  EXPECT_THROW((void)parse_sts_credentials(with_expiration("tomorrow")), StsParseError);
}

TEST(StsResponse, ErrorResponseCodeAndMessage) {
  auto e = parse_sts_error(R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
    <Error><Type>Sender</Type><Code>AccessDenied</Code>
    <Message>User is not authorized to perform: sts:AssumeRole</Message></Error>
    <RequestId>x</RequestId></ErrorResponse>)");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "AccessDenied");
  EXPECT_EQ(e->message, "User is not authorized to perform: sts:AssumeRole");
  EXPECT_FALSE(parse_sts_error("<html>Bad gateway</html>"));
  EXPECT_FALSE(parse_sts_error("not xml"));
}

TEST(StsResponse, ExternalEntitiesAreNotResolved) {
  std::string xxe = R"(<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<ErrorResponse><Error><Code>C</Code><Message>&x;</Message></Error></ErrorResponse>)";
  auto e = parse_sts_error(xxe);
  if (e) {
    EXPECT_THAT(e->message, ::testing::Not(HasSubstr("root:")));
  }
}

StsEndpoint endpoint(std::map<std::string, std::string, std::less<>> vars,
                     const Profile* profile = nullptr) {
  MapEnvironment env(std::move(vars));
  return resolve_sts_endpoint(env, profile, "assume-role");
}

Profile profile_with(std::map<std::string, std::string> props) {
  Profile p;
  p.name = "dev";
  for (auto& [k, v] : props) p.properties[k] = ProfileValue{v, "/c", 3};
  return p;
}

TEST(StsEndpointResolution, RegionPrecedenceIsAwsRegionThenDefaultThenProfile) {
  auto p = profile_with({{"region", "eu-west-1"}});
  EXPECT_EQ(endpoint({}, &p).url, "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(endpoint({{"AWS_DEFAULT_REGION", "us-east-2"}}, &p).url,
            "https://sts.us-east-2.amazonaws.com");
  EXPECT_EQ(endpoint({{"AWS_REGION", "ap-south-1"}, {"AWS_DEFAULT_REGION", "us-east-2"}}, &p)
                .signing_region,
            "ap-south-1");
}

TEST(StsEndpointResolution, ChinaRegionsUseTheChinaDomain) {
  EXPECT_EQ(endpoint({{"AWS_REGION", "cn-north-1"}}).url,
            "https://sts.cn-north-1.amazonaws.com.cn");
}

TEST(StsEndpointResolution, LegacyModeUsesTheGlobalEndpointOnlyForLegacyRegions) {
  auto legacy = endpoint({{"AWS_REGION", "eu-west-1"}, {"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}});
  EXPECT_EQ(legacy.url, "https://sts.amazonaws.com");
  EXPECT_EQ(legacy.signing_region, "us-east-1");
  EXPECT_EQ(endpoint({{"AWS_REGION", "af-south-1"}, {"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}).url,
            "https://sts.af-south-1.amazonaws.com");
  auto p = profile_with({{"region", "us-west-2"}, {"sts_regional_endpoints", "legacy"}});
  EXPECT_EQ(endpoint({}, &p).url, "https://sts.amazonaws.com");
}

TEST(StsEndpointResolution, EndpointOverridesInBotocoreOrderMayBePlainHttp) {
  auto p = profile_with({{"region", "us-west-2"}, {"endpoint_url", "http://127.0.0.1:9001/"}});
  EXPECT_EQ(endpoint({}, &p).url, "http://127.0.0.1:9001");
  EXPECT_EQ(endpoint({{"AWS_ENDPOINT_URL", "http://127.0.0.1:9002"}}, &p).url,
            "http://127.0.0.1:9002");
  auto e = endpoint({{"AWS_ENDPOINT_URL", "http://127.0.0.1:9002"},
                     {"AWS_ENDPOINT_URL_STS", "https://localhost:9003"}},
                    &p);
  EXPECT_EQ(e.url, "https://localhost:9003");
  EXPECT_EQ(e.signing_region, "us-west-2");
  EXPECT_EQ(endpoint({{"AWS_ENDPOINT_URL", "http://127.0.0.1:9002"},
                      {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}},
                     &p)
                .url,
            "https://sts.us-west-2.amazonaws.com");
}

TEST(StsEndpointResolution, MissingOrBadSettingsAreClearErrors) {
  try {
    (void)endpoint({});
    FAIL();
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
    EXPECT_THAT(e.what(), HasSubstr("no region"));
  }
  EXPECT_THROW((void)endpoint({{"AWS_REGION", "evil.com/x"}}), CredentialsError);
  EXPECT_THROW((void)endpoint({{"AWS_REGION", "us-east-1"}, {"AWS_STS_REGIONAL_ENDPOINTS", "x"}}),
               CredentialsError);
  EXPECT_THROW((void)endpoint({{"AWS_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL_STS", "ftp://h"}}),
               CredentialsError);
}

TEST(StsResponse, AccountIdComesFromTheArn) {
  EXPECT_EQ(account_id_from_arn("arn:aws:sts::123456789012:assumed-role/r/s"), "123456789012");
  EXPECT_FALSE(account_id_from_arn("not-an-arn"));
  EXPECT_FALSE(account_id_from_arn("arn:aws:s3:::bucket"));
}

}  // namespace
}  // namespace awsauth::providers
