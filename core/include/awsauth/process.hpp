#pragma once
/// @file process.hpp
/// Child-process seam (used by credential_process).

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "awsauth/export.hpp"

namespace awsauth {

/// What to run. The program is run directly from argv (no shell).
struct AWSAUTH_API ProcessRequest {
  std::vector<std::string> argv;
  /// Extra variables added to (or replacing in) the child's environment.
  std::vector<std::pair<std::string, std::string>> extra_env;
  /// The child is killed when it runs longer than this.
  std::chrono::milliseconds timeout{60'000};
  /// At most this many bytes of stdout are kept; past it the child is killed.
  std::size_t max_stdout_bytes = 1 << 20;
  /// When true the child's stderr goes straight to ours (so prompts reach the user) and is
  /// also kept (up to max_stderr_bytes) for error messages.
  bool pass_through_stderr = true;
  std::size_t max_stderr_bytes = 64 << 10;
};

/// What happened.
struct AWSAUTH_API ProcessResult {
  int exit_code = -1;             ///< exit status; -1 when killed or not started
  int term_signal = 0;            ///< signal that ended the child, 0 if none
  bool timed_out = false;         ///< killed because of the timeout
  bool stdout_truncated = false;  ///< killed because stdout passed max_stdout_bytes
  std::string stdout_data;
  std::string stderr_data;
};

/// Runs child processes.
class AWSAUTH_API ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  /// Runs the request to completion (or timeout). Throws std::system_error when the program
  /// cannot be started (not found, not executable).
  [[nodiscard]] virtual ProcessResult run(const ProcessRequest& request) = 0;
};

}  // namespace awsauth
