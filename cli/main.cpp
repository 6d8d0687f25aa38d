// awsauth: find AWS credentials, sign requests, call AWS over HTTP.

#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "awsauth/version.hpp"
#include "commands.hpp"
#include "quoting.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: awsauth <command> [options]\n"
    "\n"
    "commands:\n"
    "  sign    sign one request with SigV4 and print the result\n"
    "  creds   resolve credentials through the default chain and print them\n"
    "  curl    send a signed request and print the response\n"
    "  which   show where the credentials come from (provider, key id masked, expiry,\n"
    "          region, profile) and why each provider before it was passed over\n"
    "\n"
    "Run 'awsauth <command> --help' for a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string_view command = argv[1];
  const awsauth::cli::Args rest(argv + 2, argv + argc);
  try {
    if (command == "sign") {
      return awsauth::cli::run_sign(rest);
    }
    if (command == "creds") {
      return awsauth::cli::run_creds(rest);
    }
    if (command == "curl") {
      return awsauth::cli::run_curl(rest);
    }
    if (command == "which") {
      return awsauth::cli::run_which(rest);
    }
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return 0;
    }
    if (command == "--version") {
      std::cout << "awsauth " << awsauth::version() << "\n";
      return 0;
    }
    std::cerr << "awsauth: unknown command '" << awsauth::cli::message_line(command) << "'\n"
              << kUsage;
    return 2;
  } catch (const std::exception& e) {
    // Commands report their own errors; this is the last line of defence against a stack trace.
    std::cerr << "awsauth: " << awsauth::cli::message_line(e.what()) << "\n";
    return 1;
  }
}
