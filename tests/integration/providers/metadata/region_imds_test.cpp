// The instance metadata placement region (opt-in) against a fake IMDSv2 on 127.0.0.1: asked
// only when opted in and nothing else names a region, through the provider's own client (token
// PUT first, the endpoint settings honoured), and never otherwise.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "awsauth/providers/region.hpp"
#include "awsauth/request_signer.hpp"
#include "fake_imds.hpp"
#include "loopback_server.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kRegionPath = "/latest/meta-data/placement/region";

class RegionFromInstanceMetadata : public ::testing::Test {
 protected:
  test::FakeImds imds;
  test::LoopbackServer server{imds.handler()};
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();
  std::shared_ptr<MapFileSystem> files = std::make_shared<MapFileSystem>();

  RegionFromInstanceMetadata() {
    env->set("HOME", "/home/test");
    env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url(""));
    imds.fault = [](const test::RecordedRequest& r) -> std::optional<test::ScriptedResponse> {
      if (r.method == "GET" && r.path == kRegionPath) {
        return test::ScriptedResponse{.status = 200, .body = "eu-north-1"};
      }
      return std::nullopt;
    };
  }
  Context context() const { return test::loopback_context(env, files); }
  std::shared_ptr<const ResolvedProfile> profile() const {
    return ProfileResolver(context(), std::nullopt).get();
  }
};

TEST_F(RegionFromInstanceMetadata, OptedInItAsksPlacementRegionWithAToken) {
  const auto region = require_region(context(), *profile(), {.instance_metadata = true});
  EXPECT_EQ(region.name, "eu-north-1");
  EXPECT_EQ(region.origin, "EC2 instance metadata (placement/region)");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].path, test::kImdsTokenPath);
  EXPECT_EQ(requests[1].path, kRegionPath);
  ASSERT_NE(requests[1].header("X-aws-ec2-metadata-token"), nullptr);
  EXPECT_EQ(*requests[1].header("X-aws-ec2-metadata-token"), "token-1");
}

TEST_F(RegionFromInstanceMetadata, NotOptedInNothingIsSent) {
  EXPECT_FALSE(find_region(context(), *profile()).has_value());
  EXPECT_EQ(server.request_count(), 0U);
}

TEST_F(RegionFromInstanceMetadata, TheEnvironmentWinsAndNothingIsSent) {
  env->set("AWS_REGION", "us-east-2");
  EXPECT_EQ(require_region(context(), *profile(), {.instance_metadata = true}).name, "us-east-2");
  EXPECT_EQ(server.request_count(), 0U);
}

TEST_F(RegionFromInstanceMetadata, DisabledMetadataIsNotAsked) {
  env->set("AWS_EC2_METADATA_DISABLED", "true");
  try {
    (void)require_region(context(), *profile(), {.instance_metadata = true});
    FAIL() << "expected a RegionError";
  } catch (const RegionError& e) {
    EXPECT_THAT(e.what(), HasSubstr("disabled by AWS_EC2_METADATA_DISABLED=true"));
  }
  EXPECT_EQ(server.request_count(), 0U);
}

TEST_F(RegionFromInstanceMetadata, TheProfilesEndpointKeyIsHonoured) {
  env->unset("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  files->put("/home/test/.aws/config",
             "[default]\nec2_metadata_service_endpoint = " + server.url("") + "\n");
  EXPECT_EQ(require_region(context(), *profile(), {.instance_metadata = true}).name, "eu-north-1");
}

TEST_F(RegionFromInstanceMetadata, AMissingRegionIsAnErrorNamingTheUrlAndStatus) {
  imds.fault = nullptr;  // the fake answers 404 for the placement path
  try {
    (void)require_region(context(), *profile(), {.instance_metadata = true});
    FAIL() << "expected a RegionError";
  } catch (const RegionError& e) {
    EXPECT_THAT(e.what(), HasSubstr("EC2 instance metadata gave none: GET " + server.url("") +
                                    kRegionPath + ": HTTP 404"));
    EXPECT_THAT(e.what(), Not(HasSubstr("token-1")));
  }
}

}  // namespace
}  // namespace awsauth::providers

namespace awsauth {
namespace {

TEST(RequestSignerRegion, OptedInTheSignerTakesThePlacementRegion) {
  test::FakeImds imds;
  test::LoopbackServer server{imds.handler()};
  imds.fault = [](const test::RecordedRequest& r) -> std::optional<test::ScriptedResponse> {
    if (r.path == "/latest/meta-data/placement/region") {
      return test::ScriptedResponse{.status = 200, .body = "sa-east-1\n"};
    }
    return std::nullopt;
  };
  auto env = std::make_shared<MapEnvironment>();
  env->set("HOME", "/home/test");
  env->set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env->set("AWS_SECRET_ACCESS_KEY", "envsecret");
  env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url(""));
  const Context context = test::loopback_context(env, std::make_shared<MapFileSystem>());
  const RequestSigner opted_in(
      {.service = "es", .context = context, .region_lookup = {.instance_metadata = true}});
  EXPECT_EQ(opted_in.region(), "sa-east-1");
  const std::size_t asked = server.request_count();
  EXPECT_EQ(asked, 2U);  // token PUT + placement/region
  // Not opted in: a RegionError, and nothing more reached the metadata service.
  EXPECT_THROW(RequestSigner({.service = "es", .context = context}), providers::RegionError);
  EXPECT_EQ(server.request_count(), asked);
}

}  // namespace
}  // namespace awsauth
