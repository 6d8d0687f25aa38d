#include "awsauth/providers/detail/profile_plan.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "awsauth/errors.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;

ProfileSet profiles(
    std::initializer_list<std::pair<std::string, std::map<std::string, std::string>>> spec) {
  ProfileSet set;
  int line = 1;
  for (const auto& [name, props] : spec) {
    Profile p;
    p.name = name;
    for (const auto& [k, v] : props)
      p.properties[k] = ProfileValue{v, "/home/u/.aws/config", line++};
    set.profiles[name] = p;
  }
  return set;
}

std::string error_of(const ProfileSet& set, const std::string& selected,
                     ErrorKind* kind = nullptr) {
  try {
    (void)plan_profile(set, selected);
  } catch (const CredentialsError& e) {
    if (kind) *kind = e.kind();
    return e.what();
  }
  return "no error";
}

TEST(ProfilePlan, HopsCarryEveryAssumeRoleSettingInCallOrder) {
  auto set =
      profiles({{"app",
                 {{"role_arn", "arn:aws:iam::1:role/App"},
                  {"source_profile", "mid"},
                  {"external_id", "ext"},
                  {"role_session_name", "s"},
                  {"duration_seconds", "900"},
                  {"mfa_serial", "arn:aws:iam::1:mfa/u"}}},
                {"mid", {{"role_arn", "arn:aws:iam::1:role/Mid"}, {"source_profile", "base"}}},
                {"base", {{"aws_access_key_id", "AKID"}, {"aws_secret_access_key", "S"}}}});
  auto plan = plan_profile(set, "app");
  ASSERT_EQ(plan.hops.size(), 2u);
  EXPECT_EQ(plan.hops[0].role_arn, "arn:aws:iam::1:role/Mid");
  EXPECT_EQ(plan.hops[1].role_arn, "arn:aws:iam::1:role/App");
  EXPECT_EQ(plan.hops[1].external_id, "ext");
  EXPECT_EQ(plan.hops[1].duration_seconds, 900);
  EXPECT_EQ(plan.hops[1].mfa_serial, "arn:aws:iam::1:mfa/u");
  EXPECT_EQ(std::get<StaticKeysSource>(plan.base).profile, "base");
}

TEST(ProfilePlan, CycleErrorNamesEveryProfileInTheLoop) {
  auto set = profiles({{"a", {{"role_arn", "r"}, {"source_profile", "b"}}},
                       {"b", {{"role_arn", "r"}, {"source_profile", "c"}}},
                       {"c", {{"role_arn", "r"}, {"source_profile", "a"}}}});
  ErrorKind kind{};
  EXPECT_THAT(error_of(set, "a", &kind), HasSubstr("a -> b -> c -> a"));
  EXPECT_EQ(kind, ErrorKind::InvalidConfiguration);
}

TEST(ProfilePlan, SelfReferenceWithoutStaticKeysIsALoop) {
  auto set = profiles({{"a", {{"role_arn", "r"}, {"source_profile", "a"}}}});
  EXPECT_THAT(error_of(set, "a"), HasSubstr("infinite loop: a -> a"));
}

TEST(ProfilePlan, CredentialSourceIsCaseInsensitive) {
  auto set = profiles({{"a", {{"role_arn", "r"}, {"credential_source", "ecscontainer"}}}});
  auto plan = plan_profile(set, "a");
  EXPECT_EQ(std::get<NamedSource>(plan.base).kind, NamedSource::Kind::EcsContainer);
}

TEST(ProfilePlan, UnknownCredentialSourceNamesFileAndLine) {
  auto set = profiles({{"a", {{"credential_source", "Vault"}, {"role_arn", "r"}}}});
  EXPECT_THAT(error_of(set, "a"), HasSubstr("credential_source = Vault (/home/u/.aws/config:1)"));
}

