// What the commands print when credentials are missing, expired or misplaced, word for word on
// the built binary (issue 14): the source in the user's words, no "default-chain:", no false
// "no credentials", the URL once, and never a secret key or session token.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli_run.hpp"

namespace {

namespace fs = std::filesystem;
using awsauth::test::CliResult;
using awsauth::test::run_cli;
using Env = std::map<std::string, std::string>;

const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const char* kToken = "SESSIONTOKENxyz123";

class MessagesCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "awsauth-msgs-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    write("config", "");
    write("credentials", "");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  Env env(Env extra = {}) const {
    extra.emplace("HOME", dir_.string());
    extra.emplace("AWS_CONFIG_FILE", (dir_ / "config").string());
    extra.emplace("AWS_SHARED_CREDENTIALS_FILE", (dir_ / "credentials").string());
    return extra;
  }
  Env expired_env() const {
    return env({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                {"AWS_SECRET_ACCESS_KEY", kSecret},
                {"AWS_SESSION_TOKEN", kToken},
                {"AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00+00:00"}});
  }
  static void expect_no_secret(const CliResult& r) {
    EXPECT_EQ(r.err.find(kSecret), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(kToken), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("default-chain"), std::string::npos) << r.err;
  }
  // The expired-environment line after "awsauth CMD: ", whose "it is now" part is the real
  // clock's: checked up to it and from its end.
  static void expect_expired_line(const CliResult& r, const std::string& command) {
    const std::string head = "awsauth " + command +
                             ": the credentials from environment variables expired at "
                             "2020-01-01T00:00:00Z (AWS_CREDENTIAL_EXPIRATION; it is now 20";
    const std::string tail =
        "Z): export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and "
        "AWS_CREDENTIAL_EXPIRATION, or unset them to use the next source\n";
    EXPECT_EQ(r.err.rfind(head, 0), 0U) << r.err;
    ASSERT_GE(r.err.size(), tail.size()) << r.err;
    EXPECT_EQ(r.err.substr(r.err.size() - tail.size()), tail) << r.err;
    EXPECT_EQ(r.err.size(), head.size() + std::string("26-12-01T13:00:00").size() + tail.size())
        << r.err;
    expect_no_secret(r);
  }

  fs::path dir_;
};

TEST_F(MessagesCli, CredsWithExpiredEnvironmentCredentialsNamesTheVariableAndTheTime) {
  const auto r = run_cli({"creds"}, expired_env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  expect_expired_line(r, "creds");
}

TEST_F(MessagesCli, CurlWithExpiredCredentialsDoesNotSayThereWereNone) {
  const auto r = run_cli(
      {"curl", "--region", "us-east-1", "--service", "sts", "http://127.0.0.1:9/"}, expired_env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.find("no credentials"), std::string::npos) << r.err;
  expect_expired_line(r, "curl");
}

TEST_F(MessagesCli, CurlWithoutCredentialsListsEachProviderOnItsOwnLine) {
  const auto r =
      run_cli({"curl", "--region", "us-east-1", "--service", "sts", "http://127.0.0.1:9/"}, env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("awsauth curl: no credentials found; providers tried:\n"
                        "  environment variables (env): AWS_ACCESS_KEY_ID and "
                        "AWS_SECRET_ACCESS_KEY are not set\n"
                        "  the role in role_arn (assume-role): profile `default` has no "
                        "role_arn\n",
                        0),
            0U)
      << r.err;
  expect_no_secret(r);
}

// creds, serve and curl word a chain that found nothing the same way (one function,
// providers_tried_message): the first line, then one line per provider tried.
TEST_F(MessagesCli, CredsAndServeWithoutCredentialsListEachProviderAsCurlDoes) {
  const std::string tried =
      " no credentials found; providers tried:\n"
      "  environment variables (env): AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set\n"
      "  the role in role_arn (assume-role): profile `default` has no role_arn\n";
  for (const std::string command : {"creds", "serve"}) {
    SCOPED_TRACE(command);
    const auto r = run_cli({command}, env());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("awsauth " + command + ":" + tried, 0), 0U) << r.err;
    expect_no_secret(r);
  }
}

TEST_F(MessagesCli, ProfileWrittenWithPrefixInTheCredentialsFileIsExplained) {
  write("credentials",
        std::string("[profile src]\naws_access_key_id = AKIDSRC\naws_secret_access_key = ") +
            kSecret + "\n");
  const std::string files = (dir_ / "config").string() + " or " + (dir_ / "credentials").string();
  const std::string line =
      "profile 'src' (named explicitly) is not in " + files + "; " +
      (dir_ / "credentials").string() +
      " line 1 has [profile src], which the credentials file ignores: write it as [src] there "
      "(the `profile ` prefix is only for the config file)\n";
  const auto creds = run_cli({"creds", "--profile", "src"}, env());
  EXPECT_EQ(creds.exit_code, 1);
  EXPECT_EQ(creds.err, "awsauth creds: " + line);
  expect_no_secret(creds);
  const auto curl = run_cli({"curl", "--profile", "src", "--region", "us-east-1", "--service",
                             "sts", "http://127.0.0.1:9/"},
                            env());
  EXPECT_EQ(curl.exit_code, 1);
  EXPECT_EQ(curl.err, "awsauth curl: " + line);
}

TEST_F(MessagesCli, WebIdentityLineForAnExplicitProfileSaysTheKeyIsNotSet) {
  write("config", "[profile dev]\nregion = us-east-1\n");
  const auto r = run_cli({"creds", "--profile", "dev"}, env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("\n  the web identity role (assume-role-with-web-identity): "
                       "web_identity_token_file is not set in "
                       "profile `dev` (AWS_WEB_IDENTITY_TOKEN_FILE is ignored for an explicitly "
                       "named profile)\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("` is set"), std::string::npos) << r.err;
}

TEST_F(MessagesCli, SignWithoutEnvironmentKeysPointsAtCredsFormatEnv) {
  write("credentials",
        std::string("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = ") + kSecret +
            "\n");
  const auto r = run_cli({"sign", "--method", "GET", "--url", "https://iam.amazonaws.com/",
                          "--region", "us-east-1", "--service", "iam"},
                         env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "awsauth sign: no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both "
            "be set (sign reads keys only from the environment); to use a profile or the "
            "default chain, run first: eval \"$(awsauth creds [--profile NAME] --format env)\"\n");
}

TEST_F(MessagesCli, ConnectionErrorNamesTheUrlOnce) {
  write("credentials",
        std::string("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = ") + kSecret +
            "\n");
  write("config",
        "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n"
        "region = us-east-1\n");
  // Port 9 (discard) on loopback: nothing listens there on these machines, so the connection
  // is refused at once.
  const auto r =
      run_cli({"creds", "--profile", "role"},
              env({{"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9"}, {"AWS_MAX_ATTEMPTS", "1"}}));
  EXPECT_EQ(r.exit_code, 1);
  const std::string url = "http://127.0.0.1:9";
  const auto first = r.err.find(url);
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(url, first + 1), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("STS AssumeRole at " + url + " failed: cannot connect: "), std::string::npos)
      << r.err;
  expect_no_secret(r);
}

}  // namespace
