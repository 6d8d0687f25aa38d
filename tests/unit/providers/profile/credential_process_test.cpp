// credential_process against real programs (shell scripts written to a temp dir): success with
// and without Expiration, quoting, and every failure the user must be told about.

#include "awsauth/providers/profile/credential_process.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class CredentialProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "awsauth-cp-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes an executable shell script and returns its path.
  std::string script(const std::string& name, const std::string& body) {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), 0755);
    return path;
  }

  void profile_command(const std::string& command, const std::string& extra = "") {
    t.config("[default]\n" + extra + "credential_process = " + command + "\n");
  }

  CredentialsPtr get(CredentialProcessOptions options = {}) {
    const auto context = t.context();
    return CredentialProcessProvider(context, std::make_shared<ProfileFilesLoader>(context),
                                     "default", options)
        .get();
  }

  CredentialsError error(CredentialProcessOptions options = {}) {
    try {
      (void)get(options);
    } catch (const CredentialsError& e) {
      EXPECT_EQ(e.provider(), "custom-process");
      return e;
    }
    ADD_FAILURE() << "expected an error";
    return CredentialsError(ErrorKind::NotConfigured, "", "");
  }

  test::TestContext t;
  fs::path dir_;
};

constexpr const char* kGood =
    R"(echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procsecret", )"
    R"("SessionToken": "proctoken"}')";

TEST_F(CredentialProcessTest, SuccessWithoutExpirationIsLongLived) {
  profile_command(script("ok.sh", kGood));
  const auto c = get();
  EXPECT_EQ(c->access_key_id(), "AKIDPROC");
  EXPECT_EQ(c->secret_access_key().reveal(), "procsecret");
  EXPECT_EQ(c->session_token().reveal(), "proctoken");
  EXPECT_FALSE(c->expiration());
  EXPECT_EQ(c->provider_name(), "custom-process");
}

TEST_F(CredentialProcessTest, SuccessWithExpirationIsRefreshable) {
  profile_command(script("exp.sh",
                         R"(echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", )"
                         R"("Expiration": "2031-05-06T07:08:09Z", "AccountId": "999"}')"));
  const auto c = get();
  ASSERT_TRUE(c->expiration());
  EXPECT_EQ(format_iso8601(*c->expiration()), "2031-05-06T07:08:09Z");
  EXPECT_EQ(c->account_id(), "999");
}

// Issue 14: what `date -u +%FT%T%z` prints (+0000), and +HH with a fraction, as botocore reads.
TEST_F(CredentialProcessTest, ExpirationTakesEveryIsoOffsetForm) {
  profile_command(script("basic.sh",
                         R"(echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", )"
                         R"("Expiration": "2030-01-01T00:00:00+0000"}')"));
  EXPECT_EQ(format_iso8601(*get()->expiration()), "2030-01-01T00:00:00Z");
  profile_command(script("hours.sh",
                         R"(echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", )"
                         R"("Expiration": "2030-01-01T02:00:00.250+02"}')"));
  EXPECT_EQ(*get()->expiration(),
            *parse_iso8601("2030-01-01T00:00:00Z") + std::chrono::milliseconds(250));
}

TEST_F(CredentialProcessTest, ExpirationWithoutOffsetIsAnErrorSayingSo) {
  profile_command(script("local.sh",
                         R"(echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", )"
                         R"("Expiration": "2030-01-01T00:00:00"}')"));
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure) << e.what();
  EXPECT_NE(std::string(e.what()).find(
                "its Expiration '2030-01-01T00:00:00' has no UTC offset; add one, e.g. "
                "2030-01-01T00:00:00Z (or +HH:MM, +HHMM, +HH)"),
            std::string::npos)
      << e.what();
  EXPECT_NE(std::string(e.what()).find("credential_process of profile 'default'"),
            std::string::npos)
      << e.what();
}

TEST_F(CredentialProcessTest, AccountIdFallsBackToTheProfile) {
  profile_command(script("ok.sh", kGood), "aws_account_id = 123456789012\n");
  EXPECT_EQ(get()->account_id(), "123456789012");
}

TEST_F(CredentialProcessTest, ArgumentsAreSplitByShellQuotingAndPassedWithoutAShell) {
  // The script prints its argv as the session token, one argument per line joined by '|'.
  const auto path = script("args.sh", R"(IFS='|'; tok="$*"
printf '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"s","SessionToken":"%s"}' "$tok")");
  profile_command(path + R"( 'a b' "c 'd'" e\ f $HOME "*" a;b)");
  EXPECT_EQ(get()->session_token().reveal(), R"(a b|c 'd'|e f|$HOME|*|a;b)");
}

