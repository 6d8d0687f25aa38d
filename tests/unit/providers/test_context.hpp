#pragma once
// A Context for provider tests: variables and files in memory (no real HOME), the real
// process runner (credential_process tests run real programs), no HTTP. Instance metadata is
// switched off, so no default chain built here can reach for 169.254.169.254.

#include <map>
#include <memory>
#include <string>

#include "awsauth/context.hpp"

namespace awsauth::test {

struct TestContext {
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>(
      std::map<std::string, std::string, std::less<>>{{"HOME", "/home/test"},
                                                      {"AWS_EC2_METADATA_DISABLED", "true"}});
  std::shared_ptr<MapFileSystem> files = std::make_shared<MapFileSystem>();

  void config(std::string text) { files->put("/home/test/.aws/config", std::move(text)); }
  void credentials(std::string text) { files->put("/home/test/.aws/credentials", std::move(text)); }

  [[nodiscard]] Context context() const {
    Context c;
    c.environment = env;
    c.files = files;
    c.clock = std::make_shared<SystemClock>();
    c.random = std::make_shared<FixedRandom>(0.5);
    c.processes = make_system_process_runner();
    return c;
  }
};

}  // namespace awsauth::test
