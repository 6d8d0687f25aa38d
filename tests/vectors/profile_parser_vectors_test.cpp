// The cross-SDK profile parser vectors:
// ../shared/testdata/aws-sdk-shared/profile-parser-tests.json. Every case runs through
// parse_profile_file + merge_profile_sets and must produce exactly the expected profiles (and
// sso-sessions), or an error containing the expected text.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "awsauth/providers/profile/profile_parser.hpp"
#include "paths.hpp"

namespace awsauth::providers {
namespace {

using Flat = std::map<std::string, std::map<std::string, std::string>>;

Poco::JSON::Array::Ptr load_vectors() {
  std::ifstream in(test::shared_dir() + "/testdata/aws-sdk-shared/profile-parser-tests.json");
  std::stringstream text;
  text << in.rdbuf();
  Poco::JSON::Parser parser;
  return parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>()->getArray("tests");
}

Flat flatten(const std::map<std::string, Profile, std::less<>>& profiles) {
  Flat out;
  for (const auto& [name, profile] : profiles) {
    auto& props = out[name];
    for (const auto& [key, value] : profile.properties) props[key] = value.value;
  }
  return out;
}

Flat expected(const Poco::JSON::Object::Ptr& profiles) {
  Flat out;
  if (!profiles) return out;
  for (const auto& name : profiles->getNames()) {
    auto& props = out[name];
    const auto profile = profiles->getObject(name);
    for (const auto& key : profile->getNames()) props[key] = profile->getValue<std::string>(key);
  }
  return out;
}

TEST(ProfileParserVectors, EverySharedCaseProducesTheExpectedProfilesOrError) {
  const auto tests = load_vectors();
  ASSERT_EQ(tests->size(), 65U) << "the shared vector file changed";
  for (std::size_t i = 0; i < tests->size(); ++i) {
    const auto test = tests->getObject(static_cast<unsigned>(i));
    const auto name = test->getValue<std::string>("name");
    SCOPED_TRACE(name);
    const auto input = test->getObject("input");
    const auto output = test->getObject("output");
    const std::string config_text =
        input->has("configFile") ? input->getValue<std::string>("configFile") : "";
    const std::string creds_text =
        input->has("credentialsFile") ? input->getValue<std::string>("credentialsFile") : "";
    if (output->has("errorContaining")) {
      const auto needle = output->getValue<std::string>("errorContaining");
      try {
        (void)parse_profile_file(config_text, "config", ProfileFileKind::Config);
        (void)parse_profile_file(creds_text, "credentials", ProfileFileKind::Credentials);
        ADD_FAILURE() << "expected an error containing: " << needle;
      } catch (const ProfileParseError& e) {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        EXPECT_GE(e.line(), 1);
      }
      continue;
    }
    const auto merged = merge_profile_sets(
        parse_profile_file(config_text, "config", ProfileFileKind::Config),
        parse_profile_file(creds_text, "credentials", ProfileFileKind::Credentials));
    const auto config = output->getObject("config");
    EXPECT_EQ(flatten(merged.profiles), expected(config->getObject("profiles")));
    if (config->has("sso_sessions")) {
      EXPECT_EQ(flatten(merged.sso_sessions), expected(config->getObject("sso_sessions")));
    }
  }
}

}  // namespace
}  // namespace awsauth::providers
