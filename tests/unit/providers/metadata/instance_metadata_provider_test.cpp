#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "awsauth/providers/metadata/instance_metadata.hpp"
#include "expect_credentials_error.hpp"
#include "instance_metadata_fake_http.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using test::http_response;
using test::ScriptedHttpClient;

constexpr const char* kBase = "http://127.0.0.1:1";
const std::string kToken = std::string(kBase) + "/latest/api/token";
const std::string kListing = std::string(kBase) + "/latest/meta-data/iam/security-credentials/";
const std::string kDocument = kListing + "my-role";

std::string document(const std::string& expiration = "2030-01-01T00:00:00Z") {
  return R"({"Code":"Success","LastUpdated":"2029-12-31T18:00:00Z","Type":"AWS-HMAC",)"
         R"("AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret","Token":"imds-session",)"
         R"("Expiration":")" +
         expiration + R"("})";
}

struct InstanceMetadata : ::testing::Test {
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();
  std::shared_ptr<ManualClock> clock =
      std::make_shared<ManualClock>(TimePoint(std::chrono::hours(24 * 365 * 55)));
  std::shared_ptr<ScriptedHttpClient> http = std::make_shared<ScriptedHttpClient>();
  InstanceMetadataProfileSettings profile;

  InstanceMetadata() { env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", kBase); }

  Context context() {
    Context c = test::in_memory_context(env, std::make_shared<MapFileSystem>(), 0.0);
    c.clock = clock;
    c.http = http;
    return c;
  }
  InstanceMetadataProvider provider() { return InstanceMetadataProvider(context(), profile); }

  void expect_v2_fetch(const std::string& token = "tok-1") {
    http->expect("PUT", kToken, http_response(200, token));
    http->expect("GET", kListing, http_response(200, "my-role"));
    http->expect("GET", kDocument, http_response(200, document()));
  }

  static const std::string* header(const ScriptedHttpClient::Sent& s, std::string_view name) {
    return find_header(s.request.headers, name);
  }

  ErrorKind error_kind_of(InstanceMetadataProvider& p, std::string* message = nullptr) {
    return test::error_kind_of(p, "iam-role", message);
  }
};

TEST_F(InstanceMetadata, FetchesRoleCredentialsWithAnImdsV2Token) {
  expect_v2_fetch();
  auto p = provider();
  const auto creds = p.get();
  EXPECT_EQ(creds->access_key_id(), "ASIAIMDS");
  EXPECT_EQ(creds->secret_access_key().reveal(), "imds-secret");
  EXPECT_EQ(creds->session_token().reveal(), "imds-session");
  EXPECT_EQ(creds->provider_name(), "iam-role");
  EXPECT_EQ(creds->expiration(), parse_iso8601("2030-01-01T00:00:00Z"));

  const auto sent = http->sent();
  ASSERT_EQ(sent.size(), 3u);
  ASSERT_NE(header(sent[0], "X-aws-ec2-metadata-token-ttl-seconds"), nullptr);
  EXPECT_EQ(*header(sent[0], "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  for (std::size_t i = 1; i < 3; ++i) {
    ASSERT_NE(header(sent[i], "X-aws-ec2-metadata-token"), nullptr);
    EXPECT_EQ(*header(sent[i], "X-aws-ec2-metadata-token"), "tok-1");
  }
  for (const auto& s : sent) {
    EXPECT_EQ(s.options.total_timeout, std::chrono::milliseconds(1000));
    EXPECT_TRUE(s.options.proxy.empty());
  }
}

TEST_F(InstanceMetadata, ReusesTheTokenUntilShortlyBeforeItsTtlEnds) {
  expect_v2_fetch("tok-1");
  auto p = provider();
  (void)p.get();
  clock->advance(std::chrono::seconds(21600 - 61));
  http->expect("GET", kListing, http_response(200, "my-role"));
  http->expect("GET", kDocument, http_response(200, document()));
  (void)p.get();
  clock->advance(std::chrono::seconds(2));
  expect_v2_fetch("tok-2");
  (void)p.get();
  const auto sent = http->sent();
  ASSERT_EQ(sent.size(), 8u);
  EXPECT_EQ(*header(sent[4], "X-aws-ec2-metadata-token"), "tok-1");
  EXPECT_EQ(*header(sent[7], "X-aws-ec2-metadata-token"), "tok-2");
  EXPECT_EQ(http->remaining(), 0u);
}

TEST_F(InstanceMetadata, A401DropsTheTokenAndRetriesOnceWithANewOne) {
  http->expect("PUT", kToken, http_response(200, "stale"));
  http->expect("GET", kListing, http_response(401, "", "Unauthorized"));
  http->expect("PUT", kToken, http_response(200, "fresh"));
  http->expect("GET", kListing, http_response(200, "my-role"));
  http->expect("GET", kDocument, http_response(200, document()));
  auto p = provider();
  EXPECT_EQ(p.get()->access_key_id(), "ASIAIMDS");
  const auto sent = http->sent();
  ASSERT_EQ(sent.size(), 5u);
  EXPECT_EQ(*header(sent[3], "X-aws-ec2-metadata-token"), "fresh");
  EXPECT_EQ(*header(sent[4], "X-aws-ec2-metadata-token"), "fresh");
  // The new token is the one kept.
  http->expect("GET", kListing, http_response(200, "my-role"));
  http->expect("GET", kDocument, http_response(200, document()));
  (void)p.get();
  EXPECT_EQ(*header(http->sent().back(), "X-aws-ec2-metadata-token"), "fresh");
}

TEST_F(InstanceMetadata, ASecond401IsAnErrorNamingTheUrlAndStatus) {
  http->expect("PUT", kToken, http_response(200, "a"));
  http->expect("GET", kListing, http_response(401));
  http->expect("PUT", kToken, http_response(200, "b"));
  http->expect("GET", kListing, http_response(401));
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::ProviderFailure);
  EXPECT_NE(message.find(kListing), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
  EXPECT_EQ(message.find("\"b\""), std::string::npos);
}

class InstanceMetadataTokenFallback : public InstanceMetadata,
                                      public ::testing::WithParamInterface<int> {};

TEST_P(InstanceMetadataTokenFallback, TokenStatusFallsBackToImdsV1WithoutATokenHeader) {
  http->expect("PUT", kToken, http_response(GetParam()));
  http->expect("GET", kListing, http_response(200, "my-role"));
  http->expect("GET", kDocument, http_response(200, document()));
  auto p = provider();
  EXPECT_EQ(p.get()->access_key_id(), "ASIAIMDS");
  const auto sent = http->sent();
  EXPECT_EQ(header(sent[1], "X-aws-ec2-metadata-token"), nullptr);
  EXPECT_EQ(header(sent[2], "X-aws-ec2-metadata-token"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(BotocoreFallbackStatuses, InstanceMetadataTokenFallback,
                         ::testing::Values(403, 404, 405));

TEST_P(InstanceMetadataTokenFallback, TokenStatusIsAnErrorWhenImdsV1IsDisabled) {
  env->set("AWS_EC2_METADATA_V1_DISABLED", "true");
  http->expect("PUT", kToken, http_response(GetParam()));
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::ProviderFailure);
  EXPECT_NE(message.find("IMDSv1 is disabled"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP " + std::to_string(GetParam())), std::string::npos) << message;
  EXPECT_EQ(http->sent().size(), 1u);
}

TEST_F(InstanceMetadata, ImdsV1CanBeDisabledFromTheProfile) {
  profile.v1_disabled = ProfileValue{"True", "/home/u/.aws/config", 3};
  http->expect("PUT", kToken, http_response(404));
  auto p = provider();
  EXPECT_EQ(error_kind_of(p), ErrorKind::ProviderFailure);
}

TEST_F(InstanceMetadata, TokenAnswered400IsAnErrorAndNoCredentialsAreRequested) {
  http->expect("PUT", kToken, http_response(400, "", "Bad Request"));
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::ProviderFailure);
  EXPECT_NE(message.find(kToken), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 400"), std::string::npos) << message;
  EXPECT_EQ(http->sent().size(), 1u);
}

TEST_F(InstanceMetadata, TokenTimeoutFallsBackAtOnceWithoutFurtherAttempts) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3");
  http->expect_error("PUT", kToken, HttpErrorKind::Timeout);
  http->expect("GET", kListing, http_response(200, "my-role"));
  http->expect("GET", kDocument, http_response(200, document()));
  auto p = provider();
  EXPECT_EQ(p.get()->access_key_id(), "ASIAIMDS");
  EXPECT_EQ(http->sent().size(), 3u);
}

TEST_F(InstanceMetadata, TokenConnectionErrorsAndServerErrorsAreRetriedThenFallBack) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3");
  http->expect_error("PUT", kToken, HttpErrorKind::ConnectionClosed);
  http->expect("PUT", kToken, http_response(500));
  http->expect_error("PUT", kToken, HttpErrorKind::ConnectFailed);
  http->expect("GET", kListing, http_response(200, "my-role"));
  http->expect("GET", kDocument, http_response(200, document()));
  auto p = provider();
  EXPECT_EQ(p.get()->access_key_id(), "ASIAIMDS");
  EXPECT_EQ(header(http->sent().back(), "X-aws-ec2-metadata-token"), nullptr);
}

TEST_F(InstanceMetadata, DocumentWithErrorCodeNamesTheCodeAndMessage) {
  http->expect("PUT", kToken, http_response(200, "t"));
  http->expect("GET", kListing, http_response(200, "my-role"));
  http->expect("GET", kDocument,
               http_response(200, R"({"Code":"AssumeRoleUnauthorizedAccess",)"
                                  R"("Message":"EC2 cannot assume the role my-role."})"));
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::NonRecoverable);
  EXPECT_NE(message.find("AssumeRoleUnauthorizedAccess"), std::string::npos) << message;
  EXPECT_NE(message.find("EC2 cannot assume the role my-role."), std::string::npos) << message;
  EXPECT_NE(message.find(kDocument), std::string::npos) << message;
}

TEST_F(InstanceMetadata, DocumentWithoutExpirationIsAnErrorNamingTheField) {
  http->expect("PUT", kToken, http_response(200, "t"));
  http->expect("GET", kListing, http_response(200, "my-role"));
  http->expect("GET", kDocument,
               http_response(200, R"({"AccessKeyId":"A","SecretAccessKey":"S","Token":"T"})"));
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::ProviderFailure);
  EXPECT_NE(message.find("Expiration"), std::string::npos) << message;
}

TEST_F(InstanceMetadata, UnreadableDocumentIsRetriedUpToTheAttemptCountAndNeverQuoted) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
  http->expect("PUT", kToken, http_response(200, "t"));
  http->expect("GET", kListing, http_response(200, "my-role"));
  http->expect("GET", kDocument, http_response(200, "{\"SecretAccessKey\":\"leak"));
  http->expect("GET", kDocument, http_response(200, "{\"SecretAccessKey\":\"leak"));
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::ProviderFailure);
  EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
  EXPECT_NE(message.find("2 attempts"), std::string::npos) << message;
  EXPECT_EQ(message.find("leak"), std::string::npos) << message;
}

