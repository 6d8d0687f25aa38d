// The complete default chain with the real Poco client against loopback peers playing the
// container endpoint and instance metadata: which source wins, in botocore's order, and that
// the sources after the winner are never contacted. Nothing leaves 127.0.0.1: the metadata
// endpoint is always the harness (AWS_EC2_METADATA_SERVICE_ENDPOINT).
#include <gtest/gtest.h>

#include <chrono>

#include "awsauth/context.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "fake_imds.hpp"
#include "loopback_server.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;

// IMDSv2: token, role name, document.
std::string imds_document() {
  return R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-s",)"
         R"("Token":"imds-t","Expiration":"2031-01-01T00:00:00Z"})";
}

ScriptedResponse container(const RecordedRequest&) {
  return {.body = R"({"AccessKeyId":"ASIAECS","SecretAccessKey":"ecs-s","Token":"ecs-t",)"
                  R"("Expiration":"2031-01-01T00:00:00Z"})"};
}

class DefaultChainLoopback : public ::testing::Test {
 protected:
  test::FakeImds imds{.role = "ec2-role", .token = "imds-token", .document_body = imds_document};
  LoopbackServer imds_server{imds.handler()};
  LoopbackServer container_server{container};
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>(
      std::map<std::string, std::string, std::less<>>{{"HOME", "/home/test"}});
  std::shared_ptr<MapFileSystem> files = std::make_shared<MapFileSystem>();

  DefaultChainLoopback() {
    env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_server.url("/"));
    env->set("AWS_METADATA_SERVICE_TIMEOUT", "1");
  }

  Context context() const { return test::loopback_context(env, files); }
  void use_container() {
    env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_server.url("/creds"));
  }
  CredentialsPtr get(std::optional<std::string> profile = std::nullopt) {
    return make_default_credentials_provider(context(), {.profile = std::move(profile)})->get();
  }
};

TEST_F(DefaultChainLoopback, InstanceMetadataIsTheLastResort) {
  const auto c = get();
  EXPECT_EQ(c->provider_name(), "iam-role");
  EXPECT_EQ(c->access_key_id(), "ASIAIMDS");
  ASSERT_EQ(imds_server.requests().size(), 3U);
  EXPECT_EQ(imds_server.requests()[0].method, "PUT");
}

TEST_F(DefaultChainLoopback, ContainerEndpointWinsOverInstanceMetadataWhenConfigured) {
  use_container();
  const auto c = get();
  EXPECT_EQ(c->provider_name(), "container-role");
  EXPECT_EQ(c->access_key_id(), "ASIAECS");
  EXPECT_EQ(container_server.requests().size(), 1U);
  EXPECT_TRUE(imds_server.requests().empty());
}

TEST_F(DefaultChainLoopback, ProfileKeysWinOverContainerAndInstanceMetadata) {
  use_container();
  files->put("/home/test/.aws/config",
             "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n");
  EXPECT_EQ(get()->provider_name(), "config-file");
  EXPECT_TRUE(container_server.requests().empty());
  EXPECT_TRUE(imds_server.requests().empty());
}

TEST_F(DefaultChainLoopback, EnvironmentKeysWinOverEverythingUnlessAProfileIsNamed) {
  use_container();
  env->set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env->set("AWS_SECRET_ACCESS_KEY", "env-s");
  files->put("/home/test/.aws/credentials",
             "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
  EXPECT_EQ(get()->provider_name(), "env");
  EXPECT_EQ(get("dev")->provider_name(), "shared-credentials-file");
  EXPECT_TRUE(container_server.requests().empty());
  EXPECT_TRUE(imds_server.requests().empty());
}

TEST_F(DefaultChainLoopback, RoleProfileIsTriedBeforeTheContainerAndFailsLoudly) {
  // The role's named source (the container) answers 403: the assume-role step owns the
  // profile, so the chain stops there instead of falling through to instance metadata.
  LoopbackServer refusing([](const RecordedRequest&) { return ScriptedResponse{.status = 403}; });
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", refusing.url("/creds"));
  env->set("AWS_REGION", "us-east-1");
  env->set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
  files->put("/home/test/.aws/config",
             "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
             "credential_source = EcsContainer\n");
  try {
    (void)get("app");
    FAIL() << "expected the assume-role step to fail";
  } catch (const NoCredentialsError& e) {
    ASSERT_FALSE(e.attempts().empty());
    EXPECT_EQ(e.attempts().back().provider, "assume-role") << e.what();
    EXPECT_NE(e.attempts().back().reason.find("403"), std::string::npos) << e.what();
  }
  EXPECT_EQ(refusing.requests().size(), 1U);
  EXPECT_TRUE(imds_server.requests().empty());
}

TEST_F(DefaultChainLoopback, UnreachableInstanceMetadataIsReportedAmongTheProvidersTried) {
  env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT",
           "http://127.0.0.1:" + std::to_string(test::closed_port()));
  const auto start = std::chrono::steady_clock::now();
  try {
    (void)get();
    FAIL() << "expected no credentials";
  } catch (const NoCredentialsError& e) {
    ASSERT_EQ(e.attempts().size(), 10U);
    EXPECT_EQ(e.attempts()[8].provider, "container-role");
    EXPECT_EQ(e.attempts()[9].provider, "iam-role");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

}  // namespace
}  // namespace awsauth::providers
