#include "full_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "quoting.hpp"

#ifndef AWSAUTH_FULL_COMMAND_FROM_BINDIR
#error "AWSAUTH_FULL_COMMAND_FROM_BINDIR: the install's LIBDIR/awsauth relative to BINDIR"
#endif

namespace awsauth::cli {
namespace {

/// The target of /proc/self/exe: the front's real path, symbolic links resolved (a link in
/// /usr/local/bin to an install in /opt still finds /opt/.../lib/awsauth). Empty on failure.
std::string own_path() {
  std::string path(256, '\0');
  while (true) {
    const ssize_t n = ::readlink("/proc/self/exe", path.data(), path.size());
    if (n < 0) return {};
    if (static_cast<std::size_t>(n) < path.size()) {
      path.resize(static_cast<std::size_t>(n));
      return path;
    }
    path.resize(path.size() * 2);
  }
}

}  // namespace

std::vector<std::string> full_command_paths(const std::string& front_path) {
  const auto slash = front_path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : front_path.substr(0, slash);
  return {dir + "/" + kFullCommandName,
          dir + "/" + AWSAUTH_FULL_COMMAND_FROM_BINDIR + "/" + kFullCommandName};
}

int exec_full_command(char** argv) {
  const std::string self = own_path();
  if (self.empty()) {
    const int error = errno;
    std::cerr << "awsauth: cannot find " << kFullCommandName
              << ": /proc/self/exe: " << std::strerror(error) << "\n";
    return 1;
  }
  const std::vector<std::string> paths = full_command_paths(self);
  for (const auto& path : paths) {
    ::execv(path.c_str(), argv);
    const int error = errno;  // execv returns only on failure
    if (error != ENOENT) {
      std::cerr << "awsauth: cannot run " << message_line(path) << ": " << std::strerror(error)
                << "\n";
      return 1;
    }
  }
  std::cerr << "awsauth: cannot find " << kFullCommandName << " (looked for "
            << message_line(paths.front()) << " and " << message_line(paths.back()) << ")\n";
  return 1;
}

}  // namespace awsauth::cli
