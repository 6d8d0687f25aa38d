// awsauth: find AWS credentials, sign requests, call AWS over HTTP.

#include <exception>
#include <iostream>

#include "commands.hpp"
#include "quoting.hpp"

int main(int argc, char** argv) {
  try {
    return awsauth::cli::run_awsauth(awsauth::cli::Args(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    // Commands report their own errors; this is the last line of defence against a stack trace.
    std::cerr << "awsauth: " << awsauth::cli::message_line(e.what()) << "\n";
    return 1;
  }
}