TEST_F(InstanceMetadata, UnreachableServiceIsNotConfiguredUntilItHasOnceSupplied) {
  http->expect_error("PUT", kToken, HttpErrorKind::ConnectFailed);
  http->expect_error("GET", kListing, HttpErrorKind::ConnectFailed);
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::NotConfigured);
  EXPECT_NE(message.find(kListing), std::string::npos) << message;

  expect_v2_fetch();
  (void)p.get();
  clock->advance(std::chrono::hours(7));  // the token has expired too
  http->expect_error("PUT", kToken, HttpErrorKind::ConnectFailed);
  http->expect_error("GET", kListing, HttpErrorKind::ConnectFailed);
  EXPECT_EQ(error_kind_of(p), ErrorKind::ProviderFailure);
}

TEST_F(InstanceMetadata, NoRoleAttachedIsNotConfigured) {
  http->expect("PUT", kToken, http_response(200, "t"));
  http->expect("GET", kListing, http_response(404, "", "Not Found"));
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::NotConfigured);
  EXPECT_NE(message.find("no IAM role"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 404"), std::string::npos) << message;
}

TEST_F(InstanceMetadata, ServerErrorsOnGetAreRetriedUpToTheAttemptCount) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
  http->expect("PUT", kToken, http_response(200, "t"));
  http->expect("GET", kListing, http_response(500, "", "Internal Server Error"));
  http->expect("GET", kListing, http_response(200, "my-role"));
  http->expect("GET", kDocument, http_response(503));
  http->expect("GET", kDocument, http_response(200, document()));
  auto p = provider();
  EXPECT_EQ(p.get()->access_key_id(), "ASIAIMDS");
  EXPECT_EQ(http->remaining(), 0u);
}

