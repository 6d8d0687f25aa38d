// `awsauth sign --sigv4a [--region-set R1,R2]` on the built binary: the flags, the output keys
// shared with SigV4, and printed signatures that verify against the credentials' public key
// (ECDSA is randomized: a SigV4a signature is verified, never compared).

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "awsauth/signer/sigv4a.hpp"
#include "cli_run.hpp"
#include "paths.hpp"

namespace {

using awsauth::test::CliResult;
using Env = std::map<std::string, std::string>;
namespace fs = std::filesystem;

const Env kCreds = {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                    {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}};

fs::path vanilla_case() {
  return fs::path(awsauth::test::shared_dir()) / "testdata" / "sigv4-suite" / "v4a" / "get-vanilla";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Poco::JSON::Object::Ptr parse_json(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// The public key of the example credentials, from the suite (not from our derivation).
std::string public_key() {
  const auto pk = parse_json(read_file(vanilla_case() / "public-key.json"));
  return pk->getValue<std::string>("X") + pk->getValue<std::string>("Y");
}

CliResult run_sign(std::vector<std::string> args, const Env& env = kCreds) {
  args.insert(args.begin(), "sign");
  return awsauth::test::run_cli(args, env);
}

std::vector<std::string> vanilla_args() {
  return {"--sigv4a",
          "--region-set",
          "us-east-1",
          "--method",
          "GET",
          "--url",
          "https://example.amazonaws.com/",
          "--service",
          "service",
          "--time",
          "20150830T123600Z"};
}

TEST(SignSigV4aCli, VanillaCaseMatchesTheSuiteAndThePrintedSignatureVerifies) {
  auto args = vanilla_args();
  args.insert(args.end(), {"--format", "json"});
  const auto r = run_sign(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = parse_json(r.out);
  // The SigV4 output keys, unchanged.
  for (const char* key :
       {"method", "url", "amz_date", "credential_scope", "payload_hash", "canonical_request",
        "string_to_sign", "signed_headers", "signature", "headers"}) {
    EXPECT_TRUE(json->has(key)) << key;
  }
  EXPECT_EQ(json->getValue<std::string>("canonical_request"),
            read_file(vanilla_case() / "header-canonical-request.txt"));
  const std::string sts = json->getValue<std::string>("string_to_sign");
  EXPECT_EQ(sts, read_file(vanilla_case() / "header-string-to-sign.txt"));
  EXPECT_EQ(json->getValue<std::string>("credential_scope"), "20150830/service/aws4_request");
  const std::string signature = json->getValue<std::string>("signature");
  EXPECT_TRUE(awsauth::signer::verify_sigv4a(sts, signature, public_key())) << signature;
  const auto headers = json->getObject("headers");
  EXPECT_EQ(headers->getValue<std::string>("X-Amz-Region-Set"), "us-east-1");
  EXPECT_EQ(headers->getValue<std::string>("Authorization"),
            "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, "
            "SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=" +
                signature);
}

TEST(SignSigV4aCli, PresignedUrlCarriesTheRegionSetAndASignatureThatVerifies) {
  auto args = vanilla_args();
  args[2] = "us-east-1,us-west-2";
  args.insert(args.end(), {"--presign", "3600", "--format", "json"});
  const auto r = run_sign(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = parse_json(r.out);
  const std::string url = json->getValue<std::string>("url");
  EXPECT_EQ(url.rfind("https://example.amazonaws.com/?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&", 0),
            0u)
      << url;
  EXPECT_NE(url.find("&X-Amz-Region-Set=us-east-1%2Cus-west-2&"), std::string::npos) << url;
  const auto at = url.find("&X-Amz-Signature=");
  ASSERT_NE(at, std::string::npos);
  const std::string signature = url.substr(at + 17);
  EXPECT_EQ(signature, json->getValue<std::string>("signature"));
  EXPECT_TRUE(awsauth::signer::verify_sigv4a(json->getValue<std::string>("string_to_sign"),
                                             signature, public_key()));
  EXPECT_EQ(json->getObject("headers")->size(), 0u);
}

TEST(SignSigV4aCli, WithoutRegionSetTheRegionIsTheSetAndNeverInTheScope) {
  const auto r = run_sign({"--sigv4a", "--region", "eu-west-3", "--method", "GET", "--url",
                           "https://example.amazonaws.com/", "--service", "service", "--time",
                           "20150830T123600Z", "--format", "headers"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nX-Amz-Region-Set: eu-west-3\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Credential=AKIDEXAMPLE/20150830/service/aws4_request,"), std::string::npos);
}

TEST(SignSigV4aCli, RegionIsIgnoredForTheScopeWhenARegionSetIsGiven) {
  auto args = vanilla_args();
  args.insert(args.end(), {"--region", "ap-south-1", "--format", "json"});
  const auto r = run_sign(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("ap-south-1"), std::string::npos) << r.out;
  EXPECT_EQ(parse_json(r.out)->getValue<std::string>("canonical_request"),
            read_file(vanilla_case() / "header-canonical-request.txt"));
}

TEST(SignSigV4aCli, CurlFormatSendsTheRegionSetHeader) {
  auto args = vanilla_args();
  args.insert(args.end(), {"--format", "curl"});
  const auto r = run_sign(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(" -H 'X-Amz-Region-Set: us-east-1'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" -H 'Authorization: AWS4-ECDSA-P256-SHA256 Credential="),
            std::string::npos);
}

TEST(SignSigV4aCli, UsageErrorsExitTwoWithTheReason) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--region-set", "us-east-1", "--region", "r", "--method", "GET", "--url", "https://h/",
        "--service", "s"},
       "--region-set is the SigV4a region set: it needs --sigv4a"},
      {{"--sigv4a", "--method", "GET", "--url", "https://h/", "--service", "s"},
       "missing required option '--region'"},
      {{"--sigv4a", "--region-set", "", "--method", "GET", "--url", "https://h/", "--service", "s"},
       "--region-set must not be empty (e.g. --region-set us-east-1,us-west-2)"},
      {{"--sigv4a", "--region-set", "us-east-1,,us-west-2", "--method", "GET", "--url",
        "https://h/", "--service", "s"},
       "SigV4a region set 'us-east-1,,us-west-2' has an empty entry (expected names separated by "
       "single commas)"},
      {{"--sigv4a=yes", "--region", "r", "--method", "GET", "--url", "https://h/", "--service",
        "s"},
       "option '--sigv4a' takes no value"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = run_sign(args);
    EXPECT_EQ(r.exit_code, 2) << message;
    EXPECT_EQ(r.err, "awsauth sign: " + message + "\nRun 'awsauth sign --help' for the options.\n");
    EXPECT_TRUE(r.out.empty());
  }
}

TEST(SignSigV4aCli, HelpNamesBothFlags) {
  const auto r = run_sign({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--sigv4a"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--region-set R1,R2"), std::string::npos) << r.out;
}

}  // namespace
