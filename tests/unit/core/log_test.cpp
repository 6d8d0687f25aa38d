// The library's log seam: silent by default, levels filtered, a throwing sink contained.

#include "awsauth/log.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace awsauth {
namespace {

TEST(LogSink, IsSilentUntilASinkIsInstalledAndAfterItIsRemoved) {
  EXPECT_FALSE(log_enabled(LogLevel::Error));
  std::vector<std::string> seen;
  set_log_sink([&](LogLevel, std::string_view m) { seen.emplace_back(m); }, LogLevel::Debug);
  EXPECT_TRUE(log_enabled(LogLevel::Debug));
  log(LogLevel::Debug, "one");
  set_log_sink(nullptr);
  EXPECT_FALSE(log_enabled(LogLevel::Error));
  log(LogLevel::Error, "two");
  EXPECT_EQ(seen, std::vector<std::string>{"one"});
}

TEST(LogSink, DeliversOnlyMessagesAtOrAboveItsLevel) {
  std::vector<std::string> seen;
  set_log_sink([&](LogLevel level, std::string_view m) {
    seen.push_back(std::string(log_level_name(level)) + ":" + std::string(m));
  });  // default level: info
  log(LogLevel::Debug, "d");
  log(LogLevel::Info, "i");
  log(LogLevel::Warning, "w");
  log(LogLevel::Error, "e");
  set_log_sink(nullptr);
  EXPECT_EQ(seen, (std::vector<std::string>{"info:i", "warning:w", "error:e"}));
}

TEST(LogSink, ASinkThatThrowsIsIgnored) {
  set_log_sink([](LogLevel, std::string_view) { throw std::runtime_error("sink broke"); },
               LogLevel::Debug);
  EXPECT_NO_THROW(log(LogLevel::Error, "x"));
  set_log_sink(nullptr);
}

TEST(LogLevelNames, ParseWhatTheyPrintInAnyCaseAndRejectTheRest) {
  for (const LogLevel level :
       {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error}) {
    EXPECT_EQ(parse_log_level(log_level_name(level)), level);
  }
  EXPECT_EQ(parse_log_level("DEBUG"), LogLevel::Debug);
  EXPECT_EQ(parse_log_level("Warning"), LogLevel::Warning);
  EXPECT_FALSE(parse_log_level("verbose"));
  EXPECT_FALSE(parse_log_level(""));
  EXPECT_FALSE(parse_log_level("warn"));
}

}  // namespace
}  // namespace awsauth
