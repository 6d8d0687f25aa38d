#include "awsauth/providers/sts/sts_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <mutex>

#include "awsauth/providers/sts/assume_role.hpp"
#include "queued_http_client.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;

std::string error_xml(const std::string& code, const std::string& message) {
  return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message +
         "</Message></Error></ErrorResponse>";
}

const std::string kOk =
    "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::111122223333:"
    "assumed-role/r/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>ASIA1</AccessKeyId>"
    "<SecretAccessKey>sec</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>"
    "2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>";

struct Fixture {
  std::shared_ptr<test::QueuedHttpClient> http = std::make_shared<test::QueuedHttpClient>();
  std::vector<std::chrono::milliseconds> sleeps;
  Context context;
  StsClientSettings settings;
  Fixture() {
    context.clock = std::make_shared<ManualClock>(TimePoint{} + std::chrono::hours(500000));
    context.random = std::make_shared<FixedRandom>(0.5);
    context.http = http;
    settings.endpoint = {"https://sts.us-east-1.amazonaws.com", "us-east-1"};
    settings.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
  }
  StsClient client() { return StsClient(context, settings); }
};

TEST(StsClient, ThrottlingAnd5xxAreRetriedWithJitteredExponentialBackoff) {
  Fixture f;
  f.http->answers = {{.status = 400, .body = error_xml("Throttling", "Rate exceeded")},
                     {.status = 503, .body = "busy"},
                     {.status = 200, .body = kOk}};
  auto creds = Credentials({.access_key_id = "AKID", .secret_access_key = SecretString("s")});
  auto result = f.client().call_for_credentials(
      assume_role_fields({.role_arn = "r", .role_session_name = "s"}), &creds, "assume-role");
  EXPECT_EQ(result.access_key_id, "ASIA1");
  ASSERT_EQ(f.sleeps.size(), 2u);
  EXPECT_EQ(f.sleeps[0], std::chrono::milliseconds(500));   // 0.5 * 1 s
  EXPECT_EQ(f.sleeps[1], std::chrono::milliseconds(1000));  // 0.5 * 2 s
  const auto& sent = f.http->sent[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(*find_header(sent.headers, "Content-Type"), std::string(kStsFormContentType));
  EXPECT_THAT(*find_header(sent.headers, "Authorization"),
              HasSubstr("Credential=AKID/20270115/"));  // the injected clock
  EXPECT_THAT(*find_header(sent.headers, "Authorization"),
              HasSubstr("/us-east-1/sts/aws4_request"));
}

TEST(StsClient, NonRecoverableCodesSurfaceAtOnceWithStsMessage) {
  for (std::string code : {"AccessDenied", "IDPRejectedClaim", "InvalidIdentityToken",
                           "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabled"}) {
    Fixture f;
    f.http->answers = {{.status = 403, .body = error_xml(code, "because " + code)}};
    try {
      (void)f.client().call(get_caller_identity_fields(), nullptr, "assume-role-with-web-identity");
      FAIL();
    } catch (const StsServiceError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::NonRecoverable) << code;
      EXPECT_THAT(e.what(), HasSubstr(code + ": because " + code));
    }
    EXPECT_EQ(f.http->sent.size(), 1u);
    EXPECT_TRUE(f.sleeps.empty());
  }
}

TEST(StsClient, UnsignedCallCarriesNoAuthorization) {
  Fixture f;
  f.http->answers = {{.status = 200, .body = kOk}};
  (void)f.client().call(get_caller_identity_fields(), nullptr, "x");
  EXPECT_EQ(find_header(f.http->sent[0].headers, "Authorization"), nullptr);
}

TEST(StsClient, GivesUpAfterMaxAttemptsNamingTheEndpointAndStatus) {
  Fixture f;
  f.http->answers = {{.status = 500, .reason = "Internal"},
                     {.status = 500, .reason = "Internal"},
                     {.status = 500, .reason = "Internal"}};
  try {
    (void)f.client().call(get_caller_identity_fields(), nullptr, "x");
    FAIL();
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
    EXPECT_THAT(e.what(), HasSubstr("https://sts.us-east-1.amazonaws.com answered HTTP 500"));
    EXPECT_THAT(e.what(), HasSubstr("after 3 attempts"));
  }
}

class CountingSource final : public CredentialsProvider {
 public:
  int calls = 0;
  CredentialsPtr get() override {
    ++calls;
    return make_credentials({.access_key_id = "AKID" + std::to_string(calls),
                             .secret_access_key = SecretString("s"),
                             .session_token = SecretString("t")});
  }
  std::string name() const override { return "counting"; }
};

TEST(AssumeRole, ExpiredTokenInvalidatesTheSourceAndRetriesOnceWithFreshCredentials) {
  Fixture f;
  f.http->answers = {{.status = 400, .body = error_xml("ExpiredToken", "expired")},
                     {.status = 200, .body = kOk}};
  auto source = std::make_shared<CountingSource>();
  int invalidations = 0;
  AssumeRoleProvider provider(f.context, std::make_shared<StsClient>(f.context, f.settings), source,
                              AssumeRoleHop{.profile = "p", .role_arn = "r"}, {},
                              [&] { ++invalidations; });
  auto creds = provider.get();
  EXPECT_EQ(invalidations, 1);
  EXPECT_EQ(source->calls, 2);
  EXPECT_EQ(creds->account_id(), "111122223333");
  EXPECT_THAT(f.http->sent[1].body, HasSubstr("RoleSessionName=botocore-session-"));
}

TEST(AssumeRole, MfaSerialWithoutCallbackIsAClearError) {
  Fixture f;
  AssumeRoleProvider provider(
      f.context, std::make_shared<StsClient>(f.context, f.settings),
      std::make_shared<CountingSource>(),
      AssumeRoleHop{.profile = "p", .role_arn = "r", .mfa_serial = "arn:aws:iam::1:mfa/me"});
  EXPECT_TRUE(provider.requires_mfa());
  try {
    (void)provider.get();
    FAIL();
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
    EXPECT_THAT(e.what(), HasSubstr("mfa_serial = arn:aws:iam::1:mfa/me"));
  }
}

TEST(AssumeRole, MfaCodeFromTheCallbackIsSentWithTheSerial) {
  Fixture f;
  f.http->answers = {{.status = 200, .body = kOk}};
  std::string asked;
  AssumeRoleProvider provider(
      f.context, std::make_shared<StsClient>(f.context, f.settings),
      std::make_shared<CountingSource>(),
      AssumeRoleHop{.profile = "p", .role_arn = "r", .mfa_serial = "arn:mfa"},
      [&](const std::string& serial) {
        asked = serial;
        return std::string("123456");
      });
  (void)provider.get();
  EXPECT_EQ(asked, "arn:mfa");
  EXPECT_THAT(f.http->sent[0].body, HasSubstr("SerialNumber=arn%3Amfa&TokenCode=123456"));
}

}  // namespace
}  // namespace awsauth::providers
