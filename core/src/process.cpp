// PLACEHOLDER until the credential-core work lands the process runner (issue 3).
#include <stdexcept>

#include "awsauth/context.hpp"

namespace awsauth {
std::shared_ptr<ProcessRunner> make_system_process_runner() {
  throw std::logic_error("the process runner is not built yet");
}
}  // namespace awsauth
