// Contexts for tests; see test_context.hpp.
#include "test_context.hpp"

namespace awsauth::test {

Context in_memory_context(std::shared_ptr<const Environment> env,
                          std::shared_ptr<const FileSystem> files, double jitter) {
  Context c;
  c.environment = std::move(env);
  c.files = std::move(files);
  c.clock = std::make_shared<SystemClock>();
  c.random = std::make_shared<FixedRandom>(jitter);
  return c;
}

Context loopback_context(std::shared_ptr<const Environment> env,
                         std::shared_ptr<const FileSystem> files, double jitter) {
  Context c = in_memory_context(std::move(env), std::move(files), jitter);
  c.http = make_poco_http_client();
  c.processes = make_system_process_runner();
  c.resolver = make_system_resolver();
  return c;
}

}  // namespace awsauth::test
