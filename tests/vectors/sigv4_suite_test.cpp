// The official SigV4 suite (aws-c-auth copy), the smithy-rs double-encoding cases and the AWS
// documentation examples, byte for byte. See ../shared/testdata/sigv4-suite/README.md.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "awsauth/signer/signer.hpp"
#include "paths.hpp"
#include "suite_request.hpp"

namespace fs = std::filesystem;
using namespace awsauth;
using namespace awsauth::signer;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + p.string());
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path suite_dir() { return fs::path(test::shared_dir()) / "testdata" / "sigv4-suite"; }

using ParsedRequest = test::SuiteRequest;

ParsedRequest parse_request_txt(const std::string& text) { return test::parse_suite_request(text); }

TimePoint at(const std::string& amz_date) {
  auto t = parse_amz_date(amz_date);
  if (!t) {
    throw std::runtime_error("bad time " + amz_date);
  }
  return *t;
}

struct SuiteCase {
  std::string name;
};

std::vector<std::string> suite_cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(suite_dir() / "v4")) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class SigV4Suite : public ::testing::TestWithParam<std::string> {};

void check_mode(const std::string& name, bool query_mode) {
  const fs::path dir = suite_dir() / "v4" / name;
  Poco::JSON::Parser parser;
  auto ctx = parser.parse(read_file(dir / "context.json")).extract<Poco::JSON::Object::Ptr>();
  auto creds_json = ctx->getObject("credentials");
  CredentialsInit init{
      .access_key_id = creds_json->getValue<std::string>("access_key_id"),
      .secret_access_key = SecretString(creds_json->getValue<std::string>("secret_access_key"))};
  if (creds_json->has("token")) {
    init.session_token = SecretString(creds_json->getValue<std::string>("token"));
  }
  const Credentials creds(std::move(init));
  SigningSettings s;
  s.region = ctx->getValue<std::string>("region");
  s.service = ctx->getValue<std::string>("service");
  s.normalize_path = ctx->getValue<bool>("normalize");
  s.double_encode = true;
  s.omit_session_token =
      ctx->has("omit_session_token") && ctx->getValue<bool>("omit_session_token");
  const bool sign_body = ctx->getValue<bool>("sign_body");
  s.add_content_sha256 = sign_body;
  if (query_mode) {
    s.presign_expires = ctx->getValue<unsigned>("expiration_in_seconds");
  }
  std::string ts = ctx->getValue<std::string>("timestamp");  // 2015-08-30T12:36:00Z
  std::string amz = ts.substr(0, 4) + ts.substr(5, 2) + ts.substr(8, 2) + "T" + ts.substr(11, 2) +
                    ts.substr(14, 2) + ts.substr(17, 2) + "Z";
  auto parsed = parse_request_txt(read_file(dir / "request.txt"));
  const Payload payload = sign_body ? Payload::from_bytes(parsed.body) : Payload();
  const auto r = sign(parsed.request, payload, creds, s, at(amz));
  const std::string mode = query_mode ? "query" : "header";
  EXPECT_EQ(r.canonical_request, read_file(dir / (mode + "-canonical-request.txt")))
      << name << " " << mode;
  EXPECT_EQ(r.string_to_sign, read_file(dir / (mode + "-string-to-sign.txt")))
      << name << " " << mode;
  EXPECT_EQ(r.signature, read_file(dir / (mode + "-signature.txt"))) << name << " " << mode;

  // End to end: the signed request carries the expected added headers / query parameters.
  const std::string signed_text = read_file(dir / (mode + "-signed-request.txt"));
  if (!query_mode) {
    // Header names compare case-insensitively (the file writes x-amz-content-sha256).
    std::string lowered;
    std::stringstream lines(signed_text);
    std::string line;
    while (std::getline(lines, line)) {
      const auto colon = line.find(':');
      for (std::size_t i = 0; i < colon && colon != std::string::npos; ++i) {
        line[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
      }
      lowered += "\n" + line + "\n";
    }
    for (const auto& h : r.headers) {
      std::string name = h.name;
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_NE(lowered.find("\n" + name + ":" + h.value + "\n"), std::string::npos)
          << name << ": signed request lacks " << h.name;
    }
  } else {
    const auto first = signed_text.substr(0, signed_text.find('\n'));
    const auto qpos = first.find('?');
    const std::string expected_query = first.substr(qpos + 1, first.size() - qpos - 1 - 9);
    auto split = [](const std::string& q) {
      std::multiset<std::string> out;
      std::stringstream ss(q);
      std::string item;
      while (std::getline(ss, item, '&')) out.insert(item);
      return out;
    };
    EXPECT_EQ(split(r.presigned_query), split(expected_query)) << name;
  }
}

TEST_P(SigV4Suite, HeaderModeMatchesCanonicalRequestStringToSignAndSignature) {
  check_mode(GetParam(), false);
}

TEST_P(SigV4Suite, QueryModeMatchesCanonicalRequestStringToSignAndSignature) {
  check_mode(GetParam(), true);
}

INSTANTIATE_TEST_SUITE_P(V4, SigV4Suite, ::testing::ValuesIn(suite_cases()), [](const auto& info) {
  std::string n = info.param;
  for (auto& c : n)
    if (c == '-') c = '_';
  return n;
});

TEST(SigV4SuiteCount, HasAllThirtyEightCases) { EXPECT_EQ(suite_cases().size(), 38u); }

TEST(SmithyRsDoubleEncoding, AlreadyEncodedLambdaPathIsEncodedAgainAndSignatureMatches) {
  const fs::path dir = suite_dir() / "extra-smithy-rs" / "v4" / "double-url-encode";
  auto parsed = parse_request_txt(read_file(dir / "request.txt"));
  const Credentials creds(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});
  auto s = SigningSettings::for_service("us-east-2", "lambda");
  const auto r = sign(parsed.request, Payload(), creds, s, at("20210511T154045Z"));
  EXPECT_EQ(r.canonical_request, read_file(dir / "header-canonical-request.txt"));
  // This older-format file (unlike the v4/ ones) ends with a newline.
  EXPECT_EQ(r.string_to_sign + "\n", read_file(dir / "header-string-to-sign.txt"));
  EXPECT_NE(read_file(dir / "header-signed-request.txt").find("Signature=" + r.signature),
            std::string::npos);
}

