// Behaviour of the parser beyond the shared vectors: where values come from, and errors that
// name the file and line.

#include "awsauth/providers/profile/profile_parser.hpp"

#include <gtest/gtest.h>

namespace awsauth::providers {
namespace {

TEST(ProfileParser, ValuesRememberTheirFileAndLine) {
  const auto set = parse_profile_file("# c\n[profile dev]\n\nregion = eu-west-1\n", "/x/config",
                                      ProfileFileKind::Config);
  const auto* v = set.find("dev")->find("region");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->value, "eu-west-1");
  EXPECT_EQ(v->file, "/x/config");
  EXPECT_EQ(v->line, 4);
}

TEST(ProfileParser, MalformedLineErrorNamesFileAndLine) {
  try {
    (void)parse_profile_file("[default]\nok = 1\nbroken line\n", "/home/u/.aws/credentials",
                             ProfileFileKind::Credentials);
    FAIL() << "expected ProfileParseError";
  } catch (const ProfileParseError& e) {
    EXPECT_EQ(e.file(), "/home/u/.aws/credentials");
    EXPECT_EQ(e.line(), 3);
    EXPECT_STREQ(e.what(), "/home/u/.aws/credentials:3: Expected an '=' sign defining a property");
  }
}

TEST(ProfileParser, UnclosedSectionErrorNamesLine) {
  try {
    (void)parse_profile_file("[default]\n[profile x\n", "c", ProfileFileKind::Config);
    FAIL();
  } catch (const ProfileParseError& e) {
    EXPECT_EQ(e.line(), 2);
  }
}

TEST(ProfileParser, CrLfAndNoTrailingNewlineAreAccepted) {
  const auto set =
      parse_profile_file("[a]\r\nk = v\r\n[b]\r\nk2 = v2", "c", ProfileFileKind::Credentials);
  EXPECT_EQ(set.find("a")->find("k")->value, "v");
  EXPECT_EQ(set.find("b")->find("k2")->value, "v2");
}

TEST(ProfileParser, ArbitraryBytesNeverCrash) {
  // A cheap stand-in for the fuzzer: every prefix of a nasty input parses or throws cleanly.
  const std::string nasty =
      "[profile a]\n k\n=\n[\n]\x00\xff\n\t-x\n[profile  b ] ;\ns3 =\n  a=b\n";
  for (std::size_t n = 0; n <= nasty.size(); ++n) {
    try {
      (void)parse_profile_file(std::string_view(nasty).substr(0, n), "f", ProfileFileKind::Config);
    } catch (const ProfileParseError&) {
    }
  }
}

}  // namespace
}  // namespace awsauth::providers
