// `awsauth sso login` as a user runs it, against the fake IAM Identity Center on loopback: the
// page and code it prints, the files it leaves in ~/.aws/sso/cache, botocore signing in to the
// portal with the token it wrote, and its failures and usage errors. Nothing leaves 127.0.0.1.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "awsauth/providers/sso/json_cache_file.hpp"
#include "awsauth/providers/sso/sso_token_cache.hpp"
#include "cli_run.hpp"
#include "fake_sso.hpp"
#include "loopback_server.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using awsauth::providers::JsonCacheDocument;
using awsauth::test::run_cli;
using awsauth::test::run_program;
using ::testing::HasSubstr;
using ::testing::Not;
using Env = std::map<std::string, std::string>;

constexpr const char* kConfig =
    "[profile dev]\n"
    "sso_session = corp\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = Developer\n"
    "region = eu-west-1\n"
    "[profile legacy]\n"
    "sso_start_url = https://legacy.awsapps.com/start\n"
    "sso_region = us-east-1\n"
    "sso_account_id = 444455556666\n"
    "sso_role_name = ReadOnly\n"
    "[profile incomplete]\n"
    "sso_start_url = https://legacy.awsapps.com/start\n"
    "[sso-session corp]\n"
    "sso_start_url = https://corp.awsapps.com/start\n"
    "sso_region = us-east-1\n"
    "sso_registration_scopes = sso:account:access\n";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct SsoLoginCli : ::testing::Test {
  awsauth::test::FakeSso sso;
  awsauth::test::LoopbackServer server{sso.handler()};
  awsauth::test::TempDir home;

  void SetUp() override {
    fs::create_directories(home.path() + "/.aws");
    std::ofstream(home.path() + "/.aws/config") << kConfig;
  }
  Env env() const {
    return {{"HOME", home.path()},
            {"AWS_ENDPOINT_URL_SSO_OIDC", server.url("")},
            {"AWS_ENDPOINT_URL_SSO", server.url("")}};
  }
  std::string cache(const std::string& key) const {
    return home.path() + "/.aws/sso/cache/" + key + ".json";
  }
};

TEST_F(SsoLoginCli, PrintsThePageAndCodeWritesTheAwsCliFilesAndBotocoreUsesTheToken) {
  sso.pending_polls = 1;  // the user approves after one poll (the fake's interval is 1 s)
  const auto r = run_cli({"sso", "login", "--profile", "dev"}, env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("https://device.sso.example/"));
  EXPECT_THAT(r.out, HasSubstr("ABCD-EFGH"));
  EXPECT_THAT(r.out, HasSubstr("https://device.sso.example/?user_code=ABCD-EFGH"));
  EXPECT_THAT(r.out, HasSubstr("Signed in to https://corp.awsapps.com/start"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(sso.client_secret)));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(sso.next_access_token)));

  const std::string token_path = cache(awsauth::providers::sso_token_cache_key("", "corp"));
  const auto token = JsonCacheDocument::parse(slurp(token_path));
  EXPECT_EQ(token.string("accessToken"), sso.next_access_token);
  EXPECT_EQ(token.string("region"), "us-east-1");
  struct stat st {};
  ASSERT_EQ(::stat(token_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  ASSERT_EQ(::stat((home.path() + "/.aws/sso/cache").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);

  // botocore (the AWS CLI's engine) reads the cache awsauth wrote and gets role credentials
  // from the portal with that token.
  Env py = env();
  py["AWS_CONFIG_FILE"] = home.path() + "/.aws/config";
  py["AWS_SHARED_CREDENTIALS_FILE"] = home.path() + "/none";
  const auto b = run_program(
      "python3",
      {"-c",
       "import botocore.session\n"
       "c = botocore.session.Session(profile='dev').get_credentials().get_frozen_credentials()\n"
       "print(c.access_key)\n"},
      py);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.out, "ASIA111122223333\n");
  bool bearer_seen = false;
  for (const auto& req : server.requests()) {
    if (req.path != awsauth::test::kSsoPortalPath) continue;
    const std::string* bearer = req.header("x-amz-sso_bearer_token");
    bearer_seen = bearer != nullptr && *bearer == sso.next_access_token;
  }
  EXPECT_TRUE(bearer_seen);
}

TEST_F(SsoLoginCli, ASecondSignInReusesTheCachedClientRegistration) {
  ASSERT_EQ(run_cli({"sso", "login", "--profile", "dev"}, env()).exit_code, 0);
  ASSERT_EQ(run_cli({"sso", "login", "--sso-session", "corp"}, env()).exit_code, 0);
  int registers = 0;
  for (const auto& req : server.requests()) registers += req.path == "/client/register" ? 1 : 0;
  EXPECT_EQ(registers, 1);
}

TEST_F(SsoLoginCli, ALegacyProfileCachesTheTokenUnderItsStartUrl) {
  Env e = env();
  e["AWS_PROFILE"] = "legacy";
  const auto r = run_cli({"sso", "login"}, e);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(cache(
      awsauth::providers::sso_token_cache_key("https://legacy.awsapps.com/start", std::nullopt))));
}

TEST_F(SsoLoginCli, MissingSettingsAndExpiredSignInsExitOneWithWhatToDo) {
  const auto incomplete = run_cli({"sso", "login", "--profile", "incomplete"}, env());
  EXPECT_EQ(incomplete.exit_code, 1);
  EXPECT_THAT(incomplete.err, HasSubstr("missing the SSO settings sso_region"));
  EXPECT_THAT(incomplete.err, HasSubstr("aws configure sso"));

  const auto no_session = run_cli({"sso", "login", "--sso-session", "nope"}, env());
  EXPECT_EQ(no_session.exit_code, 1);
  EXPECT_THAT(no_session.err, HasSubstr("[sso-session nope]"));

  sso.fault = [](const awsauth::test::RecordedRequest& req)
      -> std::optional<awsauth::test::ScriptedResponse> {
    if (req.path == "/token") {
      return awsauth::test::sso_oidc_error(400, "ExpiredTokenException", "expired_token",
                                           "Device code has expired");
    }
    return std::nullopt;
  };
  const auto expired = run_cli({"sso", "login", "--profile", "dev"}, env());
  EXPECT_EQ(expired.exit_code, 1);
  EXPECT_THAT(expired.err, HasSubstr("expired before it was approved; run the sign-in again"));
}

TEST_F(SsoLoginCli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({"sso"}, env()).exit_code, 2);
  const auto logout = run_cli({"sso", "logout"}, env());
  EXPECT_EQ(logout.exit_code, 2);
  EXPECT_THAT(logout.err, HasSubstr("unknown sso command 'logout'"));
  EXPECT_EQ(run_cli({"sso", "login", "--profile"}, env()).exit_code, 2);
  EXPECT_EQ(run_cli({"sso", "login", "extra"}, env()).exit_code, 2);
}

}  // namespace
