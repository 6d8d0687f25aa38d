// awsauth, the executable: the front of the command.
//
// `awsauth creds` answered by the environment keys is the hot path: it runs once per AWS CLI or
// SDK call when awsauth is a credential_process. The front answers it in a program that loads
// only libc (awsauth's libraries and libstdc++ linked in statically) and opens no file
// but the two shared files the default chain checks. Every other run (the other commands,
// --help, credentials from anywhere else, every error) is the full command's, awsauth-full
// (cli/main.cpp), which the front execs with the same arguments: it answers as it always has.
// docs/performance.md has the figures, docs/integration.md the installed layout.

#include <signal.h>

#include <exception>
#include <iostream>

#include "creds_from_environment.hpp"
#include "full_command.hpp"
#include "quoting.hpp"

int main(int argc, char** argv) {
  // The full command runs with SIGPIPE blocked: Poco's Foundation blocks it when it is loaded.
  // So `awsauth creds` writing into a closed pipe gets EPIPE and exits 1 instead of dying of
  // the signal; the front does the same (awsauth-full, exec'd, would block it itself).
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  try {
    const awsauth::cli::Args args(argv + 1, argv + argc);
    if (const auto code = awsauth::cli::run_creds_from_environment(args)) return *code;
  } catch (const std::exception& e) {
    // As in cli/main.cpp: the last line of defence against a stack trace.
    std::cerr << "awsauth: " << awsauth::cli::message_line(e.what()) << "\n";
    return 1;
  }
  return awsauth::cli::exec_full_command(argv);
}
