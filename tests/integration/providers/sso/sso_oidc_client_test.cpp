// SsoOidcClient with the real Poco client against the fake SSO-OIDC on 127.0.0.1: the three
// operations' requests and answers, the OAuth error answers of the device flow and of a
// refresh, retries of 5xx and slow answers, and messages free of secrets and raw bytes.
#include "awsauth/providers/sso/sso_oidc_client.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "fake_sso.hpp"
#include "fault_checks.hpp"
#include "loopback_server.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using test::FakeSso;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;
using ::testing::HasSubstr;
using ::testing::Not;

Poco::JSON::Object::Ptr body_of(const RecordedRequest& r) {
  return Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
}

class SsoOidcClientTest : public ::testing::Test {
 protected:
  FakeSso sso;
  LoopbackServer server{sso.handler()};
  std::vector<std::chrono::milliseconds> sleeps;

  SsoOidcClient client(int attempts = 3, std::chrono::milliseconds timeout = 2000ms) {
    SsoServiceClientSettings s;
    s.endpoint = server.url("/");  // a trailing slash is dropped
    s.http.connect_timeout = timeout;
    s.http.total_timeout = timeout;
    s.retry_mode = RetryMode::Standard;
    s.max_attempts = attempts;
    s.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    return SsoOidcClient(test::loopback_context(std::make_shared<MapEnvironment>(),
                                                std::make_shared<MapFileSystem>()),
                         s);
  }

  CreateTokenRequest refresh_request(std::string refresh = "refresh-1") {
    return {.client_id = "client-id-1",
            .client_secret = SecretString("client-secret-1"),
            .grant_type = std::string(refresh_token_grant_type),
            .device_code = std::nullopt,
            .refresh_token = SecretString(std::move(refresh)),
            .scope = std::nullopt};
  }

  // The error create_token throws for `request`.
  SsoServiceError create_token_error(const SsoOidcClient& c, const CreateTokenRequest& request) {
    try {
      (void)c.create_token(request);
    } catch (const SsoServiceError& e) {
      return e;
    }
    ADD_FAILURE() << "create_token succeeded";
    return SsoServiceError(ErrorKind::ProviderFailure, "", "", 0, "", "", "");
  }
};

TEST_F(SsoOidcClientTest, CreateTokenWithARefreshTokenPostsJsonToTokenAndReadsTheAnswer) {
  const auto result = client().create_token(refresh_request());
  EXPECT_EQ(result.access_token.reveal(), "access-refreshed");
  EXPECT_EQ(result.expires_in, 28800);
  EXPECT_EQ(result.token_type, "Bearer");
  ASSERT_TRUE(result.refresh_token);
  EXPECT_EQ(result.refresh_token->reveal(), "refresh-2");

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/token");
  ASSERT_NE(requests[0].header("Content-Type"), nullptr);
  EXPECT_EQ(*requests[0].header("Content-Type"), "application/json");
  EXPECT_EQ(requests[0].header("Authorization"), nullptr) << "SSO-OIDC calls are unsigned";
  const auto body = body_of(requests[0]);
  EXPECT_EQ(body->getValue<std::string>("grantType"), "refresh_token");
  EXPECT_EQ(body->getValue<std::string>("clientId"), "client-id-1");
  EXPECT_EQ(body->getValue<std::string>("clientSecret"), "client-secret-1");
  EXPECT_EQ(body->getValue<std::string>("refreshToken"), "refresh-1");
  EXPECT_FALSE(body->has("deviceCode"));
}

TEST_F(SsoOidcClientTest, InvalidGrantIsNonRecoverableAndNamesUrlStatusAndErrorButNoSecret) {
  const auto e = create_token_error(client(), refresh_request("refresh-stale"));
  EXPECT_EQ(e.kind(), ErrorKind::NonRecoverable);
  EXPECT_TRUE(e.invalid_grant());
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.type(), "InvalidGrantException");
  EXPECT_EQ(e.error(), "invalid_grant");
  EXPECT_EQ(e.description(), "Invalid refresh token provided");
  const std::string message = e.what();
  EXPECT_THAT(message, HasSubstr("SSO OIDC CreateToken at " + server.url("/token")));
  EXPECT_THAT(message, HasSubstr("HTTP 400: InvalidGrantException invalid_grant: Invalid refresh"));
  EXPECT_THAT(message, Not(HasSubstr("refresh-stale")));
  EXPECT_THAT(message, Not(HasSubstr("client-secret-1")));
  EXPECT_EQ(server.request_count(), 1u) << "a 4xx answer is not retried";
}

