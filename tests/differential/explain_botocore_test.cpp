// The recorded error bodies of the explain unit tests are what botocore computes: the oracle
// (explain_oracle.py) writes them again and they must be byte for byte the committed ones.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "moto_server.hpp"
#include "paths.hpp"

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ExplainBotocore, RecordedBodiesAreWhatBotocoreComputes) {
  const fs::path out =
      fs::temp_directory_path() / ("awsauth-explain-" + std::to_string(::getpid()));
  const fs::path committed =
      fs::path(awsauth::test::source_dir()) / "tests/unit/signer/explain_bodies";
  (void)awsauth::test::run_command("python3 " + awsauth::test::source_dir() +
                                   "/tests/differential/explain_oracle.py " + out.string());
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(out)) {
    ++files;
    const fs::path recorded = committed / entry.path().filename();
    ASSERT_TRUE(fs::exists(recorded)) << recorded;
    EXPECT_EQ(slurp(entry.path()), slurp(recorded)) << entry.path().filename();
  }
  EXPECT_EQ(files, static_cast<std::size_t>(
                       std::distance(fs::directory_iterator(committed), fs::directory_iterator())));
  EXPECT_GE(files, 10U);
  std::error_code ec;
  fs::remove_all(out, ec);
}

}  // namespace
