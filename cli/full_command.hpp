#pragma once
// How the front (cli/front.cpp) hands every run it does not answer itself to the full command,
// awsauth-full (cli/main.cpp): found relative to the front's own file, run by exec.

#include <string>
#include <vector>

namespace awsauth::cli {

/// File name of the full command.
inline constexpr const char* kFullCommandName = "awsauth-full";

/// Where the front at `front_path` (its /proc/self/exe) looks for the full command, in order:
/// beside itself (the build tree: build/cli/awsauth-full), then the install's
/// LIBDIR/awsauth relative to BINDIR (e.g. bin/../lib/awsauth/awsauth-full).
[[nodiscard]] std::vector<std::string> full_command_paths(const std::string& front_path);

/// Replaces this process with the full command: the same pid, arguments (argv[0] included),
/// environment and descriptors, so it answers exactly as if it had been run itself. Returns
/// only when it could not be run, after saying why on stderr: the exit code 1.
int exec_full_command(char** argv);

}  // namespace awsauth::cli
