// `awsauth sign` is a contract other tools rely on: flags, output and exit codes, checked on
// the built binary.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli_run.hpp"

namespace {

using awsauth::test::CliResult;
using Env = std::map<std::string, std::string>;

const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// `awsauth sign <args>` with only `env` (and PATH) in its environment.
CliResult run_sign(std::vector<std::string> args, const Env& env = {}) {
  args.insert(args.begin(), "sign");
  return awsauth::test::run_cli(args, env);
}

const Env kCreds = {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}, {"AWS_SECRET_ACCESS_KEY", kSecret}};

Env with_token(const std::string& token) {
  Env env = kCreds;
  env["AWS_SESSION_TOKEN"] = token;
  return env;
}

std::vector<std::string> iam_args() {
  return {"--method",  "GET",
          "--url",     "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
          "--region",  "us-east-1",
          "--service", "iam",
          "-H",        "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
          "--time",    "20150830T123600Z"};
}

TEST(SignCli, JsonOutputCarriesTheDocumentedIamSignatureAndSteps) {
  auto args = iam_args();
  args.insert(args.end(), {"--format", "json"});
  const auto r = run_sign(args, kCreds);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find(
          "\"signature\": \"5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\""),
      std::string::npos);
  EXPECT_NE(r.out.find("\"canonical_request\": \"GET\\n/\\nAction=ListUsers&Version=2010-05-08\\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("\"string_to_sign\": \"AWS4-HMAC-SHA256\\n20150830T123600Z\\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("\"signed_headers\": \"content-type;host;x-amz-date\""), std::string::npos);
  EXPECT_EQ(r.out.find(kSecret), std::string::npos);
  EXPECT_TRUE(r.err.empty());
}

TEST(SignCli, LowercaseMethodIsSignedAndPrintedUppercaseAsBotocoreSigns) {
  auto args = iam_args();
  args[1] = "get";
  args.insert(args.end(), {"--format", "curl"});
  const auto r = run_sign(args, kCreds);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("curl -X 'GET' ", 0), 0u) << r.out;
  EXPECT_NE(
      r.out.find("Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"),
      std::string::npos)
      << r.out;
}

TEST(SignCli, EqualsFormAndSpaceFormOfFlagsAreEquivalent) {
  const auto a = run_sign(iam_args(), kCreds);
  const auto b = run_sign(
      {"--method=GET", "--url=https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
       "--region=us-east-1", "--service=iam",
       "-HContent-Type: application/x-www-form-urlencoded; charset=utf-8",
       "--time=20150830T123600Z"},
      kCreds);
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_EQ(a.out, b.out);
}

TEST(SignCli, HeadersFormatPrintsOnlyTheHeadersToAdd) {
  auto args = iam_args();
  args.insert(args.end(), {"--format", "headers"});
  const auto r = run_sign(args, with_token("tok"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("X-Amz-Date: 20150830T123600Z\nX-Amz-Security-Token: tok\nAuthorization: "
                        "AWS4-HMAC-SHA256 ",
                        0),
            0u)
      << r.out;
  EXPECT_NE(r.out.find("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"),
            std::string::npos);
}

TEST(SignCli, EmptyHeaderValueIsSignedAsEmpty) {
  auto args = iam_args();
  args.insert(args.end(), {"-H", "X-Empty:", "-H", "X-Blank:   "});
  const auto r = run_sign(args, kCreds);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("x-amz-date:20150830T123600Z\\nx-blank:\\nx-empty:\\n"), std::string::npos)
      << r.out;
}

TEST(SignCli, ServiceS3ImpliesS3RulesAndAddsContentSha) {
  const auto r = run_sign(
      {"--method", "GET", "--url", "https://b.s3.amazonaws.com/a/../b%20c", "--region", "us-east-1",
       "--service", "s3", "--time", "20130524T000000Z", "--format", "headers"},
      kCreds);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find(
          "X-Amz-Content-SHA256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      std::string::npos);
  const auto j =
      run_sign({"--method", "GET", "--url", "https://b.s3.amazonaws.com/a/../b%20c", "--region",
                "us-east-1", "--service", "s3", "--time", "20130524T000000Z"},
               kCreds);
  EXPECT_NE(j.out.find("\"canonical_request\": \"GET\\n/a/../b%20c\\n"), std::string::npos)
      << j.out;
}

TEST(SignCli, UnsignedPayloadOnNonS3AddsTheSignedLiteralHeader) {
  auto args = iam_args();
  args.insert(args.end(), {"--unsigned-payload", "--data", "ignored body", "--format", "headers"});
  const auto r = run_sign(args, kCreds);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("X-Amz-Content-SHA256: UNSIGNED-PAYLOAD"), std::string::npos);
}