TEST_F(InstanceMetadata, DisabledServiceIsNotConfiguredAndSendsNothing) {
  env->set("AWS_EC2_METADATA_DISABLED", "TRUE");
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::NotConfigured);
  EXPECT_NE(message.find("AWS_EC2_METADATA_DISABLED"), std::string::npos);
  EXPECT_TRUE(http->sent().empty());
}

TEST_F(InstanceMetadata, TimeoutSettingBoundsEveryExchange) {
  env->set("AWS_METADATA_SERVICE_TIMEOUT", "3");
  expect_v2_fetch();
  auto p = provider();
  (void)p.get();
  for (const auto& s : http->sent()) {
    EXPECT_EQ(s.options.total_timeout, std::chrono::milliseconds(3000));
    EXPECT_LE(s.options.connect_timeout, std::chrono::milliseconds(3000));
    EXPECT_FALSE(s.options.connect_address.has_value());
  }
}

TEST_F(InstanceMetadata, ConcurrencyManyThreadsShareOneCachedToken) {
  std::atomic<int> puts{0};
  std::atomic<int> bad_gets{0};
  http->set_handler([&](const HttpRequest& r) {
    if (r.method == "PUT") {
      ++puts;
      return http_response(200, "shared-token");
    }
    const std::string* t = find_header(r.headers, "X-aws-ec2-metadata-token");
    if (t == nullptr || *t != "shared-token") ++bad_gets;
    return r.url == kListing ? http_response(200, "my-role") : http_response(200, document());
  });
  auto p = provider();
  (void)p.get();
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&p] {
      for (int j = 0; j < 50; ++j) EXPECT_EQ(p.get()->access_key_id(), "ASIAIMDS");
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(puts.load(), 1);
  EXPECT_EQ(bad_gets.load(), 0);
}

}  // namespace
}  // namespace awsauth::providers
