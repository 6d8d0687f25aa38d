// The messages and edge cases of endpoint resolution that the botocore differential test does
// not see: where a bad setting was written, and what is refused.

#include "awsauth/providers/endpoints.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "awsauth/environment.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/providers/detail/sts_endpoint.hpp"
#include "awsauth/providers/profile/profile_parser.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;

ProfileSet config(const std::string& text) {
  return parse_profile_file(text, "/home/u/.aws/config", ProfileFileKind::Config);
}

std::string error_of(const Environment& env, const ProfileSet& set, AwsService service,
                     const std::string& region) {
  try {
    (void)resolve_service_endpoint(env, set, set.find("default"), service, region, "sso");
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(ServiceEndpoint, NamesTheVariableSectionKeyAndServiceIdAsTheSdksSpellThem) {
  EXPECT_EQ(endpoint_env_var(AwsService::SsoOidc), "AWS_ENDPOINT_URL_SSO_OIDC");
  EXPECT_EQ(endpoint_env_var(AwsService::Signin), "AWS_ENDPOINT_URL_SIGNIN");
  EXPECT_EQ(services_key(AwsService::SsoOidc), "sso_oidc");
  EXPECT_EQ(services_key(AwsService::Sts), "sts");
  EXPECT_EQ(service_id(AwsService::SsoOidc), "SSO OIDC");
}

TEST(ServiceEndpoint, AMissingServicesSectionNamesTheSectionAndWhereTheProfileNamesIt) {
  const auto set = config("[default]\nregion = us-east-1\nservices = local\n");
  const std::string message = error_of(MapEnvironment{}, set, AwsService::Sso, "us-east-1");
  EXPECT_THAT(message, HasSubstr("[services local]"));
  EXPECT_THAT(message, HasSubstr("/home/u/.aws/config:3"));
}

TEST(ServiceEndpoint, IgnoringConfiguredUrlsAlsoSkipsTheMissingSectionCheck) {
  const auto set = config("[default]\nservices = local\nignore_configured_endpoint_urls = true\n");
  const auto e = resolve_service_endpoint(MapEnvironment{}, set, set.find("default"),
                                          AwsService::SsoOidc, "eu-west-1", "sso");
  EXPECT_EQ(e.url, "https://oidc.eu-west-1.amazonaws.com");
  EXPECT_FALSE(e.configured);
}

TEST(ServiceEndpoint, AUrlWithoutHttpSchemeNamesItsOriginAndHidesItsQuery) {
  const auto set = config(
      "[default]\nservices = local\n[services local]\nsso =\n"
      "  endpoint_url = ftp://127.0.0.1/?X-Amz-Security-Token=SECRET\n");
  const std::string message = error_of(MapEnvironment{}, set, AwsService::Sso, "us-east-1");
  EXPECT_THAT(message, HasSubstr("[services local] sso endpoint_url (/home/u/.aws/config:4)"));
  EXPECT_THAT(message, HasSubstr("must start with http:// or https://"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("SECRET")));
}

TEST(ServiceEndpoint, ARegionThatCannotBeAHostNameIsRefused) {
  const auto set = config("[default]\n");
  const std::string message =
      error_of(MapEnvironment{}, set, AwsService::Sso, "us-east-1.evil.example/");
  EXPECT_THAT(message, HasSubstr("is not a valid region name"));
}

TEST(ServiceEndpoint, AConfiguredUrlKeepsItsPathAndLosesTrailingSlashesAndSaysWhereItCameFrom) {
  MapEnvironment env;
  env.set("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:8080/prefix//");
  const auto set = config("[default]\n");
  const auto e =
      resolve_service_endpoint(env, set, set.find("default"), AwsService::Sso, "us-east-1", "sso");
  EXPECT_EQ(e.url, "http://127.0.0.1:8080/prefix");
  EXPECT_EQ(e.origin, "AWS_ENDPOINT_URL_SSO");
  EXPECT_TRUE(e.configured);
  EXPECT_EQ(e.signing_region, "us-east-1");
}

TEST(ServiceEndpoint, TheDefaultSaysWhichVariantItIs) {
  MapEnvironment env;
  env.set("AWS_USE_FIPS_ENDPOINT", "true");
  const auto set = config("[default]\nuse_dualstack_endpoint = true\n");
  const auto e = resolve_service_endpoint(env, set, set.find("default"), AwsService::Sts,
                                          "us-west-2", "assume-role");
  EXPECT_EQ(e.url, "https://sts-fips.us-west-2.api.aws");
  EXPECT_EQ(e.origin, "the default for us-west-2 (FIPS, dual-stack)");
}

TEST(StsEndpoint, TheProfileOnlyFormRefusesAProfileThatNamesAServicesSection) {
  const auto set = config("[default]\nregion = us-east-1\nservices = local\n");
  try {
    (void)resolve_sts_endpoint(MapEnvironment{}, set.find("default"), "assume-role");
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("[services]"));
  }
}

TEST(ProfileParser, ServicesSectionsAreKeptApartFromProfiles) {
  const auto set = config("[services local]\nsts =\n  endpoint_url = http://127.0.0.1:1\n");
  EXPECT_EQ(set.find("local"), nullptr);
  ASSERT_EQ(set.services.count("local"), 1U);
  EXPECT_EQ(set.services.at("local").find("sts")->value, "\nendpoint_url = http://127.0.0.1:1");
  const auto credentials = parse_profile_file("[services local]\nsts =\n  endpoint_url = x\n",
                                              "credentials", ProfileFileKind::Credentials);
  EXPECT_TRUE(credentials.services.empty());
}

}  // namespace
}  // namespace awsauth::providers
