// PLACEHOLDER: 'awsauth creds' is being built (see the open issues).
#include <iostream>

#include "commands.hpp"

namespace awsauth::cli {
int run_creds(const Args& /*args*/) {
  std::cerr << "awsauth creds: not available yet\n";
  return 1;
}
}  // namespace awsauth::cli
