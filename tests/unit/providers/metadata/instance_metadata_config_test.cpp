#include "awsauth/providers/metadata/instance_metadata_config.hpp"

#include <gtest/gtest.h>

#include "awsauth/errors.hpp"

namespace awsauth::providers {
namespace {

MapEnvironment env_of(std::map<std::string, std::string, std::less<>> vars) {
  return MapEnvironment(std::move(vars));
}

std::string invalid_message(const MapEnvironment& env,
                            const InstanceMetadataProfileSettings& profile = {}) {
  try {
    (void)resolve_instance_metadata_config(env, profile);
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
    return e.what();
  }
  ADD_FAILURE() << "expected InvalidConfiguration";
  return {};
}

TEST(InstanceMetadataConfig, DefaultsAreBotocoresOneSecondOneAttemptIpv4) {
  const auto c = resolve_instance_metadata_config(MapEnvironment{}, {});
  EXPECT_FALSE(c.disabled);
  EXPECT_FALSE(c.v1_disabled);
  EXPECT_EQ(c.endpoint, "http://169.254.169.254");
  EXPECT_EQ(c.timeout, std::chrono::milliseconds(1000));
  EXPECT_EQ(c.num_attempts, 1);
  EXPECT_EQ(c.url("latest/meta-data/iam/security-credentials/"),
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
}

TEST(InstanceMetadataConfig, EnvironmentWinsOverProfileForTimeoutAndAttempts) {
  MapEnvironment env = env_of({{"AWS_METADATA_SERVICE_TIMEOUT", "5"}});
  InstanceMetadataProfileSettings profile;
  profile.timeout = ProfileValue{"2", "cfg", 4};
  profile.num_attempts = ProfileValue{"4", "cfg", 5};
  const auto c = resolve_instance_metadata_config(env, profile);
  EXPECT_EQ(c.timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(c.num_attempts, 4);
}

TEST(InstanceMetadataConfig, FractionalTimeoutIsAccepted) {
  MapEnvironment env = env_of({{"AWS_METADATA_SERVICE_TIMEOUT", "0.25"}});
  EXPECT_EQ(resolve_instance_metadata_config(env, {}).timeout, std::chrono::milliseconds(250));
}

TEST(InstanceMetadataConfig, BadTimeoutNamesTheVariable) {
  MapEnvironment env = env_of({{"AWS_METADATA_SERVICE_TIMEOUT", "soon"}});
  const auto m = invalid_message(env);
  EXPECT_NE(m.find("AWS_METADATA_SERVICE_TIMEOUT"), std::string::npos) << m;
  EXPECT_NE(m.find("soon"), std::string::npos) << m;
}

TEST(InstanceMetadataConfig, BadAttemptCountInProfileNamesFileAndLine) {
  InstanceMetadataProfileSettings profile;
  profile.num_attempts = ProfileValue{"0", "/home/u/.aws/config", 7};
  const auto m = invalid_message(MapEnvironment{}, profile);
  EXPECT_NE(m.find("metadata_service_num_attempts in /home/u/.aws/config:7"), std::string::npos)
      << m;
}

TEST(InstanceMetadataConfig, V1DisabledOnlyByTrueInAnyCase) {
  EXPECT_TRUE(
      resolve_instance_metadata_config(env_of({{"AWS_EC2_METADATA_V1_DISABLED", "TRUE"}}), {})
          .v1_disabled);
  EXPECT_FALSE(resolve_instance_metadata_config(env_of({{"AWS_EC2_METADATA_V1_DISABLED", "1"}}), {})
                   .v1_disabled);
  InstanceMetadataProfileSettings profile;
  profile.v1_disabled = ProfileValue{"true", "cfg", 1};
  EXPECT_TRUE(resolve_instance_metadata_config(MapEnvironment{}, profile).v1_disabled);
}

TEST(InstanceMetadataConfig, DisabledSkipsEveryOtherCheck) {
  MapEnvironment env = env_of(
      {{"AWS_EC2_METADATA_DISABLED", "true"}, {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "not a uri"}});
  EXPECT_TRUE(resolve_instance_metadata_config(env, {}).disabled);
}

TEST(InstanceMetadataConfig, TrailingSlashOnTheEndpointIsNotDoubled) {
  MapEnvironment env = env_of({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:8080/"}});
  EXPECT_EQ(resolve_instance_metadata_config(env, {}).token_url(),
            "http://127.0.0.1:8080/latest/api/token");
}

TEST(InstanceMetadataConfig, ProfileSettingsAreReadFromTheSelectedProfile) {
  Profile p;
  p.name = "default";
  p.properties["ec2_metadata_service_endpoint_mode"] = ProfileValue{"IPv6", "cfg", 2};
  p.properties["metadata_service_timeout"] = ProfileValue{"3", "cfg", 3};
  const auto s = InstanceMetadataProfileSettings::from_profile(&p);
  const auto c = resolve_instance_metadata_config(MapEnvironment{}, s);
  EXPECT_EQ(c.endpoint, "http://[fd00:ec2::254]");
  EXPECT_EQ(c.timeout, std::chrono::milliseconds(3000));
  EXPECT_FALSE(InstanceMetadataProfileSettings::from_profile(nullptr).endpoint.has_value());
}

}  // namespace
}  // namespace awsauth::providers
