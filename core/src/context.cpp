#include "awsauth/context.hpp"

namespace awsauth {

Context Context::system() {
  return Context{
      .environment = std::make_shared<SystemEnvironment>(),
      .files = std::make_shared<RealFileSystem>(),
      .clock = std::make_shared<SystemClock>(),
      .random = std::make_shared<SystemRandom>(),
      .http = make_poco_http_client(),
      .processes = make_system_process_runner(),
      .resolver = make_system_resolver(),
  };
}

}  // namespace awsauth
