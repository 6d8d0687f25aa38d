#pragma once
/// @file cli_run.hpp
/// Runs the built `awsauth` CLI with exact arguments (no shell: a CR or an ESC in an argument
/// arrives as is) in an environment of only the given variables, with a deadline.

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace awsauth::test {

struct CliResult {
  int exit_code = -1;  ///< -1 when killed (deadline) or not exited normally
  bool timed_out = false;
  std::string out;
  std::string err;
};

/// `awsauth <args...>` with `env` as its whole environment, plus PATH (this process's) and
/// AWS_EC2_METADATA_DISABLED=true unless `env` sets them; killed after `deadline`. Every test
/// that runs the built CLI goes through this one function.
[[nodiscard]] CliResult run_cli(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env,
                                std::chrono::milliseconds deadline = std::chrono::seconds(30));

/// The same for any built program (the docs/examples binaries): `program <args...>` with `env`
/// as its whole environment, plus PATH and AWS_EC2_METADATA_DISABLED=true unless set.
[[nodiscard]] CliResult run_program(const std::string& program,
                                    const std::vector<std::string>& args,
                                    const std::map<std::string, std::string>& env,
                                    std::chrono::milliseconds deadline = std::chrono::seconds(30));

}  // namespace awsauth::test
