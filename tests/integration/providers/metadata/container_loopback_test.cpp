// The container provider with the real Poco HttpClient against a loopback credentials endpoint
// with faults. Every test bounds the time taken; nothing leaves 127.0.0.1.
#include <gtest/gtest.h>

#include <chrono>

#include "awsauth/context.hpp"
#include "awsauth/providers/metadata/container.hpp"
#include "expect_credentials_error.hpp"
#include "loopback_server.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::ScriptedResponse;
using Steady = std::chrono::steady_clock;

const std::string kDocument =
    R"({"AccessKeyId":"ASIAECS","SecretAccessKey":"s3cr3t","Token":"sess",)"
    R"("AccountId":"210987654321","Expiration":"2031-02-03T04:05:06Z"})";

/// Resolves one made-up name to loopback; the system resolver could never answer it, so a
/// successful fetch proves the connection went to the checked address.
class MadeUpNameResolver final : public Resolver {
 public:
  std::vector<std::string> resolve(const std::string& host) override {
    if (host == "creds.invalid") return {"127.0.0.1"};
    if (host == "mixed.invalid") return {"127.0.0.1", "10.9.8.7"};
    throw HttpError(HttpErrorKind::ConnectFailed, host, "unknown test name");
  }
};

class ContainerLoopback : public ::testing::Test {
 protected:
  LoopbackServer server;
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();
  std::shared_ptr<MapFileSystem> files = std::make_shared<MapFileSystem>();
  ContainerProviderOptions options{.timeout = 300ms, .attempts = 3, .backoff = 50ms};

  ContainerLoopback() {
    env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/v1/credentials"));
    env->set("HTTP_PROXY", "http://127.0.0.1:9");  // must be ignored
  }

  ContainerProvider provider() {
    Context c = test::loopback_context(env, files, 0.0);
    c.resolver = std::make_shared<MadeUpNameResolver>();
    return ContainerProvider(c, options);
  }

  std::string expect_error(ErrorKind kind, std::chrono::milliseconds bound) {
    auto p = provider();
    return test::expect_error_within(p, kind, bound, "container-role", "s3cr3t");
  }

  CredentialsPtr expect_credentials(std::chrono::milliseconds bound) {
    auto p = provider();
    const auto start = Steady::now();
    auto creds = p.get();
    EXPECT_LT(Steady::now() - start, bound);
    EXPECT_EQ(creds->access_key_id(), "ASIAECS");
    EXPECT_EQ(creds->account_id(), "210987654321");
    EXPECT_EQ(creds->expiration(), parse_iso8601("2031-02-03T04:05:06Z"));
    EXPECT_EQ(creds->provider_name(), "container-role");
    return creds;
  }
};

TEST_F(ContainerLoopback, FetchesWithTheRotatingTokenFileVerbatim) {
  env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/pod-identity/token");
  files->put("/var/run/pod-identity/token", "eyJ.first\n");
  server.enqueue({.body = kDocument});
  server.enqueue({.body = kDocument});
  auto p = provider();
  (void)p.get();
  files->put("/var/run/pod-identity/token", "eyJ.second\n");
  (void)p.get();
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/v1/credentials");
  EXPECT_EQ(*requests[0].header("Authorization"), "eyJ.first");
  EXPECT_EQ(*requests[1].header("Authorization"), "eyJ.second");
  EXPECT_EQ(*requests[0].header("Accept"), "application/json");
}

TEST_F(ContainerLoopback, NameIsCheckedThenConnectedToTheCheckedAddress) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
           "http://creds.invalid:" + std::to_string(server.port()) + "/v1/credentials");
  server.enqueue({.body = kDocument});
  (void)expect_credentials(1s);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string* host = requests[0].header("Host");
  ASSERT_NE(host, nullptr);
  EXPECT_EQ(*host, "creds.invalid:" + std::to_string(server.port()));
}

TEST_F(ContainerLoopback, NameWithADisallowedAddressIsRefusedBeforeConnecting) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
           "http://mixed.invalid:" + std::to_string(server.port()) + "/v1/credentials");
  const auto message = expect_error(ErrorKind::InvalidConfiguration, 200ms);
  EXPECT_NE(message.find("10.9.8.7"), std::string::npos) << message;
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST_F(ContainerLoopback, ServerErrorsAreRetriedThreeTimesThenNameUrlAndStatus) {
  for (int i = 0; i < 3; ++i) server.enqueue({.status = 500});
  const auto message = expect_error(ErrorKind::ProviderFailure, 1s);
  EXPECT_NE(message.find(server.url("/v1/credentials")), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 500"), std::string::npos) << message;
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(ContainerLoopback, AServerErrorThenSuccessSupplies) {
  server.enqueue({.status = 502});
  server.enqueue({.body = kDocument});
  (void)expect_credentials(1s);
}

TEST_F(ContainerLoopback, ClientErrorIsNotRetried) {
  server.enqueue({.status = 401, .body = R"({"message":"bad token"})"});
  const auto message = expect_error(ErrorKind::NonRecoverable, 500ms);
  EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(ContainerLoopback, BodyThatIsNotJsonIsRetriedThenAnError) {
  for (int i = 0; i < 3; ++i) server.enqueue({.body = "s3cr3t is not json"});
  const auto message = expect_error(ErrorKind::ProviderFailure, 1s);
  EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(ContainerLoopback, BodyCutShortIsRetried) {
  server.enqueue({.body = kDocument.substr(0, 30), .content_length = kDocument.size()});
  server.enqueue({.body = kDocument});
  (void)expect_credentials(1s);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(ContainerLoopback, EndpointThatNeverAnswersCostsTwoSecondsPerAttemptByDefault) {
  options = {};  // botocore's 2 s and 3 attempts
  for (int i = 0; i < 3; ++i) server.enqueue({.never_answer = true});
  const auto start = Steady::now();
  const auto message = expect_error(ErrorKind::ProviderFailure, 7500ms);
  EXPECT_GE(Steady::now() - start, 5900ms);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_NE(message.find("3 attempts"), std::string::npos) << message;
}

TEST_F(ContainerLoopback, SlowTrickleIsCutOffAtTheTimeoutOfEachAttempt) {
  for (int i = 0; i < 3; ++i) server.enqueue({.body = kDocument, .trickle_interval = 40ms});
  (void)expect_error(ErrorKind::ProviderFailure, 1800ms);
}

TEST_F(ContainerLoopback, ConnectionRefusedIsRetriedThenAnError) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
           "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/creds");
  const auto message = expect_error(ErrorKind::ProviderFailure, 1s);
  EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
}

}  // namespace
}  // namespace awsauth::providers
