#include "awsauth/detail/json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace awsauth::detail {
namespace {

TEST(JsonString, MinimalEscapesQuotesBackslashesAndControlsOnly) {
  EXPECT_EQ(json_string("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(json_string("\n\r\t"), R"("\n\r\t")");
  EXPECT_EQ(json_string(std::string("\0\x01\b\f\x1f", 5)), R"("\u0000\u0001\u0008\u000c\u001f")");
  EXPECT_EQ(json_string("\x7f é 😀 \xff"), "\"\x7f é 😀 \xff\"");
  EXPECT_EQ(json_string(""), R"("")");
}

TEST(JsonString, AppendsAfterWhatIsThere) {
  std::string out = "{\"k\": ";
  append_json_string(out, "v");
  EXPECT_EQ(out, R"({"k": "v")");
}

// Expected strings are what Python 3 prints for json.dumps(s).
TEST(JsonString, PythonAsciiMatchesJsonDumps) {
  const auto py = [](std::string_view s) { return json_string(s, JsonEscaping::PythonAscii); };
  EXPECT_EQ(py("a\"b\\c/d"), R"("a\"b\\c/d")");
  EXPECT_EQ(py("\n\r\t\b\f\x01"), R"("\n\r\t\b\f\u0001")");
  EXPECT_EQ(py("\x7f"), R"("\u007f")");
  EXPECT_EQ(py("é"), R"("\u00e9")");
  EXPECT_EQ(py("€"), R"("\u20ac")");
  EXPECT_EQ(py("😀"), R"("\ud83d\ude00")");
}

TEST(JsonString, PythonAsciiEscapesBytesThatAreNotUtf8OneByOne) {
  const auto py = [](std::string_view s) { return json_string(s, JsonEscaping::PythonAscii); };
  EXPECT_EQ(py("\xff"), R"("\u00ff")");
  EXPECT_EQ(py("\xc3"), R"("\u00c3")");                 // truncated sequence
  EXPECT_EQ(py("\xe2\x28\xa1"), R"("\u00e2(\u00a1")");  // bad continuation byte
}

}  // namespace
}  // namespace awsauth::detail
