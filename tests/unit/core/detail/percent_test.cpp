#include "awsauth/detail/percent.hpp"

#include <gtest/gtest.h>

#include <string>

namespace awsauth::detail {
namespace {

TEST(Percent, KeepsTheChosenBytesAndEscapesTheRestInUppercaseHex) {
  EXPECT_EQ(percent_encoded("a b/c~é", ByteSet::unreserved()), "a%20b%2Fc~%C3%A9");
  EXPECT_EQ(percent_encoded("a b/c", ByteSet::unreserved().with("/")), "a%20b/c");
  EXPECT_EQ(percent_encoded(std::string("\0\xff", 2), ByteSet::unreserved()), "%00%FF");
  EXPECT_EQ(percent_encoded("", ByteSet::unreserved()), "");
}

TEST(Percent, SpaceAsPlusIsPythonsQuotePlus) {
  // urllib.parse.quote_plus("a b+c&d=e~", safe="") == "a+b%2Bc%26d%3De~"
  EXPECT_EQ(percent_encoded("a b+c&d=e~", ByteSet::unreserved(), /*space_as_plus=*/true),
            "a+b%2Bc%26d%3De~");
}

TEST(Percent, AppendsAfterWhatIsThere) {
  std::string out = "x=";
  append_percent_encoded(out, "1 2", ByteSet::alphanumeric());
  EXPECT_EQ(out, "x=1%202");
}

TEST(Percent, ByteSetsCombine) {
  const auto role = ByteSet::alphanumeric().with("+=,.@_-");
  EXPECT_TRUE(role.contains('@'));
  EXPECT_FALSE(role.contains('~'));
  EXPECT_FALSE(ByteSet().contains('a'));
  EXPECT_TRUE(ByteSet::unreserved().contains('~'));
  EXPECT_FALSE(ByteSet::unreserved().contains('/'));
}

TEST(Percent, DecodesEscapesOfEitherCaseAndLeavesStrayPercentSigns) {
  EXPECT_EQ(percent_decoded("a%20b%2fc%C3%A9"), "a b/cé");
  EXPECT_EQ(percent_decoded("100%"), "100%");
  EXPECT_EQ(percent_decoded("%4"), "%4");
  EXPECT_EQ(percent_decoded("%zz%41"), "%zzA");
  EXPECT_EQ(percent_decoded("a+b"), "a+b");
  EXPECT_EQ(percent_decoded("a+b%2B", /*plus_as_space=*/true), "a b+");
}

TEST(Percent, DecodingUndoesEncoding) {
  const std::string bytes = "key=va lue&x/y~\x01\xfe";
  EXPECT_EQ(percent_decoded(percent_encoded(bytes, ByteSet::unreserved())), bytes);
  EXPECT_EQ(percent_decoded(percent_encoded(bytes, ByteSet::unreserved(), true), true), bytes);
}

}  // namespace
}  // namespace awsauth::detail
