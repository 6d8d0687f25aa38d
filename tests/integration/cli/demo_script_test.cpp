// The README's demo, cli/demo.sh itself (not a copy), run end to end against the built CLI.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "paths.hpp"

namespace {

namespace fs = std::filesystem;

struct DemoRun {
  int code = -1;
  std::string output;  ///< stdout and stderr together, as a reader of the README sees them
};

// Runs `bash cli/demo.sh` with a 120 s deadline; `env` adds NAME=value words. Its temporary
// files go to `tmp`, so the test can check the demo cleaned up after itself.
DemoRun run_demo(const fs::path& tmp, const std::string& env = "") {
  const fs::path log = tmp.parent_path() / (tmp.filename().string() + ".log");
  const std::string cmd = "env TMPDIR=" + tmp.string() + " AWSAUTH=" + awsauth::test::cli_path() +
                          " " + env + " timeout 120 bash " + awsauth::test::source_dir() +
                          "/cli/demo.sh >" + log.string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  fs::remove(log);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ss.str()};
}

class DemoScript : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() /
           ("awsauth-demo-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(tmp_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }
  bool tmp_is_empty() const { return fs::is_empty(tmp_); }
  fs::path tmp_;
};

TEST_F(DemoScript, ShowsTheAssumedRoleIdentityVerifiedByMoto) {
  const DemoRun r = run_demo(tmp_);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("moto now verifies every request's signature"), std::string::npos)
      << r.output;
  // `awsauth creds` through the role: temporary credentials.
  EXPECT_NE(r.output.find("\"AccessKeyId\": \"ASIA"), std::string::npos) << r.output;
  // `awsauth curl` GetCallerIdentity as moto answered it, then the demo's summary line.
  EXPECT_NE(
      r.output.find("<Arn>arn:aws:sts::123456789012:assumed-role/demo-role/awsauth-demo</Arn>"),
      std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("the caller is the assumed role:\n"
                          "   arn:aws:sts::123456789012:assumed-role/demo-role/awsauth-demo"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(tmp_is_empty()) << "the demo left files behind in " << tmp_;
}

TEST_F(DemoScript, WithoutMotoFallsBackToTheFixedKeyDocumentationExample) {
  const DemoRun r = run_demo(tmp_, "PYTHON=/nonexistent/python3");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("moto is not installed"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"signature\": "
                          "\"5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\""),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("matches the one published in the AWS documentation"), std::string::npos)
      << r.output;
}

TEST_F(DemoScript, MissingCliIsAClearError) {
  const DemoRun r = run_demo(tmp_, "AWSAUTH=/nonexistent/awsauth");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("/nonexistent/awsauth not found"), std::string::npos) << r.output;
}

}  // namespace
