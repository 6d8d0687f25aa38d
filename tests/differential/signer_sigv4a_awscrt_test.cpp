// Differential test: generated requests signed with SigV4a by awsauth and by aws-c-auth (through
// python3-awscrt, Debian's /usr/bin/python3; see sigv4a_awscrt_oracle.py). awscrt does not
// expose its canonical request, so: the headers / query parameters both add must be identical
// except the signature; awscrt's signature must verify with our public key over our string to
// sign (which it only does if both built the same string to sign); and every one of our
// signatures must verify in Python's `cryptography` with a key the oracle derives itself.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/signer/signer.hpp"
#include "awsauth/signer/sigv4a.hpp"
#include "python_oracle.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

constexpr int kCount = 600;
constexpr int kSeed = 20260901;
constexpr const char* kPython = "/usr/bin/python3";

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out.append(buf);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

bool awscrt_available() {
  return std::system((std::string(kPython) + " -c 'import awscrt' >/dev/null 2>&1").c_str()) == 0;
}

// The headers the signer adds, by lowercase name; Authorization without its signature.
using Added = std::multiset<std::pair<std::string, std::string>>;

bool signer_added(const std::string& lower_name) {
  return lower_name == "x-amz-date" || lower_name == "x-amz-region-set" ||
         lower_name == "x-amz-security-token" || lower_name == "x-amz-content-sha256" ||
         lower_name == "authorization";
}

// Splits off `Signature=...` (header) into `signature`.
void add_header(Added& out, const std::string& name, std::string value, std::string& signature) {
  const std::string lower = detail::ascii_lower(name);
  if (!signer_added(lower)) return;
  if (lower == "authorization") {
    const auto at = value.find("Signature=");
    if (at != std::string::npos) {
      signature = value.substr(at + 10);
      value.resize(at);
    }
  }
  out.insert({lower, value});
}

// The query's pairs except X-Amz-Signature, which goes to `signature`.
std::multiset<std::string> query_pairs(const std::string& query, std::string& signature) {
  std::multiset<std::string> out;
  std::stringstream ss(query);
  std::string item;
  while (std::getline(ss, item, '&')) {
    if (item.rfind("X-Amz-Signature=", 0) == 0) {
      signature = item.substr(16);
    } else if (!item.empty()) {
      out.insert(item);
    }
  }
  return out;
}

