// JsonCacheDocument (members round-trip as written) and the atomic owner-only writer.
#include "awsauth/providers/sso/json_cache_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "temp_dir.hpp"

namespace awsauth::providers {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(JsonCacheDocument, KeepsEveryMemberInOrderAndAsWritten) {
  const auto doc = JsonCacheDocument::parse(
      R"( {"startUrl":"https://x", "future": {"nested": [1, 2.5e3, true, null]},"n" : -0.5} )");
  EXPECT_THAT(doc.keys(), ElementsAre("startUrl", "future", "n"));
  EXPECT_EQ(doc.raw("future"), R"({"nested": [1, 2.5e3, true, null]})");
  EXPECT_EQ(
      doc.serialize(),
      R"({"startUrl": "https://x", "future": {"nested": [1, 2.5e3, true, null]}, "n": -0.5})");
}

TEST(JsonCacheDocument, NamesAreWrittenBackAsTheyWereWritten) {
  // An escaped name, a raw UTF-8 one and bytes that are not UTF-8 all come back unchanged
  // (found by fuzz_sso_token_cache: re-escaping a name changed a byte that is not UTF-8).
  const std::string text = "{\"\\u00e9\": 1, \"\xC3\xA9x\": 2, \"\x92\": 3}";
  const auto doc = JsonCacheDocument::parse(text);
  EXPECT_EQ(doc.keys().front(), "\xC3\xA9");
  EXPECT_EQ(doc.serialize(), text);
  EXPECT_EQ(JsonCacheDocument::parse(doc.serialize()).keys(), doc.keys());
}

TEST(JsonCacheDocument, DecodesStringEscapesAndSurrogatePairs) {
  const auto doc = JsonCacheDocument::parse(R"({"a": "\u00e9\ud83d\ude00\n\"\\\/"})");
  EXPECT_EQ(doc.string("a"), "\xC3\xA9\xF0\x9F\x98\x80\n\"\\/");
}

TEST(JsonCacheDocument, WritesStringsAsPythonJsonDumpsDoes) {
  JsonCacheDocument doc;
  doc.set_string("startUrl", "https://x");
  doc.set_string("a", "\xC3\xA9\xF0\x9F\x98\x80");
  doc.set_integer("n", 1);
  // python3 -c 'import json; print(json.dumps({"startUrl": "https://x", "a": "\u00e9\U0001F600",
  // "n": 1}))'
  EXPECT_EQ(doc.serialize(), R"({"startUrl": "https://x", "a": "\u00e9\ud83d\ude00", "n": 1})");
}

TEST(JsonCacheDocument, SetReplacesInPlaceEraseRemovesAndLastDuplicateWins) {
  auto doc = JsonCacheDocument::parse(R"({"a": 1, "b": 2, "a": 3, "c": 4})");
  EXPECT_THAT(doc.keys(), ElementsAre("b", "a", "c"));
  EXPECT_EQ(doc.integer("a"), 3);
  doc.set_string("b", "two");
  doc.erase("c");
  doc.set_integer("d", 5);
  EXPECT_EQ(doc.serialize(), R"({"b": "two", "a": 3, "d": 5})");
}

TEST(JsonCacheDocument, TypedReadsRefuseTheWrongType) {
  const auto doc = JsonCacheDocument::parse(R"({"s": 5, "n": "5", "f": 1.5})");
  EXPECT_THROW((void)doc.string("s"), std::invalid_argument);
  EXPECT_THROW((void)doc.integer("n"), std::invalid_argument);
  EXPECT_THROW((void)doc.integer("f"), std::invalid_argument);
  EXPECT_EQ(doc.string("absent"), std::nullopt);
}

TEST(JsonCacheDocument, RefusesWhatIsNotOneJsonObjectWithoutQuotingIt) {
  for (const char* bad : {"", "[]", "{", R"({"a": })", R"({"a": 1,})", R"({"a": 01})",
                          R"({"a": "x)", "{\"a\": \"\x01\"}", R"({"a": tru})", R"({"a": 1} x)",
                          R"({'a': 1})", R"({"a": "\x"})", R"({"a": NaN})"}) {
    try {
      (void)JsonCacheDocument::parse(bad);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr("at byte")) << bad;
    }
  }
  try {
    (void)JsonCacheDocument::parse(R"({"accessToken": "sekrit-value" oops})");
    ADD_FAILURE();
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), Not(HasSubstr("sekrit")));
  }
}

