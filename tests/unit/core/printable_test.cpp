// printable(), printable_url() and redacted(): the one place outside text is made safe for a
// message (issue 11).
#include "awsauth/printable.hpp"

#include <gtest/gtest.h>

#include <string>

namespace awsauth {
namespace {

TEST(Printable, PlainTextAndUtf8PassUnchanged) {
  EXPECT_EQ(printable("AccessDenied: User is not authorized"),
            "AccessDenied: User is not authorized");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xf0\x9f\x94\x91"),
            "caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xf0\x9f\x94\x91");
}

TEST(Printable, ControlCharactersAreEscaped) {
  EXPECT_EQ(printable("Bad\x1b[2J\x1b]0;x\x07"), "Bad\\x1b[2J\\x1b]0;x\\x07");
  EXPECT_EQ(printable("a\r\nX-Injected: yes"), "a\\x0d\\x0aX-Injected: yes");
  EXPECT_EQ(printable(std::string("a\0b\x7f", 4)), "a\\x00b\\x7f");
  EXPECT_EQ(printable("tab\there"), "tab\\x09here");
}

TEST(Printable, BackslashIsEscapedSoAnEscapeCannotBeForged) {
  EXPECT_EQ(printable("C:\\x1b"), "C:\\\\x1b");
}

TEST(Printable, C1ControlsAndInvalidUtf8AreEscapedByte) {
  const std::string csi_utf8 = std::string("\xc2\x9b") + "31m";  // U+009B CSI
  const std::string csi_raw = std::string("\x9b") + "31m";       // a raw C1 byte
  EXPECT_EQ(printable(csi_utf8), "\\xc2\\x9b31m");
  EXPECT_EQ(printable(csi_raw), "\\x9b31m");
  EXPECT_EQ(printable("\xc3"), "\\xc3");                    // truncated sequence
  EXPECT_EQ(printable("\xe0\x80\x80"), "\\xe0\\x80\\x80");  // overlong
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
}

TEST(Printable, LongTextIsCut) {
  const std::string out = printable(std::string(2000, 'a'), 100);
  EXPECT_EQ(out, std::string(100, 'a') + "...");
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
  EXPECT_EQ(printable_url("https://user:pw@host:8443/a/b?X-Amz-Signature=abc#frag"),
            "https://host:8443/a/b");
  EXPECT_EQ(printable_url("http://u@[::1]:80/creds"), "http://[::1]:80/creds");
  EXPECT_EQ(printable_url("http://a:b@host?q=1"), "http://host");
  EXPECT_EQ(printable_url("http://host/p@th"), "http://host/p@th");
  EXPECT_EQ(printable_url("not a url?secret"), "not a url");
  EXPECT_EQ(printable_url("http://host/\x1b[2J"), "http://host/\\x1b[2J");
}

TEST(Redacted, ReplacesEveryOccurrence) {
  EXPECT_EQ(redacted("tok tok x tok", "tok"), "<redacted> <redacted> x <redacted>");
  EXPECT_EQ(redacted("nothing here", ""), "nothing here");
  EXPECT_EQ(redacted("aaaa", "aa"), "<redacted><redacted>");
}

}  // namespace
}  // namespace awsauth