TEST(ProfilePlan, NonNumericDurationIsAConfigurationErrorWithLocation) {
  auto set = profiles(
      {{"a",
        {{"credential_source", "Environment"}, {"duration_seconds", "1h"}, {"role_arn", "r"}}}});
  EXPECT_THAT(error_of(set, "a"), HasSubstr("duration_seconds = 1h (/home/u/.aws/config:2)"));
}

TEST(ProfilePlan, ProfileWithoutCredentialSettingsIsNotConfigured) {
  auto set = profiles({{"a", {{"region", "us-east-1"}}}});
  ErrorKind kind{};
  (void)error_of(set, "a", &kind);
  EXPECT_EQ(kind, ErrorKind::NotConfigured);
  EXPECT_FALSE(profile_uses_role(set, "a"));
}

TEST(ProfilePlan, CredentialProcessInSourceProfileIsTheBase) {
  auto set = profiles({{"a", {{"role_arn", "r"}, {"source_profile", "p"}}},
                       {"p", {{"credential_process", "/bin/creds --json"}}}});
  auto plan = plan_profile(set, "a");
  EXPECT_EQ(std::get<CredentialProcessSource>(plan.base).command, "/bin/creds --json");
  EXPECT_TRUE(profile_uses_role(set, "a"));
}

TEST(ProfilePlan, ErrorMessagesNeverContainTheSecret) {
  auto set = profiles({{"a", {{"role_arn", "r"}, {"source_profile", "b"}}},
                       {"b", {{"aws_secret_access_key", "TOPSECRETVALUE"}}}});
  EXPECT_THAT(error_of(set, "a"), ::testing::Not(HasSubstr("TOPSECRETVALUE")));
}

// botocore resolves a source profile through its profile providers: web identity, SSO, the
// credentials file's keys, login_session, credential_process, the config file's keys.
TEST(ProfilePlan, ALoginSessionSourceProfileIsALoginBase) {
  const auto set = profiles(
      {{"role", {{"role_arn", "arn:aws:iam::1:role/r"}, {"source_profile", "console"}}},
       {"console",
        {{"login_session", "arn:aws:iam::1:user/u"}, {"credential_process", "never-run"}}}});
  const ProfilePlan plan = plan_profile(set, "role");
  const auto* login = std::get_if<LoginSource>(&plan.base);
  ASSERT_NE(login, nullptr);
  EXPECT_EQ(login->profile, "console");
  EXPECT_EQ(login->login_session, "arn:aws:iam::1:user/u");
  ASSERT_EQ(plan.hops.size(), 1u);
}

TEST(ProfilePlan, StaticKeysComeBeforeALoginSessionAndARoleBeforeBoth) {
  // Keys (the plan's StaticKeysSource; sts_profile reads the two files in botocore's order).
  auto set = profiles(
      {{"role", {{"role_arn", "arn:aws:iam::1:role/r"}, {"source_profile", "console"}}},
       {"console",
        {{"login_session", "s"}, {"aws_access_key_id", "AKID"}, {"aws_secret_access_key", "x"}}}});
  const ProfilePlan keys = plan_profile(set, "role");
  EXPECT_NE(std::get_if<StaticKeysSource>(&keys.base), nullptr);
  // A source profile with its own role_arn is a hop, whatever else it holds.
  set = profiles({{"role", {{"role_arn", "arn:aws:iam::1:role/r"}, {"source_profile", "mid"}}},
                  {"mid",
                   {{"login_session", "s"},
                    {"role_arn", "arn:aws:iam::1:role/m"},
                    {"source_profile", "console"}}},
                  {"console", {{"login_session", "s2"}}}});
  const ProfilePlan plan = plan_profile(set, "role");
  EXPECT_EQ(plan.hops.size(), 2u);
  ASSERT_NE(std::get_if<LoginSource>(&plan.base), nullptr);
  EXPECT_EQ(std::get<LoginSource>(plan.base).login_session, "s2");
}

}  // namespace
}  // namespace awsauth::providers
