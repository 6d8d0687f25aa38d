// Every case of the cross-SDK imds-endpoint-tests.json: which token URL the instance metadata
// provider would use, from the environment, the config file and explicit settings. Resolution
// only: nothing is sent.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "awsauth/errors.hpp"
#include "awsauth/providers/metadata/instance_metadata_config.hpp"
#include "awsauth/providers/profile/profile_files.hpp"
#include "paths.hpp"

namespace awsauth::providers {
namespace {

Poco::JSON::Array::Ptr load_cases() {
  std::ifstream in(test::shared_dir() + "/testdata/aws-sdk-shared/imds-endpoint-tests.json");
  EXPECT_TRUE(in.good()) << "cannot open imds-endpoint-tests.json";
  std::stringstream text;
  text << in.rdbuf();
  Poco::JSON::Parser parser;
  return parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>()->getArray("tests");
}

std::optional<std::string> optional_string(const Poco::JSON::Object& o, const std::string& key) {
  if (!o.has(key)) return std::nullopt;
  return o.getValue<std::string>(key);
}

TEST(ImdsEndpointVectors, EveryCaseResolvesToTheExpectedTokenUrlOrError) {
  const auto cases = load_cases();
  ASSERT_EQ(cases->size(), 14u);
  for (std::size_t i = 0; i < cases->size(); ++i) {
    const auto c = cases->getObject(static_cast<unsigned>(i));
    const std::string docs = c->getValue<std::string>("docs");
    SCOPED_TRACE(docs);

    auto env = std::make_shared<MapEnvironment>();
    env->set("HOME", "/nonexistent-home");
    const auto env_json = c->getObject("env");
    for (const auto& name : env_json->getNames())
      env->set(name, env_json->getValue<std::string>(name));
    auto files = std::make_shared<MapFileSystem>();
    const auto fs_json = c->getObject("fs");
    for (const auto& name : fs_json->getNames())
      files->put(name, fs_json->getValue<std::string>(name));

    Context context;
    context.environment = env;
    context.files = files;
    // The keys come from the selected profile of the config file, read by the real parser.
    const ProfileFiles profile_files = read_profile_files(context);
    const auto selection = select_profile(*env, std::nullopt);
    const auto settings =
        InstanceMetadataProfileSettings::from_profile(profile_files.config.find(selection.name));
    const InstanceMetadataOverrides overrides{
        .endpoint = optional_string(*c, "endpoint_override"),
        .endpoint_mode = optional_string(*c, "mode_override")};

    const auto result = c->getObject("result");
    if (result->has("Ok")) {
      const auto config = resolve_instance_metadata_config(*env, settings, overrides);
      EXPECT_EQ(config.token_url(), result->getValue<std::string>("Ok"));
    } else {
      const std::string expected = result->getValue<std::string>("Err");
      try {
        (void)resolve_instance_metadata_config(*env, settings, overrides);
        ADD_FAILURE() << "expected an error containing: " << expected;
      } catch (const CredentialsError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
        EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace awsauth::providers
