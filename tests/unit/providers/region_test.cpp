// Region resolution in the library: AWS_REGION, AWS_DEFAULT_REGION, the selected profile's
// `region`, in that order, each only when non-empty; the error names every place looked at.
// Instance metadata is only asked when opted in (tests/integration/providers/region_imds_test).

#include "awsauth/providers/region.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;

class RegionTest : public ::testing::Test {
 protected:
  test::TestContext t;

  std::shared_ptr<const ResolvedProfile> profile(std::optional<std::string> name = std::nullopt) {
    return ProfileResolver(t.context(), name).get();
  }
  std::optional<ResolvedRegion> find(std::optional<std::string> name = std::nullopt) {
    return find_region(t.context(), *profile(std::move(name)));
  }
  std::string error(const RegionLookup& lookup = {}) {
    try {
      (void)require_region(t.context(), *profile(), lookup);
    } catch (const RegionError& e) {
      return e.what();
    }
    ADD_FAILURE() << "expected a RegionError";
    return {};
  }
};

TEST_F(RegionTest, AwsRegionWinsOverAwsDefaultRegionAndTheProfile) {
  t.config("[default]\nregion = eu-west-1\n");
  t.env->set("AWS_DEFAULT_REGION", "us-west-2");
  t.env->set("AWS_REGION", "ap-south-1");
  const auto region = find();
  ASSERT_TRUE(region);
  EXPECT_EQ(region->name, "ap-south-1");
  EXPECT_EQ(region->origin, "AWS_REGION");
}

TEST_F(RegionTest, AwsDefaultRegionWinsOverTheProfile) {
  t.config("[default]\nregion = eu-west-1\n");
  t.env->set("AWS_DEFAULT_REGION", "us-west-2");
  const auto region = find();
  ASSERT_TRUE(region);
  EXPECT_EQ(region->name, "us-west-2");
  EXPECT_EQ(region->origin, "AWS_DEFAULT_REGION");
}

TEST_F(RegionTest, TheSelectedProfilesRegionIsUsedLast) {
  t.config("[default]\nregion = eu-west-1\n[profile dev]\nregion = eu-central-1\n");
  t.env->set("AWS_PROFILE", "dev");
  const auto region = find();
  ASSERT_TRUE(region);
  EXPECT_EQ(region->name, "eu-central-1");
  EXPECT_EQ(region->origin, "the region of profile `dev`");
}

TEST_F(RegionTest, EmptyVariablesAreSkipped) {
  t.config("[default]\nregion = eu-west-1\n");
  t.env->set("AWS_REGION", "");
  t.env->set("AWS_DEFAULT_REGION", "");
  EXPECT_EQ(find()->name, "eu-west-1");
}

TEST_F(RegionTest, NothingSetIsNulloptWithoutAskingInstanceMetadata) {
  // The context has no HTTP client at all: asking instance metadata would crash the test.
  EXPECT_FALSE(find().has_value());
}

TEST_F(RegionTest, TheErrorNamesEveryPlaceLookedAt) {
  t.config("[default]\noutput = json\n");
  EXPECT_EQ(error(),
            "no AWS region: AWS_REGION and AWS_DEFAULT_REGION are not set, profile `default` has "
            "no `region` (in /home/test/.aws/config or /home/test/.aws/credentials), and EC2 "
            "instance metadata was not asked (RegionLookup::instance_metadata)");
}

TEST_F(RegionTest, OptedInButDisabledInstanceMetadataSaysWhy) {
  // TestContext sets AWS_EC2_METADATA_DISABLED=true: nothing is sent (there is no HTTP client).
  const std::string message = error({.instance_metadata = true});
  EXPECT_THAT(message, HasSubstr("profile `default` has no `region`"));
  EXPECT_THAT(message, HasSubstr("EC2 instance metadata gave none: disabled by "
                                 "AWS_EC2_METADATA_DISABLED=true"));
}

TEST_F(RegionTest, AProfileRegionNeedsNoLookup) {
  t.config("[default]\nregion = eu-west-1\n");
  const auto region = require_region(t.context(), *profile(), {.instance_metadata = true});
  EXPECT_EQ(region.name, "eu-west-1");
}

}  // namespace
}  // namespace awsauth::providers
