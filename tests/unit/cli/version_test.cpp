// `awsauth --version` prints the library's version, generated from project(VERSION), in the
// 0.1 format ("awsauth MAJOR.MINOR.PATCH\n"); checked on the built binary.

#include "awsauth/version.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cli_run.hpp"

namespace {

TEST(CliVersion, PrintsTheGeneratedVersionInThe01Format) {
  const awsauth::test::CliResult r = awsauth::test::run_cli({"--version"}, {});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "awsauth " + std::string(awsauth::version()) + "\n");
  EXPECT_EQ(r.err, "");
}

TEST(Version, FunctionMatchesTheMacros) {
  EXPECT_EQ(awsauth::version(), std::to_string(AWSAUTH_VERSION_MAJOR) + "." +
                                    std::to_string(AWSAUTH_VERSION_MINOR) + "." +
                                    std::to_string(AWSAUTH_VERSION_PATCH));
}

}  // namespace
