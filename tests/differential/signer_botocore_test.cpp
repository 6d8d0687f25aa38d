// Differential test: 2,400 generated requests signed by awsauth and by botocore (one Python
// process, fixed seed) must carry identical signatures. The generator and the reasons for how
// each request reaches botocore are in signer_oracle.py.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "awsauth/signer/signer.hpp"
#include "paths.hpp"
#include "python_oracle.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

constexpr int kCount = 2400;
constexpr int kSeed = 20260522;

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::vector<Poco::JSON::Object::Ptr> run_oracle() {
  return test::run_json_lines_oracle(
      "signer_oracle.py", "--seed " + std::to_string(kSeed) + " --count " + std::to_string(kCount));
}

TEST(SignerMatchesBotocore, GeneratedRequestsHaveIdenticalSignatures) {
  const auto cases = run_oracle();
  ASSERT_EQ(cases.size(), static_cast<std::size_t>(kCount));

  const Credentials plain(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});
  const Credentials with_token(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
       .session_token = SecretString(
           "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example/token==")});

  std::map<std::string, int> seen;
  int mismatches = 0;
  for (const auto& c : cases) {
    const bool s3 = c->getValue<bool>("s3");
    const bool presign = c->getValue<bool>("presign");
    const bool token = c->getValue<bool>("token");
    const bool unsigned_payload = c->getValue<bool>("unsigned");
    auto req = parse_url(c->getValue<std::string>("method"), c->getValue<std::string>("url"));
    auto headers = c->getArray("headers");
    for (unsigned i = 0; i < headers->size(); ++i) {
      auto h = headers->getArray(i);
      req.headers.push_back({h->getElement<std::string>(0), h->getElement<std::string>(1)});
    }
    const std::string body = from_hex(c->getValue<std::string>("body_hex"));
    // The same settings `awsauth sign` derives from its flags.
    auto s = SigningSettings::for_service(c->getValue<std::string>("region"),
                                          c->getValue<std::string>("service"));
    s.add_content_sha256 = s3 || unsigned_payload;
    if (presign) {
      s.presign_expires = c->getValue<unsigned>("expires");
    }
    const Payload payload = (unsigned_payload || (presign && s3)) ? Payload::unsigned_payload()
                                                                  : Payload::from_bytes(body);
    const auto r = sign(req, payload, token ? with_token : plain, s,
                        *parse_amz_date(c->getValue<std::string>("time")));
    seen[s3 ? "s3" : "non-s3"]++;
    seen[presign ? "presign" : "header"]++;
    if (token) seen["token"]++;
    if (unsigned_payload) seen["unsigned"]++;
    if (req.query.find('+') != std::string::npos) seen["plus in query"]++;
    if (req.path.find("%25") != std::string::npos || req.path.find("%E") != std::string::npos)
      seen["encoded path"]++;
    if (req.path.find("/./") != std::string::npos || req.path.find("/../") != std::string::npos)
      seen["dot segments"]++;
    if (r.canonical_request.find(",") != std::string::npos && !presign) seen["joined header"]++;
    if (r.signature != c->getValue<std::string>("botocore_signature")) {
      if (++mismatches <= 5) {
        ADD_FAILURE() << "case " << c->getValue<int>("id") << " "
                      << c->getValue<std::string>("method") << " "
                      << c->getValue<std::string>("url") << "\nawsauth canonical request:\n"
                      << r.canonical_request << "\nbotocore canonical request:\n"
                      << c->getValue<std::string>("botocore_canonical_request");
      }
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << cases.size() << " requests";
  // The generated mix really covers what the issue lists.
  for (const char* k : {"s3", "non-s3", "presign", "header", "token", "unsigned", "plus in query",
                        "encoded path", "dot segments", "joined header"}) {
    EXPECT_GE(seen[k], 20) << k;
  }
}

}  // namespace

namespace {

TEST(SignerBotocoreOracle, ExitsNonZeroWhenBotocoreCannotBeImported) {
  // A `botocore` package that fails to import, first on the path: the oracle must say so and
  // exit non-zero (which run_oracle turns into a test failure), never produce an empty run.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("awsauth_no_botocore_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "botocore");
  std::ofstream(dir / "botocore" / "__init__.py") << "raise ImportError('simulated')\n";
  const std::string cmd = "PYTHONPATH='" + dir.string() + "' python3 '" + test::source_dir() +
                          "/tests/differential/signer_oracle.py' --seed 1 --count 3 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string text;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  const int status = ::pclose(p);
  std::filesystem::remove_all(dir);
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("cannot import botocore"), std::string::npos) << text;
}

}  // namespace
