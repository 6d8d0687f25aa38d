// awsauth: find AWS credentials, sign requests, call AWS over HTTP.

#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <string>

#include "awsauth/log.hpp"
#include "commands.hpp"
#include "quoting.hpp"

namespace {

// AWSAUTH_LOG=debug|info|warning|error: the library's background messages (proactive refresh)
// on stderr, one line each. Unset: silent.
void install_log_sink_from_environment() {
  const char* value = std::getenv(awsauth::kLogLevelVariable);
  if (value == nullptr || *value == '\0') return;
  const auto level = awsauth::parse_log_level(value);
  if (!level) {
    std::cerr << "awsauth: AWSAUTH_LOG: unknown level '" << awsauth::cli::message_line(value)
              << "' (use debug, info, warning or error); logging stays off\n";
    return;
  }
  awsauth::set_log_sink(
      [](awsauth::LogLevel at, std::string_view message) {
        static std::mutex mutex;  // one whole line at a time from several threads
        const std::string line = "awsauth: " + std::string(awsauth::log_level_name(at)) + ": " +
                                 awsauth::cli::message_line(message) + "\n";
        std::lock_guard lock(mutex);
        std::cerr << line << std::flush;
      },
      *level);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    install_log_sink_from_environment();
    return awsauth::cli::run_awsauth(awsauth::cli::Args(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    // Commands report their own errors; this is the last line of defence against a stack trace.
    std::cerr << "awsauth: " << awsauth::cli::message_line(e.what()) << "\n";
    return 1;
  }
}
