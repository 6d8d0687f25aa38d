#pragma once
// The awsauth subcommands. Each takes the arguments after its own name and returns the
// process exit code: 0 success, 1 runtime failure, 2 usage error (3: HTTP status >= 400, curl).

#include <string>
#include <vector>

namespace awsauth::cli {

using Args = std::vector<std::string>;

int run_sign(const Args& args);
int run_creds(const Args& args);
int run_curl(const Args& args);
int run_which(const Args& args);

}  // namespace awsauth::cli
