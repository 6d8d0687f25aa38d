#include "awsauth/detail/ascii.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace awsauth::detail {
namespace {

TEST(Ascii, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(ascii_lower("X-Amz-Date: ÄÖ 1"), "x-amz-date: ÄÖ 1");
  EXPECT_EQ(ascii_upper("get é"), "GET é");
  EXPECT_EQ(ascii_lower('@'), '@');
  EXPECT_EQ(ascii_lower('['), '[');
  EXPECT_EQ(ascii_upper('`'), '`');
  EXPECT_EQ(ascii_upper('{'), '{');
}

TEST(Ascii, EqualsIgnoresAsciiCaseOnly) {
  EXPECT_TRUE(ascii_iequals("Content-Length", "content-LENGTH"));
  EXPECT_FALSE(ascii_iequals("Content-Length", "Content-Lengt"));
  EXPECT_FALSE(ascii_iequals("\xC4", "\xE4"));  // Latin-1 Ä and ä are different bytes
  EXPECT_TRUE(ascii_iequals("", ""));
}

TEST(Ascii, LessComparesTheLowercasedBytes) {
  EXPECT_TRUE(ascii_iless("Host", "x-amz-date"));
  EXPECT_FALSE(ascii_iless("X-Amz-Date", "host"));
  EXPECT_FALSE(ascii_iless("HOST", "host"));
  EXPECT_TRUE(ascii_iless("host", "Host2"));
  // '_' (0x5F) sorts after every lowercase letter's uppercase form but before the letters.
  EXPECT_TRUE(ascii_iless("A_", "aa"));
}

TEST(Ascii, CaseLessKeysAMapByHeaderName) {
  std::map<std::string, int, AsciiCaseLess> headers{{"Content-Type", 1}};
  EXPECT_EQ(headers.count("content-type"), 1u);
  EXPECT_FALSE(headers.emplace("CONTENT-TYPE", 2).second);
}

TEST(Ascii, HexDigits) {
  EXPECT_EQ(ascii_hex_digit_value('0'), 0);
  EXPECT_EQ(ascii_hex_digit_value('9'), 9);
  EXPECT_EQ(ascii_hex_digit_value('a'), 10);
  EXPECT_EQ(ascii_hex_digit_value('F'), 15);
  EXPECT_EQ(ascii_hex_digit_value('g'), -1);
  EXPECT_EQ(ascii_hex_digit_value('\xB0'), -1);
  EXPECT_TRUE(is_ascii_hex_digit('c'));
  EXPECT_FALSE(is_ascii_hex_digit('G'));
}

}  // namespace
}  // namespace awsauth::detail