TEST(JsonCacheDocument, SetRawRefusesTextThatIsNotOneValue) {
  JsonCacheDocument doc;
  EXPECT_THROW(doc.set_raw("a", "[1,"), std::invalid_argument);
  EXPECT_THROW(doc.set_raw("a", "1 2"), std::invalid_argument);
  doc.set_raw("a", R"(["x", {"y": null}])");
  EXPECT_EQ(doc.serialize(), R"({"a": ["x", {"y": null}]})");
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(WriteCacheFileAtomically, CreatesTheDirectory0700AndTheFile0600) {
  test::TempDir tmp;
  const std::string dir = tmp.path() + "/home/.aws/sso/cache";
  write_cache_file_atomically(dir + "/k.json", "{\"a\": 1}");
  EXPECT_EQ(test::slurp(dir + "/k.json"), "{\"a\": 1}");
  EXPECT_EQ(mode_of(dir + "/k.json"), 0600u);
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(tmp.path() + "/home/.aws"), 0700u);
}

TEST(WriteCacheFileAtomically, ReplacesAnOpenFileWholeAndTightensItsMode) {
  test::TempDir tmp;
  const std::string path = tmp.path() + "/k.json";
  test::spit(path, "old contents that are longer than the new ones");
  ::chmod(path.c_str(), 0644);
  write_cache_file_atomically(path, "new");
  EXPECT_EQ(test::slurp(path), "new");
  EXPECT_EQ(mode_of(path), 0600u);
  // Nothing but the file itself is left in the directory (no temporary file).
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(tmp.path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(WriteCacheFileAtomically, LeavesTheOldFileAndNoTemporaryWhenTheRenameFails) {
  test::TempDir tmp;
  // A directory where the file should be: the rename over it fails after the data was written.
  const std::string path = tmp.path() + "/k.json";
  std::filesystem::create_directory(path);
  test::spit(path + "/inside", "x");
  try {
    write_cache_file_atomically(path, "secret-bytes");
    ADD_FAILURE() << "the rename over a non-empty directory succeeded";
  } catch (const std::system_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
    EXPECT_THAT(e.what(), Not(HasSubstr("secret-bytes")));
  }
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(tmp.path())) ++entries;
  EXPECT_EQ(entries, 1) << "a temporary file was left behind";
  EXPECT_TRUE(std::filesystem::is_directory(path));
}

TEST(WriteCacheFileAtomically, ANonDirectoryInThePathIsAnErrorNamingIt) {
  test::TempDir tmp;
  test::spit(tmp.path() + "/file", "x");
  try {
    write_cache_file_atomically(tmp.path() + "/file/sub/k.json", "{}");
    ADD_FAILURE();
  } catch (const std::system_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(tmp.path() + "/file"));
  }
}

TEST(WriteCacheFileAtomically, ATemporaryFileThatCannotBeCreatedIsAnErrorAndLeavesNothing) {
  test::TempDir tmp;
  // "<dir>/k.json" fits in PATH_MAX, "<dir>/.k.json.XXXXXX" does not.
  const std::string dir = test::directory_of_length(tmp.path(), 4096 - 1 - 8);
  try {
    write_cache_file_atomically(dir + "/k.json", "{}");
    ADD_FAILURE() << "the write succeeded";
  } catch (const std::system_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot create a temporary file in"));
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

}  // namespace
}  // namespace awsauth::providers
