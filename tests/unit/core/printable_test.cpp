// printable(), printable_url(), redacted(): what every message with outside text goes through.

#include "awsauth/printable.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using awsauth::printable;

TEST(Printable, EscapesControlsBackslashC1AndInvalidUtf8) {
  EXPECT_EQ(printable("a\x1b]0;t\x07z"), "a\\x1b]0;t\\x07z");
  EXPECT_EQ(printable("C:\\x"), "C:\\\\x");
  EXPECT_EQ(printable("\xc2\x9b"
                      "2J"),
            "\\xc2\\x9b2J");
  EXPECT_EQ(printable("\xff"
                      "caf\xc3\xa9"),
            "\\xffcaf\xc3\xa9");
}

TEST(Printable, PlainTextUpToTheLimitIsUnchanged) {
  EXPECT_EQ(printable("abcdefgh", 8), "abcdefgh");
  EXPECT_EQ(printable("abcdefghi", 8), "abcdefgh...");
}

// Found by fuzz_printable: an escape or a multi-byte character starting just below the limit
// was appended whole, so the output ran up to 3 bytes past max_bytes before the "...".
TEST(Printable, AnEscapeOrCharacterThatDoesNotFitIsCutNotAppendedPastTheLimit) {
  EXPECT_EQ(printable("abcdefg\x1bhijk", 8), "abcdefg...");
  EXPECT_EQ(printable("abcdefg\xf0\x9f\x98\x80hijk", 8), "abcdefg...");
  EXPECT_EQ(printable("abcdefg\\hijk", 8), "abcdefg...");
  EXPECT_EQ(printable("abcd\x1bz", 9), "abcd\\x1bz");
  const std::string many_escapes(700, '\x1b');
  EXPECT_LE(printable(many_escapes).size(), 512u + 3u);
}

TEST(PrintableUrl, DropsUserInfoQueryAndFragment) {
  EXPECT_EQ(awsauth::printable_url("https://u:p@host:8443/a?X-Amz-Signature=abc#f"),
            "https://host:8443/a");
}

TEST(Redacted, ReplacesEveryOccurrence) {
  EXPECT_EQ(awsauth::redacted("tok x tok", "tok"), "<redacted> x <redacted>");
  EXPECT_EQ(awsauth::redacted("tok", ""), "tok");
}

}  // namespace
