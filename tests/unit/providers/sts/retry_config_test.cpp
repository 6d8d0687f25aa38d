#include "awsauth/providers/sts/retry_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

#include "awsauth/errors.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;

using Vars = std::map<std::string, std::string, std::less<>>;

Profile profile_of(std::map<std::string, std::string> keys, std::string name = "dev") {
  Profile p;
  p.name = std::move(name);
  int line = 1;
  for (auto& [k, v] : keys) p.properties[k] = ProfileValue{v, "/home/test/.aws/config", ++line};
  return p;
}

std::string invalid_message(const Vars& vars, const Profile* profile = nullptr) {
  try {
    (void)resolve_retry_config(MapEnvironment(vars), profile, {}, "assume-role");
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
    EXPECT_EQ(e.provider(), "assume-role");
    return e.what();
  }
  ADD_FAILURE() << "expected InvalidConfiguration";
  return {};
}

// Each row was checked against botocore 1.43 (`create_client('sts').meta.config.retries` with
// the same variables and config file).
struct Case {
  const char* what;
  Vars env;
  std::map<std::string, std::string> profile;
  RetryConfig expected;
};

TEST(RetryConfig, EnvironmentAndProfileResolveEachKeyOnItsOwnEnvironmentFirst) {
  const Case cases[] = {
      {"nothing set: botocore 1.43's legacy with _retry.json's 5", {}, {}, {RetryMode::Legacy, 5}},
      {"standard defaults to 3", {{"AWS_RETRY_MODE", "standard"}}, {}, {RetryMode::Standard, 3}},
      {"adaptive is standard", {{"AWS_RETRY_MODE", "adaptive"}}, {}, {RetryMode::Standard, 3}},
      {"legacy explicitly", {{"AWS_RETRY_MODE", "legacy"}}, {}, {RetryMode::Legacy, 5}},
      {"attempts alone keep the default mode",
       {{"AWS_MAX_ATTEMPTS", "4"}},
       {},
       {RetryMode::Legacy, 4}},
      {"both from the profile",
       {},
       {{"retry_mode", "standard"}, {"max_attempts", "7"}},
       {RetryMode::Standard, 7}},
      {"env attempts win, profile mode stays",
       {{"AWS_MAX_ATTEMPTS", "2"}},
       {{"retry_mode", "standard"}, {"max_attempts", "7"}},
       {RetryMode::Standard, 2}},
      {"env mode wins, profile attempts stay",
       {{"AWS_RETRY_MODE", "legacy"}},
       {{"retry_mode", "standard"}, {"max_attempts", "7"}},
       {RetryMode::Legacy, 7}},
      {"profile mode sets the default attempts",
       {},
       {{"retry_mode", "adaptive"}},
       {RetryMode::Standard, 3}},
      {"one attempt is allowed", {{"AWS_MAX_ATTEMPTS", "1"}}, {}, {RetryMode::Legacy, 1}},
      {"int() accepts spaces and a plus",
       {{"AWS_MAX_ATTEMPTS", " +4 "}},
       {},
       {RetryMode::Legacy, 4}},
      {"other variables are not read",
       {{"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "9"}},
       {},
       {RetryMode::Legacy, 5}},
  };
  for (const auto& c : cases) {
    const Profile profile = profile_of(c.profile);
    const auto resolved = resolve_retry_config(MapEnvironment(c.env), &profile);
    EXPECT_EQ(resolved.mode, c.expected.mode) << c.what;
    EXPECT_EQ(resolved.max_attempts, c.expected.max_attempts) << c.what;
  }
}

TEST(RetryConfig, NoProfileIsTheSameAsAnEmptyOne) {
  EXPECT_EQ(resolve_retry_config(MapEnvironment{}, nullptr), (RetryConfig{RetryMode::Legacy, 5}));
  EXPECT_EQ(resolve_retry_config(MapEnvironment(Vars{{"AWS_RETRY_MODE", "standard"}}), nullptr),
            (RetryConfig{RetryMode::Standard, 3}));
}

TEST(RetryConfig, SettingsGivenInCodeWinAndTheirKeyIsNotReadFromEnvironmentOrProfile) {
  const Profile profile = profile_of({{"retry_mode", "legacy"}, {"max_attempts", "x"}});
  // botocore's Config(retries=...) skips the config store for the keys it sets, so even an
  // invalid value there is never looked at.
  const auto both = resolve_retry_config(
      MapEnvironment(Vars{{"AWS_RETRY_MODE", "bogus"}, {"AWS_MAX_ATTEMPTS", "0"}}), &profile,
      {.mode = RetryMode::Standard, .max_attempts = 6});
  EXPECT_EQ(both, (RetryConfig{RetryMode::Standard, 6}));
  // A mode given in code sets the default attempts when none is configured.
  EXPECT_EQ(resolve_retry_config(MapEnvironment{}, nullptr, {.mode = RetryMode::Standard}),
            (RetryConfig{RetryMode::Standard, 3}));
  // Attempts given in code keep the configured mode.
  EXPECT_EQ(resolve_retry_config(MapEnvironment(Vars{{"AWS_RETRY_MODE", "standard"}}), nullptr,
                                 {.max_attempts = 9}),
            (RetryConfig{RetryMode::Standard, 9}));
  // As StsClientSettings always did, a count below 1 from code means one attempt.
  EXPECT_EQ(resolve_retry_config(MapEnvironment{}, nullptr, {.max_attempts = 0}).max_attempts, 1);
}

TEST(RetryConfig, ModeNamesAndDefaults) {
  EXPECT_EQ(to_string(RetryMode::Standard), "standard");
  EXPECT_EQ(to_string(RetryMode::Legacy), "legacy");
  EXPECT_EQ(default_max_attempts(RetryMode::Standard), 3);
  EXPECT_EQ(default_max_attempts(RetryMode::Legacy), 5);
  EXPECT_EQ(default_retry_mode, RetryMode::Legacy);
}

TEST(RetryConfig, InvalidAttemptCountsNameTheVariableAndTheValue) {
  for (const std::string value : {"abc", "0", "-1", "", "4.0", "3 attempts", "99999999999"}) {
    const auto m = invalid_message({{"AWS_MAX_ATTEMPTS", value}});
    EXPECT_THAT(m, HasSubstr("AWS_MAX_ATTEMPTS")) << value;
    EXPECT_THAT(m, HasSubstr("`" + value + "`")) << value;
  }
  EXPECT_THAT(invalid_message({{"AWS_MAX_ATTEMPTS", "0"}}), HasSubstr("at least 1"));
  EXPECT_THAT(invalid_message({{"AWS_MAX_ATTEMPTS", "-3"}}), HasSubstr("at least 1"));
  EXPECT_THAT(invalid_message({{"AWS_MAX_ATTEMPTS", "many"}}), HasSubstr("not a whole number"));
}

TEST(RetryConfig, InvalidAttemptCountInTheProfileNamesFileLineAndProfile) {
  const Profile profile = profile_of({{"max_attempts", "lots"}}, "dev");
  const auto m = invalid_message({}, &profile);
  EXPECT_THAT(m, HasSubstr("max_attempts in /home/test/.aws/config:2"));
  EXPECT_THAT(m, HasSubstr("profile `dev`"));
  EXPECT_THAT(m, HasSubstr("`lots`"));
}

TEST(RetryConfig, UnknownModeListsTheValidOnesAndCaseMatters) {
  for (const std::string value : {"bogus", "Standard", "LEGACY", ""}) {
    const auto m = invalid_message({{"AWS_RETRY_MODE", value}});
    EXPECT_THAT(m, HasSubstr("`" + value + "`")) << value;
    EXPECT_THAT(m, HasSubstr("AWS_RETRY_MODE")) << value;
    EXPECT_THAT(m, HasSubstr("legacy, standard, adaptive")) << value;
  }
  const Profile profile = profile_of({{"retry_mode", "fast"}}, "ci");
  const auto m = invalid_message({}, &profile);
  EXPECT_THAT(m, HasSubstr("retry_mode in /home/test/.aws/config:2 (profile `ci`)"));
}

TEST(RetryConfig, AValidEnvironmentValueHidesAnInvalidProfileValue) {
  // botocore stops at the first provider in the chain that has the key.
  const Profile profile = profile_of({{"retry_mode", "fast"}, {"max_attempts", "x"}});
  EXPECT_EQ(resolve_retry_config(
                MapEnvironment(Vars{{"AWS_RETRY_MODE", "standard"}, {"AWS_MAX_ATTEMPTS", "2"}}),
                &profile),
            (RetryConfig{RetryMode::Standard, 2}));
}

}  // namespace
}  // namespace awsauth::providers
