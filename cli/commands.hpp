#pragma once
// The awsauth commands. Each takes the arguments after its own name and returns the process
// exit code: 0 success, 1 runtime failure, 2 usage error (3: HTTP status >= 400, curl).
// A command is one row of commands() (cli/top_level.cpp): its CommandSpec (options, help) and
// its run function.

#include <string>
#include <vector>

namespace awsauth::cli {

using Args = std::vector<std::string>;

struct CommandSpec;

/// One row of the command table: `awsauth NAME ...` runs `run` with the arguments after NAME.
struct Command {
  const CommandSpec& (*spec)();
  int (*run)(const Args& args);
};

/// Every command, in the order the top-level help lists them.
[[nodiscard]] const std::vector<Command>& commands();

/// `awsauth` itself: its options (--help, --version) and help.
[[nodiscard]] const CommandSpec& top_level_spec();

/// `awsauth ARGS...` (the arguments after the program name): dispatches to a command, or
/// handles help, --version and usage errors.
int run_awsauth(const Args& args);

const CommandSpec& sign_spec();
int run_sign(const Args& args);
const CommandSpec& creds_spec();
int run_creds(const Args& args);
const CommandSpec& curl_spec();
int run_curl(const Args& args);
const CommandSpec& which_spec();
int run_which(const Args& args);
const CommandSpec& sso_spec();
int run_sso(const Args& args);
const CommandSpec& serve_spec();
int run_serve(const Args& args);
const CommandSpec& explain_spec();
int run_explain(const Args& args);

}  // namespace awsauth::cli
