// PLACEHOLDER: 'awsauth sign' is being built (see the open issues).
#include <iostream>

#include "commands.hpp"

namespace awsauth::cli {
int run_sign(const Args& /*args*/) {
  std::cerr << "awsauth sign: not available yet\n";
  return 1;
}
}  // namespace awsauth::cli
