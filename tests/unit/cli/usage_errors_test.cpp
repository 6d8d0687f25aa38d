// Usage errors of every awsauth command reach the terminal as one printable line, whatever the
// user typed: checked on the built binary.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "paths.hpp"

namespace {

struct CliRun {
  int code = -1;
  std::string err;
};

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

CliRun run_cli(const std::vector<std::string>& args) {
  const auto err_path =
      std::filesystem::temp_directory_path() / ("awsauth_usage_err_" + std::to_string(::getpid()));
  std::string cmd =
      "env -u AWS_PROFILE AWS_EC2_METADATA_DISABLED=true " + quote(awsauth::test::cli_path());
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " </dev/null >/dev/null 2>" + quote(err_path.string());
  CliRun r;
  const int status = std::system(cmd.c_str());
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_path);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::filesystem::remove(err_path);
  return r;
}

bool has_control_character(const std::string& text) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  }
  return false;
}

// Found by fuzz_cli_url: `awsauth curl` quoted an unknown option byte for byte and printed
// usage errors without message_line, so an argument holding an OSC sequence retitled the
// terminal (and `awsauth sign`, `awsauth creds` and an unknown command did the same).
TEST(UsageErrors, EscapeSequencesInArgumentsAreEscapedNotPrinted) {
  const std::string osc = "\x1b]0;pwned\x07";
  const std::vector<std::vector<std::string>> cases = {
      {"curl", "--service", "s3", "-" + osc},
      {"curl", "--service", "s3", "--data-binary", "@/nonexistent/" + osc, "https://h.invalid/"},
      {"sign", "--" + osc},
      {"sign", "--method", "GET", "--url", "https://h:" + osc + "/", "--region", "r", "--service",
       "s"},
      {"creds", "--format", osc},
      {"x" + osc},
  };
  for (const auto& c : cases) {
    const CliRun r = run_cli(c);
    EXPECT_EQ(r.code, 2) << c.back();
    EXPECT_FALSE(has_control_character(r.err)) << r.err;
    EXPECT_NE(r.err.find("\\x1b"), std::string::npos) << r.err;
  }
}

}  // namespace
