#pragma once
// Where tests find the shared vectors, the source tree and the built CLI.

#include <string>

namespace awsauth::test {

/// ../shared (set by CMake: AWSAUTH_SHARED_DIR).
inline std::string shared_dir() { return AWSAUTH_SHARED_DIR; }
/// The repository root.
inline std::string source_dir() { return AWSAUTH_SOURCE_DIR; }
/// The built awsauth executable.
inline std::string cli_path() { return AWSAUTH_CLI_PATH; }

}  // namespace awsauth::test
