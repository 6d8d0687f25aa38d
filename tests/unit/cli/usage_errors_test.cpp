// Usage errors of every awsauth command reach the terminal as one printable line, whatever the
// user typed: checked on the built binary.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_run.hpp"

namespace {

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
    const awsauth::test::CliResult r = awsauth::test::run_cli(c, {});
    EXPECT_EQ(r.exit_code, 2) << c.back();
    EXPECT_FALSE(has_control_character(r.err)) << r.err;
    EXPECT_NE(r.err.find("\\x1b"), std::string::npos) << r.err;
  }
}

}  // namespace
