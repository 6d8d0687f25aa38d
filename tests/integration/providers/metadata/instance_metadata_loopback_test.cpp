// The instance metadata provider with the real Poco HttpClient against a loopback IMDS with
// faults. Every test bounds the time taken; nothing leaves 127.0.0.1.
#include <gtest/gtest.h>

#include <chrono>

#include "awsauth/context.hpp"
#include "awsauth/providers/metadata/instance_metadata.hpp"
#include "expect_credentials_error.hpp"
#include "fake_imds.hpp"
#include "loopback_server.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;
using Steady = std::chrono::steady_clock;

constexpr const char* kListingPath = test::kImdsListingPath;
constexpr const char* kDocumentPath = "/latest/meta-data/iam/security-credentials/web-role";

const std::string kDocument = test::imds_document();

class InstanceMetadataLoopback : public ::testing::Test {
 protected:
  test::FakeImds imds;
  LoopbackServer server{imds.handler()};
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();

  InstanceMetadataLoopback() {
    env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("/"));
    env->set("HTTP_PROXY", "http://127.0.0.1:9");  // must be ignored
  }

  InstanceMetadataProvider provider() {
    return InstanceMetadataProvider(
        test::loopback_context(env, std::make_shared<MapFileSystem>(), 0.0));
  }

  // Runs get() and expects a CredentialsError of `kind` within `bound`; returns its message.
  std::string expect_error(ErrorKind kind, std::chrono::milliseconds bound) {
    auto p = provider();
    return test::expect_error_within(p, kind, bound, "iam-role", "s3cr3t");
  }

  CredentialsPtr expect_credentials(std::chrono::milliseconds bound) {
    auto p = provider();
    const auto start = Steady::now();
    auto creds = p.get();
    EXPECT_LT(Steady::now() - start, bound);
    EXPECT_EQ(creds->access_key_id(), "ASIALOOP");
    EXPECT_EQ(creds->provider_name(), "iam-role");
    EXPECT_EQ(creds->expiration(), parse_iso8601("2031-02-03T04:05:06Z"));
    return creds;
  }
};

TEST_F(InstanceMetadataLoopback, ImdsV2ExchangeSuppliesRoleCredentials) {
  (void)expect_credentials(1s);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(*requests[0].header("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].path, kListingPath);
  EXPECT_EQ(*requests[1].header("X-aws-ec2-metadata-token"), "token-1");
  EXPECT_EQ(requests[2].path, kDocumentPath);
  EXPECT_EQ(*requests[2].header("X-aws-ec2-metadata-token"), "token-1");
}

TEST_F(InstanceMetadataLoopback, TokenIsReusedAcrossFetches) {
  auto p = provider();
  (void)p.get();
  (void)p.get();
  EXPECT_EQ(imds.tokens_issued.load(), 1);
  EXPECT_EQ(server.request_count(), 5u);
}

class InstanceMetadataLoopbackFallback : public InstanceMetadataLoopback,
                                         public ::testing::WithParamInterface<int> {};

TEST_P(InstanceMetadataLoopbackFallback, TokenRefusedFallsBackToImdsV1) {
  const int status = GetParam();
  imds.fault = [status](const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    if (r.method == "PUT") return ScriptedResponse{.status = status};
    return std::nullopt;
  };
  (void)expect_credentials(1s);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].header("X-aws-ec2-metadata-token"), nullptr);
}

