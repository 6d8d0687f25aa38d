// Every case of the cross-SDK ecs-tests.json: which URL the container provider uses, from the
// environment alone. Configuration only: nothing is sent; a fixed resolver answers for
// `localhost` so that the plain-http address check runs as it would for real.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "awsauth/errors.hpp"
#include "metadata/container_config.hpp"
#include "paths.hpp"

namespace awsauth::providers {
namespace {

class LocalhostOnlyResolver final : public Resolver {
 public:
  std::vector<std::string> resolve(const std::string& host) override {
    if (host == "localhost") return {"127.0.0.1", "::1"};
    throw HttpError(HttpErrorKind::ConnectFailed, host, "not in the test's resolver");
  }
};

TEST(EcsVectors, EveryCaseResolvesToTheExpectedUriOrError) {
  std::ifstream in(test::shared_dir() + "/testdata/aws-sdk-shared/ecs-tests.json");
  ASSERT_TRUE(in.good()) << "cannot open ecs-tests.json";
  std::stringstream text;
  text << in.rdbuf();
  Poco::JSON::Parser parser;
  const auto cases = parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>()->getArray("tests");
  ASSERT_EQ(cases->size(), 11u);
  LocalhostOnlyResolver resolver;
  for (std::size_t i = 0; i < cases->size(); ++i) {
    const auto c = cases->getObject(static_cast<unsigned>(i));
    SCOPED_TRACE(c->getValue<std::string>("docs"));
    MapEnvironment env;
    const auto env_json = c->getObject("env");
    for (const auto& name : env_json->getNames())
      env.set(name, env_json->getValue<std::string>(name));

    const auto result = c->getObject("result");
    if (result->has("Ok")) {
      const auto endpoint = resolve_container_endpoint(env);
      EXPECT_EQ(endpoint.url, result->getValue<std::string>("Ok"));
      const auto address = checked_container_address(endpoint, resolver);
      EXPECT_EQ(address.has_value(), endpoint.scheme == "http");
    } else {
      const std::string expected = result->getValue<std::string>("ErrorContains");
      try {
        (void)resolve_container_endpoint(env);
        ADD_FAILURE() << "expected an error containing: " << expected;
      } catch (const CredentialsError& e) {
        EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace awsauth::providers
