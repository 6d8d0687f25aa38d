#pragma once
// Where tests find the shared vectors, the source tree and the built CLI.

#include <string>

namespace awsauth::test {

/// ../shared (set by CMake: AWSAUTH_SHARED_DIR).
inline std::string shared_dir() { return AWSAUTH_SHARED_DIR; }
/// The repository root.
inline std::string source_dir() { return AWSAUTH_SOURCE_DIR; }
/// The built awsauth executable (the front, cli/front.cpp).
inline std::string cli_path() { return AWSAUTH_CLI_PATH; }
/// The built full command beside it, awsauth-full (cli/main.cpp), which the front runs for
/// everything it does not answer itself.
inline std::string cli_full_path() { return AWSAUTH_CLI_FULL_PATH; }

}  // namespace awsauth::test