TEST_F(SsoOidcClientTest, TheDeviceFlowRegistersStartsAndPollsThroughPending) {
  sso.pending_polls = 2;
  auto c = client();
  const auto registration = c.register_client(
      {.client_name = "awsauth", .scopes = std::vector<std::string>{"sso:account:access"}});
  EXPECT_EQ(registration.client_id, "client-id-1");
  EXPECT_EQ(registration.client_secret.reveal(), "client-secret-1");
  EXPECT_EQ(registration.client_secret_expires_at, 1924991999);
  EXPECT_EQ(registration.client_id_issued_at, 1700000000);

  const auto device = c.start_device_authorization({.client_id = registration.client_id,
                                                    .client_secret = registration.client_secret,
                                                    .start_url = "https://d-1.awsapps.com/start"});
  EXPECT_EQ(device.device_code.reveal(), "device-code-1");
  EXPECT_EQ(device.user_code, "ABCD-EFGH");
  EXPECT_EQ(device.verification_uri, "https://device.sso.example/");
  EXPECT_EQ(device.verification_uri_complete, "https://device.sso.example/?user_code=ABCD-EFGH");
  EXPECT_EQ(device.expires_in, 600);
  EXPECT_EQ(device.interval, 1);

  const CreateTokenRequest poll{.client_id = registration.client_id,
                                .client_secret = registration.client_secret,
                                .grant_type = std::string(device_code_grant_type),
                                .device_code = device.device_code,
                                .refresh_token = std::nullopt,
                                .scope = std::nullopt};
  for (int i = 0; i < 2; ++i) {
    const auto pending = create_token_error(c, poll);
    EXPECT_TRUE(pending.authorization_pending());
    EXPECT_EQ(pending.kind(), ErrorKind::ProviderFailure);
    EXPECT_THAT(pending.what(), Not(HasSubstr("device-code-1")));
  }
  const auto token = c.create_token(poll);
  EXPECT_EQ(token.access_token.reveal(), "access-refreshed");

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[0].target, "/client/register");
  const auto reg = body_of(requests[0]);
  EXPECT_EQ(reg->getValue<std::string>("clientName"), "awsauth");
  EXPECT_EQ(reg->getValue<std::string>("clientType"), "public");
  EXPECT_EQ(reg->getArray("scopes")->getElement<std::string>(0), "sso:account:access");
  EXPECT_EQ(requests[1].target, "/device_authorization");
  EXPECT_EQ(body_of(requests[1])->getValue<std::string>("startUrl"),
            "https://d-1.awsapps.com/start");
  EXPECT_EQ(requests[4].target, "/token");
  EXPECT_EQ(body_of(requests[4])->getValue<std::string>("deviceCode"), "device-code-1");
  EXPECT_EQ(body_of(requests[4])->getValue<std::string>("grantType"),
            "urn:ietf:params:oauth:grant-type:device_code");
  EXPECT_TRUE(sleeps.empty()) << "authorization_pending is the caller's to poll, not a retry";
}

TEST_F(SsoOidcClientTest, SlowDownAndExpiredTokenAreRecognised) {
  sso.fault = [](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    return test::sso_oidc_error(400, "SlowDownException", "slow_down",
                                "Client is polling too fast");
  };
  auto c = client();
  EXPECT_TRUE(create_token_error(c, refresh_request()).slow_down());
  sso.fault = [](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    return test::sso_oidc_error(400, "ExpiredTokenException", "expired_token", "Token is expired");
  };
  const auto expired = create_token_error(c, refresh_request());
  EXPECT_TRUE(expired.expired_token());
  EXPECT_EQ(expired.kind(), ErrorKind::NonRecoverable);
}

TEST_F(SsoOidcClientTest, FiveHundredsAreRetriedWithBackoffUpToTheAttemptLimit) {
  std::atomic<int> failures{2};
  sso.fault = [&](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    if (failures-- > 0) return ScriptedResponse{.status = 503, .body = "busy"};
    return std::nullopt;
  };
  EXPECT_EQ(client().create_token(refresh_request()).access_token.reveal(), "access-refreshed");
  EXPECT_EQ(server.request_count(), 3u);
  ASSERT_EQ(sleeps.size(), 2u);
  // FixedRandom(0.5): half of 1 s, then half of 2 s.
  EXPECT_EQ(sleeps[0], 500ms);
  EXPECT_EQ(sleeps[1], 1000ms);

  failures = 100;
  server.set_handler(sso.handler());
  const auto e = create_token_error(client(2), refresh_request("refresh-2"));
  EXPECT_EQ(e.status(), 503);
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
  EXPECT_THAT(e.what(), HasSubstr("(after 2 attempts)"));
}

TEST_F(SsoOidcClientTest, ASlowAnswerIsCutOffAtTheDeadlineAndRetried) {
  std::atomic<int> slow{1};
  sso.fault = [&](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    if (slow-- > 0) return ScriptedResponse{.delay_before_headers = 3s};
    return std::nullopt;
  };
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client(3, 300ms).create_token(refresh_request()).access_token.reveal(),
            "access-refreshed");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(SsoOidcClientTest, AnAnswerWithoutTheTokenIsAProviderFailure) {
  sso.fault = [](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    return ScriptedResponse{.body = R"({"tokenType":"Bearer","expiresIn":3600})"};
  };
  try {
    (void)client().create_token(refresh_request());
    ADD_FAILURE();
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
    EXPECT_THAT(e.what(), HasSubstr("answered without `accessToken`"));
  }
  sso.fault = [](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    return ScriptedResponse{.body = "<html>"};
  };
  EXPECT_THROW((void)client().create_token(refresh_request()), CredentialsError);
}

class SsoOidcHostileText : public SsoOidcClientTest,
                           public ::testing::WithParamInterface<std::string> {};

TEST_P(SsoOidcHostileText, ServerTextReachesTheMessageOnlyMadePrintableAndWithoutSecrets) {
  const std::string hostile = GetParam();
  sso.fault = [&](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    // A server that echoes the refresh token and sends terminal escapes.
    return test::sso_oidc_error(400, "InvalidGrantException", "invalid_grant" + hostile,
                                "bad refresh-1 " + hostile);
  };
  const auto e = create_token_error(client(), refresh_request());
  test::expect_printable_message(e.what());
  EXPECT_THAT(e.what(), Not(HasSubstr("refresh-1")));
  EXPECT_THAT(e.description(), Not(HasSubstr("refresh-1")));
}

INSTANTIATE_TEST_SUITE_P(Texts, SsoOidcHostileText, ::testing::ValuesIn(test::kHostileTexts),
                         test::hostile_text_name);

}  // namespace
}  // namespace awsauth::providers