TEST_P(InstanceMetadataLoopbackFallback, TokenRefusedWithImdsV1DisabledIsAnError) {
  env->set("AWS_EC2_METADATA_V1_DISABLED", "true");
  const int status = GetParam();
  imds.fault = [status](const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    if (r.method == "PUT") return ScriptedResponse{.status = status};
    return std::nullopt;
  };
  const auto message = expect_error(ErrorKind::ProviderFailure, 1s);
  EXPECT_NE(message.find("HTTP " + std::to_string(status)), std::string::npos) << message;
  EXPECT_EQ(server.request_count(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Statuses, InstanceMetadataLoopbackFallback,
                         ::testing::Values(403, 404, 405));

TEST_F(InstanceMetadataLoopback, TokenAnswered400IsAnErrorNamingUrlAndStatus) {
  imds.fault = [](const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    if (r.method == "PUT") return ScriptedResponse{.status = 400};
    return std::nullopt;
  };
  const auto message = expect_error(ErrorKind::ProviderFailure, 1s);
  EXPECT_NE(message.find(server.url("/latest/api/token")), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 400"), std::string::npos) << message;
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(InstanceMetadataLoopback, StaleTokenRejectedWith401IsReplacedOnce) {
  imds.fault = [](const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    const std::string* token = r.header("X-aws-ec2-metadata-token");
    if (r.method == "GET" && token != nullptr && *token == "token-1") {
      return ScriptedResponse{.status = 401};
    }
    return std::nullopt;
  };
  (void)expect_credentials(1s);
  EXPECT_EQ(imds.tokens_issued.load(), 2);
  EXPECT_EQ(*server.requests().back().header("X-aws-ec2-metadata-token"), "token-2");
}

TEST_F(InstanceMetadataLoopback, ServerErrorsExhaustTheAttemptsAndNameUrlAndStatus) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
  imds.fault = [](const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    if (r.path == kDocumentPath) return ScriptedResponse{.status = 500};
    return std::nullopt;
  };
  const auto message = expect_error(ErrorKind::ProviderFailure, 1s);
  EXPECT_NE(message.find(server.url(kDocumentPath)), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 500"), std::string::npos) << message;
  EXPECT_EQ(server.request_count(), 4u);  // PUT, listing, document twice
}

TEST_F(InstanceMetadataLoopback, DocumentThatIsNotJsonIsAnError) {
  imds.fault = [](const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    if (r.path == kDocumentPath) return ScriptedResponse{.body = "<html>s3cr3t</html>"};
    return std::nullopt;
  };
  const auto message = expect_error(ErrorKind::ProviderFailure, 1s);
  EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
}

TEST_F(InstanceMetadataLoopback, DocumentCutShortIsAnError) {
  imds.fault = [](const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    if (r.path == kDocumentPath) {
      return ScriptedResponse{.body = kDocument.substr(0, 40), .content_length = kDocument.size()};
    }
    return std::nullopt;
  };
  const auto message = expect_error(ErrorKind::ProviderFailure, 1500ms);
  EXPECT_NE(message.find(kDocumentPath), std::string::npos) << message;
}

TEST_F(InstanceMetadataLoopback, ServiceThatNeverAnswersCostsTheTimeoutPerRequest) {
  // Default timeout (1 s): the token PUT times out and falls back to IMDSv1 at once, as
  // botocore does on a read timeout; the listing GET times out; two seconds in all.
  imds.fault = [](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    return ScriptedResponse{.never_answer = true};
  };
  const auto message = expect_error(ErrorKind::NotConfigured, 2800ms);
  EXPECT_NE(message.find(kListingPath), std::string::npos) << message;
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(InstanceMetadataLoopback, SlowTrickleIsCutOffAtTheTimeoutNotPerRead) {
  env->set("AWS_METADATA_SERVICE_TIMEOUT", "0.5");
  imds.fault = [](const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    if (r.path == kDocumentPath) {
      return ScriptedResponse{.body = kDocument, .trickle_interval = 50ms};  // ~9 s in full
    }
    return std::nullopt;
  };
  const auto message = expect_error(ErrorKind::ProviderFailure, 1500ms);
  EXPECT_NE(message.find(kDocumentPath), std::string::npos) << message;
}

TEST_F(InstanceMetadataLoopback, ConnectionRefusedIsNotConfigured) {
  env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT",
           "http://127.0.0.1:" + std::to_string(test::closed_port()));
  const auto message = expect_error(ErrorKind::NotConfigured, 1s);
  EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
}

TEST_F(InstanceMetadataLoopback, DisabledServiceIsNeverContacted) {
  env->set("AWS_EC2_METADATA_DISABLED", "true");
  (void)expect_error(ErrorKind::NotConfigured, 100ms);
  EXPECT_EQ(server.connection_count(), 0u);
}

}  // namespace
}  // namespace awsauth::providers
