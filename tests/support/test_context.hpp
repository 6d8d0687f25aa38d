#pragma once
/// @file test_context.hpp
/// Contexts for tests: variables and files in memory (never the real HOME or environment), the
/// real clock and a fixed jitter draw. Tests replace any seam they double.

#include <map>
#include <memory>
#include <string>

#include "awsauth/context.hpp"

namespace awsauth::test {

/// The in-memory environment and files, SystemClock and FixedRandom(`jitter`); no HTTP,
/// process runner or resolver.
[[nodiscard]] Context in_memory_context(std::shared_ptr<const Environment> env,
                                        std::shared_ptr<const FileSystem> files,
                                        double jitter = 0.5);

/// in_memory_context() plus the real Poco HTTP client, process runner and system resolver: for
/// tests against peers on 127.0.0.1 (point every endpoint at loopback).
[[nodiscard]] Context loopback_context(std::shared_ptr<const Environment> env,
                                       std::shared_ptr<const FileSystem> files,
                                       double jitter = 0.5);

/// A Context for provider unit tests: HOME is /home/test with its files in memory, the real
/// process runner (credential_process tests run real programs), no HTTP. Instance metadata is
/// switched off, so no default chain built here can reach for 169.254.169.254.
struct TestContext {
  std::shared_ptr<MapEnvironment> env =
      std::make_shared<MapEnvironment>(std::map<std::string, std::string, std::less<>>{
          {"HOME", "/home/test"}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  std::shared_ptr<MapFileSystem> files = std::make_shared<MapFileSystem>();

  void config(std::string text) { files->put("/home/test/.aws/config", std::move(text)); }
  void credentials(std::string text) { files->put("/home/test/.aws/credentials", std::move(text)); }

  [[nodiscard]] Context context() const {
    Context c = in_memory_context(env, files);
    c.processes = make_system_process_runner();
    return c;
  }
};

}  // namespace awsauth::test