TEST(SignCli, PresignPutsTokenInQueryAndS3UsesUnsignedPayload) {
  const auto r = run_sign(
      {"--method", "GET", "--url", "https://examplebucket.s3.amazonaws.com/test.txt", "--region",
       "us-east-1", "--service", "s3", "--time", "20130524T000000Z", "--presign", "86400"},
      {{"AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"},
       {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The S3 documentation's presigned URL example.
  EXPECT_NE(
      r.out.find(
          "\"url\": "
          "\"https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
          "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&"
          "X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&"
          "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404\""),
      std::string::npos)
      << r.out;
  auto args = iam_args();
  args.insert(args.end(), {"--presign", "60", "--format", "headers"});
  const auto t = run_sign(args, with_token("a/b+c"));
  EXPECT_EQ(t.exit_code, 0);
  EXPECT_NE(t.out.find("X-Amz-Security-Token=a%2Fb%2Bc"), std::string::npos) << t.out;
}

TEST(SignCli, PresignOutsideOneToSevenDaysIsAUsageError) {
  for (const std::string bad : {"0", "604801", "-5", "1.5", "ten"}) {
    auto args = iam_args();
    args.insert(args.end(), {"--presign", bad});
    const auto r = run_sign(args, kCreds);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_EQ(r.err, "awsauth sign: invalid --presign '" + bad +
                         "' (expected whole seconds from 1 to 604800)\n"
                         "Run 'awsauth sign --help' for the options.\n");
  }
  auto args = iam_args();
  args.insert(args.end(), {"--presign", "604800"});
  EXPECT_EQ(run_sign(args, kCreds).exit_code, 0);
}

// Every usage error: one line saying what is wrong, one line pointing at the help, exit 2.
TEST(SignCli, UsageErrorsExitTwoWithTheMessageAndAPointerAtTheHelp) {
  const std::vector<std::string> base = {"--method", "GET", "--url",     "https://h/",
                                         "--region", "r",   "--service", "s"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--bogus"}, "unknown option '--bogus'"},
      {{"--method", "GET"}, "missing required option '--url'"},
      {{"--method", "GET", "--url", "not a url", "--region", "r", "--service", "s"},
       "invalid --url: URL 'not a url' has no scheme (expected https://host/...)"},
      {with({"--time", "2015-08-30"}),
       "invalid --time '2015-08-30' (expected YYYYMMDDTHHMMSSZ, e.g. 20150830T123600Z)"},
      {with({"--format", "xml"}),
       "invalid value 'xml' for '--format' (expected json, headers or curl)"},
      {with({"-H", "NoColon"}), "header 'NoColon' is not in the form 'Name: value'"},
      {with({"--data", "a", "--data-file", "/dev/null"}),
       "options '--data' and '--data-file' cannot be used together"},
      {with({"--presign"}), "option '--presign' needs a value (SECONDS)"},
      {with({"--regoin", "r"}), "unknown option '--regoin' (did you mean '--region'?)"},
      {with({"--url", "https://h2/"}), "option '--url' given more than once"},
      {with({"--s3=yes"}), "option '--s3' takes no value"},
      {with({"extra"}), "unexpected argument 'extra'"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = run_sign(args, kCreds);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_EQ(r.err, "awsauth sign: " + message + "\nRun 'awsauth sign --help' for the options.\n");
    EXPECT_TRUE(r.out.empty());
  }
}

TEST(SignCli, MissingCredentialsIsARuntimeFailureThatNamesTheVariables) {
  const auto r = run_sign(iam_args());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

TEST(SignCli, DataFileIsHashedLikeData) {
  const auto path =
      std::filesystem::temp_directory_path() / ("awsauth_body_" + std::to_string(::getpid()));
  std::ofstream(path) << "Action=GetCallerIdentity&Version=2011-06-15";
  auto base = std::vector<std::string>{"--method",  "POST",
                                       "--url",     "https://sts.amazonaws.com/",
                                       "--region",  "us-east-1",
                                       "--service", "sts",
                                       "--time",    "20150830T123600Z"};
  auto a = base;
  a.insert(a.end(), {"--data", "Action=GetCallerIdentity&Version=2011-06-15"});
  auto b = base;
  b.insert(b.end(), {"--data-file", path.string()});
  const auto ra = run_sign(a, kCreds);
  const auto rb = run_sign(b, kCreds);
  std::filesystem::remove(path);
  EXPECT_EQ(ra.exit_code, 0);
  EXPECT_EQ(ra.out, rb.out);
  auto c = base;
  c.insert(c.end(), {"--data-file", "/nonexistent/awsauth-body"});
  const auto rc = run_sign(c, kCreds);
  EXPECT_EQ(rc.exit_code, 1);
  EXPECT_NE(rc.err.find("/nonexistent/awsauth-body"), std::string::npos);
}

TEST(SignCli, CurlFormatIsARunnableCommandWithTheSignedHeaders) {
  auto args = iam_args();
  args.insert(args.end(), {"--format", "curl", "-H", "X-Empty:"});
  const auto r = run_sign(args, kCreds);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(
      r.out.rfind("curl -X 'GET' 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'",
                  0),
      0u);
  EXPECT_NE(r.out.find("-H 'X-Empty;'"), std::string::npos);
  EXPECT_NE(r.out.find("-H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
            std::string::npos);
}

}  // namespace
