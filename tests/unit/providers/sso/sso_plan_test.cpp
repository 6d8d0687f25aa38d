// The pure SSO part of the plan: plan_sso_source(), sso_role_source() and which profiles the
// default chain's SSO step takes, with botocore SSOProvider._load_sso_config's rules.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "awsauth/errors.hpp"
#include "awsauth/providers/detail/profile_plan.hpp"

namespace awsauth::providers {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

Profile section(const std::string& name, std::map<std::string, std::string> props, int first_line) {
  Profile p;
  p.name = name;
  int line = first_line;
  for (const auto& [k, v] : props) p.properties[k] = ProfileValue{v, "/home/u/.aws/config", line++};
  return p;
}

ProfileSet set_with(std::map<std::string, std::string> profile,
                    std::map<std::string, std::string> session = {}) {
  ProfileSet set;
  set.profiles["dev"] = section("dev", std::move(profile), 2);
  if (!session.empty()) set.sso_sessions["corp"] = section("corp", std::move(session), 20);
  return set;
}

std::string plan_error(const ProfileSet& set) {
  try {
    (void)plan_sso_source(set, "dev");
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
    EXPECT_EQ(e.provider(), "sso");
    return e.what();
  }
  return "no error";
}

TEST(SsoPlan, ASessionProfileTakesTheSessionsStartUrlAndRegion) {
  const auto source = plan_sso_source(
      set_with({{"sso_session", "corp"}, {"sso_account_id", "1"}, {"sso_role_name", "R"}},
               {{"sso_start_url", "https://corp.awsapps.com/start"}, {"sso_region", "eu-west-1"}}),
      "dev");
  ASSERT_TRUE(source);
  EXPECT_EQ(source->sso_session, "corp");
  EXPECT_EQ(source->sso_start_url, "https://corp.awsapps.com/start");
  EXPECT_EQ(source->sso_region, "eu-west-1");
  const SsoRoleSource role = sso_role_source(*source);
  EXPECT_EQ(role.account_id, "1");
  EXPECT_EQ(role.role_name, "R");
  EXPECT_EQ(role.region, "eu-west-1");
}

TEST(SsoPlan, ValuesInBothProfileAndSessionMustAgreeAndTheMessageNamesBoth) {
  const std::map<std::string, std::string> session = {
      {"sso_start_url", "https://corp.awsapps.com/start"}, {"sso_region", "eu-west-1"}};
  EXPECT_THAT(plan_error(set_with({{"sso_session", "corp"},
                                   {"sso_start_url", "https://other.awsapps.com/start"},
                                   {"sso_account_id", "1"},
                                   {"sso_role_name", "R"}},
                                  session)),
              AllOf(HasSubstr("the value for sso_start_url is inconsistent between profile `dev` "
                              "(https://other.awsapps.com/start (/home/u/.aws/config:5))"),
                    HasSubstr("and sso-session `corp` (https://corp.awsapps.com/start "
                              "(/home/u/.aws/config:21))")));
  EXPECT_THAT(plan_error(set_with({{"sso_session", "corp"},
                                   {"sso_region", "us-east-1"},
                                   {"sso_account_id", "1"},
                                   {"sso_role_name", "R"}},
                                  session)),
              HasSubstr("sso_region is inconsistent between profile `dev` (us-east-1"));
  // The same value in both is what botocore accepts.
  EXPECT_EQ(plan_error(set_with({{"sso_session", "corp"},
                                 {"sso_region", "eu-west-1"},
                                 {"sso_start_url", "https://corp.awsapps.com/start"},
                                 {"sso_account_id", "1"},
                                 {"sso_role_name", "R"}},
                                session)),
            "no error");
}

TEST(SsoPlan, AMissingSessionAndAHalfWrittenRoleAreErrorsNamingWhere) {
  EXPECT_THAT(plan_error(set_with({{"sso_session", "nope"}})),
              HasSubstr("sso-session named `nope` (referenced by profile `dev`) was not found "
                        "(/home/u/.aws/config:2)"));
  EXPECT_THAT(plan_error(set_with({{"sso_start_url", "u"}, {"sso_role_name", "R"}})),
              HasSubstr("if `sso_role_name` is set, then `sso_account_id` must also be set"));
}

TEST(SsoPlan, RunningNeedsEveryKeyAndNamesAllThatAreMissingInBotocoresOrder) {
  const auto source = plan_sso_source(set_with({{"sso_start_url", "https://s"}}), "dev");
  ASSERT_TRUE(source);
  try {
    (void)sso_role_source(*source);
    ADD_FAILURE();
  } catch (const CredentialsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the profile `dev` is configured to use SSO but is missing "
                                    "required configuration: sso_role_name, sso_account_id, "
                                    "sso_region"));
  }
}

TEST(SsoPlan, OnlyAnAccountOrARoleMakesItAnSsoCredentialProfile) {
  const auto with = [](std::map<std::string, std::string> props) {
    return section("dev", std::move(props), 1);
  };
  EXPECT_FALSE(profile_uses_sso_credentials(nullptr));
  const Profile token_only =
      with({{"sso_session", "corp"}, {"sso_start_url", "u"}, {"sso_region", "r"}});
  EXPECT_FALSE(profile_uses_sso_credentials(&token_only));
  const Profile account = with({{"sso_account_id", "1"}});
  const Profile role = with({{"sso_role_name", "R"}});
  EXPECT_TRUE(profile_uses_sso_credentials(&account));
  EXPECT_TRUE(profile_uses_sso_credentials(&role));
  EXPECT_EQ(plan_sso_source(set_with({{"region", "us-east-1"}}), "dev"), std::nullopt);
  EXPECT_EQ(plan_sso_source(set_with({}), "absent"), std::nullopt);
}

}  // namespace
}  // namespace awsauth::providers
