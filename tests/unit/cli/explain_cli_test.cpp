// `awsauth explain` as a command: re-signing from the sign flags (with the date taken from the
// error body), its exit codes and its messages. The bodies are the recorded ones of
// tests/unit/signer/explain_bodies/ (botocore's side, see explain_test.cpp).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_run.hpp"
#include "paths.hpp"

namespace {

using awsauth::test::CliResult;

std::string recorded(const std::string& name) {
  return awsauth::test::source_dir() + "/tests/unit/signer/explain_bodies/" + name;
}

CliResult explain(std::vector<std::string> args) {
  args.insert(args.begin(), "explain");
  return awsauth::test::run_cli(
      args, {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}, {"AWS_SECRET_ACCESS_KEY", "some-secret"}});
}

const std::vector<std::string> kS3Flags = {
    "--method",  "GET",
    "--url",     "https://examplebucket.s3.amazonaws.com/photos/cat.jpg?list-type=2&prefix=a",
    "--region",  "us-east-1",
    "--service", "s3",
    "-H",        "Content-Type: text/plain",
    "-H",        "X-Amz-Meta-Tags: a,b"};

TEST(ExplainCli, ReSignsFromTheSignFlagsAtTheDateTheServiceSaw) {
  std::vector<std::string> args{"--error-body", recorded("s3_header_changed.xml")};
  args.insert(args.end(), kS3Flags.begin(), kS3Flags.end());
  const CliResult r = explain(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Only the rewritten header and the hash differ: the date came from the body.
  EXPECT_NE(r.out.find("canonical request, header content-type:\n  - text/plain\n"
                       "  + application/octet-stream\n"
                       "string to sign, canonical request hash:\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("date"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("likely cause: signed header changed:"), std::string::npos) << r.out;
}

TEST(ExplainCli, AnExplicitTimeIsUsedAndShowsAsClockSkew) {
  std::vector<std::string> args{"--error-body", recorded("s3_same_texts.xml"), "--time",
                                "20240102T031000Z"};
  args.insert(args.end(), kS3Flags.begin(), kS3Flags.end());
  const CliResult r = explain(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("likely cause: clock skew:"), std::string::npos) << r.out;
}

TEST(ExplainCli, ABodyThatIsNotAnAwsErrorIsExitOneNamingTheFile) {
  std::vector<std::string> args{"--error-body", awsauth::test::source_dir() + "/README.md"};
  args.insert(args.end(), kS3Flags.begin(), kS3Flags.end());
  const CliResult r = explain(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("README.md' is not an AWS error body"), std::string::npos) << r.err;
}

TEST(ExplainCli, ALogWithoutCurlVerboseOutputIsExitOne) {
  const CliResult r = explain({"--error-body", recorded("s3_same_texts.xml"), "--curl-log",
                               recorded("api_wrong_region.json")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("holds no '* canonical request:'"), std::string::npos) << r.err;
}

TEST(ExplainCli, BothOrNeitherRequestSourceIsAUsageError) {
  EXPECT_EQ(explain({"--error-body", recorded("s3_same_texts.xml")}).exit_code, 2);
  std::vector<std::string> both{"--error-body", recorded("s3_same_texts.xml"), "--curl-log", "x"};
  both.insert(both.end(), kS3Flags.begin(), kS3Flags.end());
  const CliResult r = explain(both);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not both"), std::string::npos) << r.err;
}

}  // namespace
