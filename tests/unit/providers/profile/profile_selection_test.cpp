// Profile and file selection from the environment, where an empty variable is NOT absent:
// botocore's EnvironmentProvider returns any value present (found by differential fuzzing).

#include <gtest/gtest.h>

#include "awsauth/environment.hpp"
#include "awsauth/providers/profile/profile_files.hpp"

namespace awsauth::providers {
namespace {

using Source = ProfileSelection::Source;

TEST(ProfileSelection, EmptyAwsProfileNamesTheEmptyProfileAsBotocoreDoes) {
  MapEnvironment env;
  env.set("AWS_PROFILE", "");
  const auto selected = select_profile(env, std::nullopt);
  EXPECT_EQ(selected.name, "");
  EXPECT_EQ(selected.source, Source::AwsProfile);
  EXPECT_TRUE(selected.is_named());  // so a missing "" profile is an error, not `default`
}

TEST(ProfileSelection, EmptyAwsDefaultProfileHidesAwsProfile) {
  MapEnvironment env;
  env.set("AWS_DEFAULT_PROFILE", "");
  env.set("AWS_PROFILE", "dev");
  const auto selected = select_profile(env, std::nullopt);
  EXPECT_EQ(selected.name, "");
  EXPECT_EQ(selected.source, Source::AwsDefaultProfile);
}

TEST(ProfileSelection, UnsetVariablesSelectTheUnnamedDefault) {
  MapEnvironment env;
  const auto selected = select_profile(env, std::nullopt);
  EXPECT_EQ(selected.name, "default");
  EXPECT_FALSE(selected.is_named());
}

TEST(ProfileSelection, EmptyFileVariablesMeanNoFileRatherThanTheDefaultPath) {
  MapEnvironment env;
  env.set("HOME", "/home/u");
  env.set("AWS_CONFIG_FILE", "");
  env.set("AWS_SHARED_CREDENTIALS_FILE", "");
  EXPECT_EQ(config_file_path(env), "");
  EXPECT_EQ(credentials_file_path(env), "");
  MapEnvironment unset;
  unset.set("HOME", "/home/u");
  EXPECT_EQ(config_file_path(unset), "/home/u/.aws/config");
  EXPECT_EQ(credentials_file_path(unset), "/home/u/.aws/credentials");
}

}  // namespace
}  // namespace awsauth::providers