TEST_F(CredentialProcessTest, BadJsonIsAFailureThatDoesNotQuoteTheOutput) {
  profile_command(script("bad.sh", "echo 'AccessKeyId=AKID SecretAccessKey=leakme'"));
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
  EXPECT_NE(std::string(e.what()).find("not a JSON object"), std::string::npos) << e.what();
  EXPECT_EQ(std::string(e.what()).find("leakme"), std::string::npos);
}

TEST_F(CredentialProcessTest, WrongVersionIsRejected) {
  profile_command(
      script("v2.sh", R"(echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "s"}')"));
  EXPECT_NE(std::string(error().what()).find("Version"), std::string::npos);
}

TEST_F(CredentialProcessTest, MissingVersionAndStringVersionAreRejected) {
  profile_command(script("nov.sh", R"(echo '{"AccessKeyId": "A", "SecretAccessKey": "s"}')"));
  EXPECT_NE(std::string(error().what()).find("Version"), std::string::npos);
  profile_command(
      script("strv.sh", R"(echo '{"Version": "1", "AccessKeyId": "A", "SecretAccessKey": "s"}')"));
  EXPECT_NE(std::string(error().what()).find("Version"), std::string::npos);
}

TEST_F(CredentialProcessTest, MissingSecretIsNamed) {
  profile_command(script("nos.sh", R"(echo '{"Version": 1, "AccessKeyId": "A"}')"));
  EXPECT_NE(std::string(error().what()).find("SecretAccessKey"), std::string::npos);
}

TEST_F(CredentialProcessTest, NonZeroExitIsReportedWithItsStderr) {
  profile_command(script("fail.sh", "echo 'MFA device not found' >&2; exit 3"));
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
  const std::string what = e.what();
  EXPECT_NE(what.find("status 3"), std::string::npos) << what;
  EXPECT_NE(what.find("MFA device not found"), std::string::npos) << what;
  EXPECT_NE(what.find("/home/test/.aws/config line 2"), std::string::npos) << what;
}

TEST_F(CredentialProcessTest, HungProgramTimesOutWithinTheBound) {
  profile_command(script("hang.sh", "exec sleep 30"));
  const auto start = std::chrono::steady_clock::now();
  const auto e = error({.timeout = 300ms});
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_NE(std::string(e.what()).find("did not finish within 300 ms"), std::string::npos)
      << e.what();
}

TEST_F(CredentialProcessTest, ProgramPrintingForeverIsKilledAtTheOutputCap) {
  profile_command("yes {}");
  const auto start = std::chrono::steady_clock::now();
  const auto e = error({.timeout = 10s, .max_output_bytes = 4096});
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_NE(std::string(e.what()).find("more than 4096 bytes"), std::string::npos) << e.what();
}

TEST_F(CredentialProcessTest, MissingProgramIsAFailureNamingIt) {
  profile_command("/nonexistent/credential-helper --x");
  EXPECT_NE(std::string(error().what()).find("credential-helper"), std::string::npos);
}

TEST_F(CredentialProcessTest, UnterminatedQuoteIsInvalidConfiguration) {
  profile_command("helper 'oops");
  EXPECT_EQ(error().kind(), ErrorKind::InvalidConfiguration);
}

TEST_F(CredentialProcessTest, NoCredentialProcessIsNotConfigured) {
  t.config("[default]\nregion = us-east-1\n");
  EXPECT_EQ(error().kind(), ErrorKind::NotConfigured);
}

TEST_F(CredentialProcessTest, ChildSeesTheLoopMarkerNamingTheProfile) {
  profile_command(script(
      "marker.sh",
      R"(printf '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"s","SessionToken":"%s"}' )"
      R"("$AWSAUTH_CREDENTIAL_PROCESS_PROFILES")"));
  t.env->set("AWSAUTH_CREDENTIAL_PROCESS_PROFILES", "outer");
  EXPECT_EQ(get()->session_token().reveal(), "outer,default");
}

TEST_F(CredentialProcessTest, RefusesToRunTheSameProfileAgainInsideItself) {
  profile_command(script("ok.sh", kGood));
  t.env->set("AWSAUTH_CREDENTIAL_PROCESS_PROFILES", "other,default");
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_NE(std::string(e.what()).find("loop"), std::string::npos);
}

TEST(SplitCommandLine, FollowsShlexRules) {
  EXPECT_EQ(split_command_line(R"(  a  'b c'"d"\ e "f\\g\$" '' )"),
            (std::vector<std::string>{"a", "b cd e", R"(f\g\$)", ""}));
  EXPECT_TRUE(split_command_line("   ").empty());
  EXPECT_THROW((void)split_command_line(R"(a "b)"), std::invalid_argument);
  EXPECT_THROW((void)split_command_line(R"(a\)"), std::invalid_argument);
}

}  // namespace
}  // namespace awsauth::providers
