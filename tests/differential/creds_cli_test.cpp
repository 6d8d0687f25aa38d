// The `awsauth creds` contract other tools rely on: the exact output of each format, the exit
// codes, and the one-line-per-provider report on stderr.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli_run.hpp"

namespace awsauth {
namespace {

namespace fs = std::filesystem;

class CredsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "awsauth-creds-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    home_ = tmpl;
    fs::create_directories(home_ / ".aws");
  }
  void TearDown() override { fs::remove_all(home_); }

  void credentials(const std::string& text) {
    std::ofstream(home_ / ".aws" / "credentials") << text;
  }

  // `awsauth creds <args>` with HOME, PATH and `env` ("NAME=value" each) as its environment.
  test::CliResult creds(const std::vector<std::string>& args,
                        const std::vector<std::string>& env = {}) {
    std::map<std::string, std::string> vars = {{"HOME", home_.string()}, {"PATH", "/usr/bin:/bin"}};
    for (const auto& var : env) {
      const auto eq = var.find('=');
      vars[var.substr(0, eq)] = var.substr(eq + 1);
    }
    std::vector<std::string> argv = {"creds"};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_cli(argv, vars, std::chrono::seconds(20));
  }

  fs::path home_;
};

TEST_F(CredsCliTest, ProcessFormatIsExactlyTheCredentialProcessJson) {
  const auto r = creds({"--format", "process"},
                       {"AWS_ACCESS_KEY_ID=AKIDX", "AWS_SECRET_ACCESS_KEY=se\"cret",
                        "AWS_SESSION_TOKEN=tok", "AWS_CREDENTIAL_EXPIRATION=2030-01-01T00:00:00Z"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"se\\\"cret\", "
            "\"SessionToken\": \"tok\", \"Expiration\": \"2030-01-01T00:00:00Z\"}\n");
}

TEST_F(CredsCliTest, ProcessIsTheDefaultFormatAndOmitsAbsentFields) {
  credentials("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
  const auto r = creds({});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "{\"Version\": 1, \"AccessKeyId\": \"AKIDFILE\", \"SecretAccessKey\": \"s\"}\n");
}

TEST_F(CredsCliTest, JsonFormatAddsTheProviderName) {
  credentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
  const auto r = creds({"--profile", "dev", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("\"ProviderName\": \"shared-credentials-file\""), std::string::npos)
      << r.out;
}

TEST_F(CredsCliTest, EnvFormatPrintsQuotedExportLines) {
  const auto r = creds({"--format=env"}, {"AWS_ACCESS_KEY_ID=AKIDX", "AWS_SECRET_ACCESS_KEY=it's",
                                          "AWS_SESSION_TOKEN=t"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "export AWS_ACCESS_KEY_ID='AKIDX'\n"
            "export AWS_SECRET_ACCESS_KEY='it'\\''s'\n"
            "export AWS_SESSION_TOKEN='t'\n");
}

TEST_F(CredsCliTest, NoCredentialsExitsOneListingEachProviderOnItsOwnLine) {
  const auto r = creds({});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty());
  // Issue 14: the user's words, then the name `--format json` reports as ProviderName.
  for (const char* name :
       {"\n  environment variables (env): ",
        "\n  the shared credentials file (shared-credentials-file): ",
        "\n  credential_process (custom-process): ", "\n  the config file (config-file): "}) {
    EXPECT_NE(r.err.find(name), std::string::npos) << name << " in " << r.err;
  }
}

TEST_F(CredsCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(creds({"--format", "yaml"}).exit_code, 2);
  EXPECT_EQ(creds({"--bogus"}).exit_code, 2);
  EXPECT_EQ(creds({"--profile"}).exit_code, 2);
}

TEST_F(CredsCliTest, MalformedFileExitsOneNamingFileAndLine) {
  credentials("[default]\nnot a property line\n");
  const auto r = creds({});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((home_ / ".aws" / "credentials").string() + ":2:"), std::string::npos)
      << r.err;
}

TEST_F(CredsCliTest, SecretsNeverReachStderr) {
  credentials("[default]\naws_secret_access_key = topsecretvalue\n");
  const auto r = creds({}, {"AWS_SECRET_ACCESS_KEY=envtopsecret"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.find("topsecret"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace awsauth