TEST(SmithyRsDoubleEncoding, AtSignAndEscapedEqualsAreEncodedInTheCanonicalPath) {
  const fs::path dir = suite_dir() / "extra-smithy-rs" / "v4" / "double-encode-path";
  auto parsed = parse_request_txt(read_file(dir / "request.txt"));
  const std::string expected = read_file(dir / "header-canonical-request.txt");
  const auto line2 = expected.substr(expected.find('\n') + 1);
  EXPECT_EQ(
      canonical_uri(parsed.request.path, SigningSettings::for_service("us-east-1", "service")),
      line2.substr(0, line2.find('\n')));
  // The signed-request file was made at 20150830T123600Z with the smithy-rs dummy keys.
  const Credentials creds({.access_key_id = "ANOTREAL",
                           .secret_access_key = SecretString("notrealrnrELgWzOk3IfjzDKtFBhDby")});
  const auto r = sign(parsed.request, Payload(), creds,
                      SigningSettings::for_service("us-east-1", "service"), at("20150830T123600Z"));
  EXPECT_NE(read_file(dir / "header-signed-request.txt").find("Signature=" + r.signature),
            std::string::npos)
      << r.canonical_request;
}

class AwsDocsExamples : public ::testing::TestWithParam<std::string> {};

Poco::JSON::Object::Ptr docs_cases() {
  static Poco::JSON::Object::Ptr cases = [] {
    Poco::JSON::Parser parser;
    auto root = parser.parse(read_file(suite_dir() / "aws-docs" / "aws-docs-examples.json"))
                    .extract<Poco::JSON::Object::Ptr>();
    return root->getObject("cases");
  }();
  return cases;
}

std::vector<std::string> docs_case_names() {
  std::vector<std::string> names;
  docs_cases()->getNames(names);
  return names;
}

TEST_P(AwsDocsExamples, MatchesThePublishedCanonicalRequestKeyAndSignature) {
  auto c = docs_cases()->getObject(GetParam());
  auto cj = c->getObject("credentials");
  const Credentials creds(
      {.access_key_id = cj->getValue<std::string>("access_key_id"),
       .secret_access_key = SecretString(cj->getValue<std::string>("secret_access_key"))});
  auto rq = c->getObject("request");
  auto req = parse_url(rq->getValue<std::string>("method"), rq->getValue<std::string>("url"));
  auto headers = rq->getArray("headers");
  for (std::size_t i = 0; i < headers->size(); ++i) {
    auto pair = headers->getArray(static_cast<unsigned>(i));
    req.headers.push_back({pair->getElement<std::string>(0), pair->getElement<std::string>(1)});
  }
  auto s = SigningSettings::for_service(c->getValue<std::string>("region"),
                                        c->getValue<std::string>("service"));
  Payload payload = Payload::from_bytes(rq->getValue<std::string>("body"));
  if (rq->has("expires_in_seconds")) {
    s.presign_expires = rq->getValue<unsigned>("expires_in_seconds");
    payload = Payload::unsigned_payload();  // S3 presigned URLs
  } else if (c->getValue<std::string>("service") != "s3") {
    // IAM: the walkthrough's request carries no x-amz-content-sha256.
  }
  const auto r = sign(req, payload, creds, s, at(c->getValue<std::string>("x_amz_date")));
  EXPECT_EQ(r.canonical_request, c->getValue<std::string>("canonical_request"));
  EXPECT_EQ(r.string_to_sign, c->getValue<std::string>("string_to_sign"));
  EXPECT_EQ(r.signing_key.hex(), c->getValue<std::string>("signing_key_hex"));
  EXPECT_EQ(r.signature, c->getValue<std::string>("signature"));
  if (c->has("presigned_url")) {
    EXPECT_EQ(r.presigned_url, c->getValue<std::string>("presigned_url"));
  }
}

INSTANTIATE_TEST_SUITE_P(Docs, AwsDocsExamples, ::testing::ValuesIn(docs_case_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