TEST(SigV4aMatchesAwscrt, GeneratedRequestsAddTheSameHeadersAndQueryAndSignaturesCrossVerify) {
  if (!awscrt_available()) {
    GTEST_SKIP() << kPython << " cannot import awscrt (install python3-awscrt: "
                 << "bash .ci/install-packages python3-awscrt)";
  }
  const auto lines = test::run_json_lines_oracle(
      "sigv4a_awscrt_oracle.py",
      "generate --seed " + std::to_string(kSeed) + " --count " + std::to_string(kCount),
      std::nullopt, kPython);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kCount + 1));
  const std::string python_public_key = lines[0]->getValue<std::string>("public_key");

  const Credentials plain(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});
  const Credentials with_token(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
       .session_token = SecretString(
           "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example/token==")});
  const std::string our_public_key =
      derive_sigv4a_key(plain.access_key_id(), plain.secret_access_key().reveal())
          ->public_key_hex();
  EXPECT_EQ(our_public_key, python_public_key) << "the two key derivations differ";

  std::map<std::string, int> seen;
  int mismatches = 0;
  std::string to_verify;  // our (string to sign, signature) pairs, for the Python verifier
  for (std::size_t n = 1; n < lines.size(); ++n) {
    const auto& c = lines[n];
    const bool presign = c->getValue<bool>("presign");
    const bool s3 = c->getValue<bool>("s3");
    const bool token = c->getValue<bool>("token");
    Request req;
    req.method = c->getValue<std::string>("method");
    req.path = c->getValue<std::string>("path");
    req.query = c->getValue<std::string>("query");
    auto headers = c->getArray("headers");
    for (unsigned i = 0; i < headers->size(); ++i) {
      auto h = headers->getArray(i);
      req.headers.push_back({h->getElement<std::string>(0), h->getElement<std::string>(1)});
    }
    SigningSettings s;
    s.algorithm = SigningAlgorithm::V4a;
    s.region_set = c->getValue<std::string>("region_set");
    s.service = c->getValue<std::string>("service");
    s.normalize_path = !s3;
    s.double_encode = !s3;
    s.add_content_sha256 = c->getValue<bool>("add_sha");
    s.omit_session_token = c->getValue<bool>("omit_token");
    if (presign) s.presign_expires = c->getValue<unsigned>("expires");
    const Payload payload =
        c->getValue<bool>("unsigned")
            ? Payload::unsigned_payload()
            : Payload::from_bytes(from_hex(c->getValue<std::string>("body_hex")));
    const auto r = sign(req, payload, token ? with_token : plain, s,
                        *parse_amz_date(c->getValue<std::string>("time")));
    seen[presign ? "presign" : "header"]++;
    seen[s3 ? "s3" : "non-s3"]++;
    if (token) seen[s.omit_session_token ? "omitted token" : "token"]++;
    if (s.region_set.find(',') != std::string::npos) seen["multi-region"]++;
    if (!req.query.empty()) seen["query"]++;

    std::string theirs_signature;
    std::string ours_signature;
    bool same = false;
    if (presign) {
      const std::string path = c->getValue<std::string>("awscrt_path");
      const auto q = path.find('?');
      const std::string their_query = q == std::string::npos ? "" : path.substr(q + 1);
      same = query_pairs(their_query, theirs_signature) ==
             query_pairs(r.presigned_query, ours_signature);
    } else {
      Added theirs;
      Added ours;
      auto signed_headers = c->getArray("awscrt_headers");
      for (unsigned i = 0; i < signed_headers->size(); ++i) {
        auto h = signed_headers->getArray(i);
        add_header(theirs, h->getElement<std::string>(0), h->getElement<std::string>(1),
                   theirs_signature);
      }
      for (const auto& h : r.headers) add_header(ours, h.name, h.value, ours_signature);
      same = theirs == ours;
    }
    same = same && ours_signature == r.signature && !theirs_signature.empty();
    const bool theirs_verifies =
        same && verify_sigv4a(r.string_to_sign, theirs_signature, our_public_key);
    if (!same || !theirs_verifies) {
      if (++mismatches <= 5) {
        ADD_FAILURE() << "case " << c->getValue<int>("id") << " " << req.method << " " << req.path
                      << "?" << req.query << (presign ? " (presign)" : " (headers)")
                      << (same ? ": awscrt's signature does not verify over our string to sign"
                               : ": the added headers/query differ")
                      << "\nour canonical request:\n"
                      << r.canonical_request << "\nour presigned query: " << r.presigned_query
                      << "\nawscrt path: " << c->getValue<std::string>("awscrt_path");
      }
    }
    to_verify += "{\"string_to_sign\": " + json_string(r.string_to_sign) +
                 ", \"signature\": " + json_string(r.signature) + "}\n";
  }
  EXPECT_EQ(mismatches, 0) << "of " << kCount << " requests";
  for (const char* k :
       {"presign", "header", "s3", "non-s3", "token", "omitted token", "multi-region", "query"}) {
    EXPECT_GE(seen[k], 20) << k;
  }

  // Ours, checked by an implementation that is not ours.
  const auto verdicts =
      test::run_json_lines_oracle("sigv4a_awscrt_oracle.py", "verify", to_verify, kPython);
  ASSERT_EQ(verdicts.size(), static_cast<std::size_t>(kCount));
  int rejected = 0;
  for (const auto& v : verdicts) {
    if (!v->getValue<bool>("ok")) ++rejected;
  }
  EXPECT_EQ(rejected, 0) << "of our " << kCount << " signatures fail Python cryptography's check";
}

TEST(SigV4aAwscrtOracle, PythonVerifierRejectsAnAlteredSignature) {
  if (!awscrt_available()) {
    GTEST_SKIP() << kPython << " cannot import awscrt (install python3-awscrt)";
  }
  // The verifier must be able to say no, or the check above proves nothing.
  const auto key = derive_sigv4a_key("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  const std::string sig = key->sign("hello");
  std::string bad = sig;
  bad[bad.size() - 3] = bad[bad.size() - 3] == '0' ? '1' : '0';
  const auto verdicts = test::run_json_lines_oracle(
      "sigv4a_awscrt_oracle.py", "verify",
      "{\"string_to_sign\": \"hello\", \"signature\": \"" + sig + "\"}\n" +
          "{\"string_to_sign\": \"hello\", \"signature\": \"" + bad + "\"}\n" +
          "{\"string_to_sign\": \"hellO\", \"signature\": \"" + sig + "\"}\n",
      kPython);
  ASSERT_EQ(verdicts.size(), 3u);
  EXPECT_TRUE(verdicts[0]->getValue<bool>("ok"));
  EXPECT_FALSE(verdicts[1]->getValue<bool>("ok"));
  EXPECT_FALSE(verdicts[2]->getValue<bool>("ok"));
}

}  // namespace
