// PLACEHOLDER: 'awsauth curl' is being built (see the open issues).
#include <iostream>

#include "commands.hpp"

namespace awsauth::cli {
int run_curl(const Args& /*args*/) {
  std::cerr << "awsauth curl: not available yet\n";
  return 1;
}
}  // namespace awsauth::cli
