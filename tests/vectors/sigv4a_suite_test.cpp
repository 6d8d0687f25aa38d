// The SigV4a half of the aws-c-auth suite (../shared/testdata/sigv4-suite/v4a, README.md) and
// the derived-key intermediates of sigv4a-derived-keys.json. ECDSA signatures are randomized,
// so signatures are verified against the published public key, never compared.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "awsauth/signer/signer.hpp"
#include "awsauth/signer/sigv4a.hpp"
#include "paths.hpp"
#include "signer/src/sigv4a_kdf.hpp"
#include "suite_request.hpp"

namespace fs = std::filesystem;
using namespace awsauth;
using namespace awsauth::signer;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path suite_dir() { return fs::path(test::shared_dir()) / "testdata" / "sigv4-suite"; }

Poco::JSON::Object::Ptr read_json(const fs::path& p) {
  Poco::JSON::Parser parser;
  return parser.parse(read_file(p)).extract<Poco::JSON::Object::Ptr>();
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

template <std::size_t N>
std::string to_hex(const std::array<std::uint8_t, N>& bytes) {
  return to_hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), N));
}

// Whether `hex` is a minimal DER ECDSA-Sig-Value over P-256: SEQUENCE { INTEGER r, INTEGER s },
// each integer positive, 1..33 bytes, without a superfluous leading zero. Its length varies: an
// integer whose top bit is set takes a zero byte in front, one whose top byte is zero loses it,
// so the hex is 136-144 characters most of the time and shorter now and then, never fixed.
bool is_der_ecdsa_p256(const std::string& hex) {
  if (hex.size() % 2 != 0) return false;
  std::vector<unsigned char> der;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    der.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  if (der.size() < 8 || der[0] != 0x30 || der[1] != der.size() - 2) return false;
  std::size_t at = 2;
  for (int n = 0; n < 2; ++n) {
    if (at + 2 > der.size() || der[at] != 0x02) return false;
    const std::size_t len = der[at + 1];
    at += 2;
    if (len == 0 || len > 33 || at + len > der.size()) return false;
    if (der[at] & 0x80) return false;                                    // negative
    if (len > 1 && der[at] == 0 && !(der[at + 1] & 0x80)) return false;  // not minimal
    at += len;
  }
  return at == der.size();
}

// A case is complete when it has its expected outputs (README: 38 of the 40 folders).
bool complete(const fs::path& dir) {
  return fs::exists(dir / "public-key.json") && fs::exists(dir / "header-canonical-request.txt");
}

std::vector<std::string> complete_cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(suite_dir() / "v4a")) {
    if (complete(e.path())) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string public_key_of(const fs::path& dir) {
  const auto pk = read_json(dir / "public-key.json");
  return pk->getValue<std::string>("X") + pk->getValue<std::string>("Y");
}

struct Signed {
  SigningResult result;
  std::string public_key;  // of the key derived from the case's credentials
};

Signed sign_case(const fs::path& dir, bool query_mode) {
  const auto ctx = read_json(dir / "context.json");
  const auto cj = ctx->getObject("credentials");
  CredentialsInit init{
      .access_key_id = cj->getValue<std::string>("access_key_id"),
      .secret_access_key = SecretString(cj->getValue<std::string>("secret_access_key"))};
  if (cj->has("token")) init.session_token = SecretString(cj->getValue<std::string>("token"));
  const Credentials creds(std::move(init));
  SigningSettings s;
  s.algorithm = SigningAlgorithm::V4a;
  // In the v4a cases `region` is the region set; the region itself must not reach the scope.
  s.region = "region-not-in-the-scope";
  s.region_set = ctx->getValue<std::string>("region");
  s.service = ctx->getValue<std::string>("service");
  s.normalize_path = ctx->getValue<bool>("normalize");
  s.double_encode = true;
  s.omit_session_token =
      ctx->has("omit_session_token") && ctx->getValue<bool>("omit_session_token");
  const bool sign_body = ctx->getValue<bool>("sign_body");
  s.add_content_sha256 = sign_body;
  if (query_mode) s.presign_expires = ctx->getValue<unsigned>("expiration_in_seconds");
  const std::string ts = ctx->getValue<std::string>("timestamp");  // 2015-08-30T12:36:00Z
  const std::string amz = ts.substr(0, 4) + ts.substr(5, 2) + ts.substr(8, 2) + "T" +
                          ts.substr(11, 2) + ts.substr(14, 2) + ts.substr(17, 2) + "Z";
  const auto parsed = test::parse_suite_request(read_file(dir / "request.txt"));
  const Payload payload = sign_body ? Payload::from_bytes(parsed.body) : Payload();
  Signed out;
  out.result = sign(parsed.request, payload, creds, s, *parse_amz_date(amz));
  out.public_key = SigV4aKeyCache::shared()
                       .get(creds.access_key_id(), creds.secret_access_key().reveal())
                       ->public_key_hex();
  return out;
}

// `Signature=<hex>` out of an Authorization value, and the value before it.
std::pair<std::string, std::string> split_authorization(const std::string& value) {
  const auto at = value.find("Signature=");
  if (at == std::string::npos) return {value, ""};
  return {value.substr(0, at), value.substr(at + 10)};
}

class SigV4aSuite : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4aSuite, HeaderModeCanonicalRequestAndStringToSignMatchAndSignaturesVerify) {
  const fs::path dir = suite_dir() / "v4a" / GetParam();
  const auto [r, our_key] = sign_case(dir, false);
  const std::string public_key = public_key_of(dir);
  EXPECT_EQ(our_key, public_key);
  EXPECT_EQ(r.canonical_request, read_file(dir / "header-canonical-request.txt"));
  const std::string sts = read_file(dir / "header-string-to-sign.txt");
  EXPECT_EQ(r.string_to_sign, sts);
  EXPECT_EQ(r.credential_scope, "20150830/service/aws4_request");
  EXPECT_TRUE(r.scope.region.empty());
  // The published signature and ours verify over the expected string to sign.
  EXPECT_TRUE(verify_sigv4a(sts, read_file(dir / "header-signature.txt"), public_key));
  EXPECT_TRUE(verify_sigv4a(sts, r.signature, public_key)) << r.signature;
  EXPECT_TRUE(is_der_ecdsa_p256(r.signature)) << r.signature;

  // End to end: the added headers are those of the signed request (names case-insensitive);
  // Authorization matches up to its signature, which verifies, as does the file's own.
  const std::string signed_text = read_file(dir / "header-signed-request.txt");
  // Read with the request.txt parser: a folded value continues on the next lines.
  std::multiset<std::string> expected;
  std::string file_signature;
  for (const auto& h : test::parse_suite_request(signed_text).request.headers) {
    std::string name = h.name;
    std::string value = h.value;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "authorization") {
      auto [prefix, sig] = split_authorization(value);
      value = prefix;
      file_signature = sig;
    }
    expected.insert(name + ":" + value);
  }
  EXPECT_TRUE(verify_sigv4a(sts, file_signature, public_key)) << file_signature;
  const auto parsed = test::parse_suite_request(read_file(dir / "request.txt"));
  std::multiset<std::string> ours;
  for (const auto& h : parsed.request.headers) {
    std::string name = h.name;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ours.insert(name + ":" + h.value);
  }
  for (const auto& h : r.headers) {
    std::string name = h.name;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = h.value;
    if (name == "authorization") {
      auto [prefix, sig] = split_authorization(value);
      EXPECT_EQ(sig, r.signature);
      value = prefix;
    }
    ours.insert(name + ":" + value);
  }
  EXPECT_EQ(ours, expected);
}

TEST_P(SigV4aSuite, QueryModeCanonicalRequestAndStringToSignMatchAndSignaturesVerify) {
  const fs::path dir = suite_dir() / "v4a" / GetParam();
  const auto [r, our_key] = sign_case(dir, true);
  const std::string public_key = public_key_of(dir);
  EXPECT_EQ(our_key, public_key);
  EXPECT_EQ(r.canonical_request, read_file(dir / "query-canonical-request.txt"));
  const std::string sts = read_file(dir / "query-string-to-sign.txt");
  EXPECT_EQ(r.string_to_sign, sts);
  EXPECT_TRUE(verify_sigv4a(sts, read_file(dir / "query-signature.txt"), public_key));
  EXPECT_TRUE(verify_sigv4a(sts, r.signature, public_key)) << r.signature;
  EXPECT_TRUE(r.headers.empty());

  // The query as a set of pairs, the signature apart (verified instead).
  const std::string signed_text = read_file(dir / "query-signed-request.txt");
  const auto first = signed_text.substr(0, signed_text.find('\n'));
  const auto qpos = first.find('?');
  const std::string expected_query = first.substr(qpos + 1, first.size() - qpos - 1 - 9);
  auto split = [](const std::string& q, std::string& signature) {
    std::multiset<std::string> out;
    std::stringstream ss(q);
    std::string item;
    while (std::getline(ss, item, '&')) {
      if (item.rfind("X-Amz-Signature=", 0) == 0) {
        signature = item.substr(16);
      } else {
        out.insert(item);
      }
    }
    return out;
  };
  std::string file_signature;
  std::string our_signature;
  EXPECT_EQ(split(r.presigned_query, our_signature), split(expected_query, file_signature));
  EXPECT_EQ(our_signature, r.signature);
  EXPECT_TRUE(verify_sigv4a(sts, file_signature, public_key)) << file_signature;
  EXPECT_EQ(r.presigned_url, "https://example.amazonaws.com" +
                                 first.substr(first.find(' ') + 1, qpos - first.find(' ') - 1) +
                                 "?" + r.presigned_query);
}

INSTANTIATE_TEST_SUITE_P(V4a, SigV4aSuite, ::testing::ValuesIn(complete_cases()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

TEST(SigV4aSuiteCount, HasThirtyEightCompleteCasesAndTwoInputOnlyFolders) {
  std::vector<std::string> input_only;
  for (const auto& e : fs::directory_iterator(suite_dir() / "v4a")) {
    if (!complete(e.path())) input_only.push_back(e.path().filename().string());
  }
  std::sort(input_only.begin(), input_only.end());
  EXPECT_EQ(complete_cases().size(), 38u);
  EXPECT_EQ(input_only, (std::vector<std::string>{"get-vanilla-query-order-key",
                                                  "get-vanilla-query-order-value"}));
}

TEST(SigV4aVerification, AlteredStringToSignOrSignatureDoesNotVerify) {
  const fs::path dir = suite_dir() / "v4a" / "get-vanilla";
  const std::string public_key = public_key_of(dir);
  std::string sts = read_file(dir / "header-string-to-sign.txt");
  const std::string sig = read_file(dir / "header-signature.txt");
  ASSERT_TRUE(verify_sigv4a(sts, sig, public_key));
  sts.back() = sts.back() == '0' ? '1' : '0';
  EXPECT_FALSE(verify_sigv4a(sts, sig, public_key));
  std::string bad = sig;
  bad[20] = bad[20] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(verify_sigv4a(read_file(dir / "header-string-to-sign.txt"), bad, public_key));
}

// sigv4a-derived-keys.json: every intermediate of the derivation, for both example credentials.
class SigV4aDerivedKeys : public ::testing::TestWithParam<unsigned> {};

Poco::JSON::Object::Ptr derived_key_case(unsigned i) {
  return read_json(suite_dir() / "sigv4a-derived-keys.json")->getArray("keys")->getObject(i);
}

TEST_P(SigV4aDerivedKeys, FixedInputCandidateCounterScalarAndPublicKeyMatchTheFile) {
  const auto c = derived_key_case(GetParam());
  const auto akid = c->getValue<std::string>("access_key_id");
  const auto secret = c->getValue<std::string>("secret_access_key");
  const auto counter = static_cast<std::uint8_t>(c->getValue<unsigned>("counter_used"));
  EXPECT_EQ(to_hex(sigv4a::fixed_input(akid, counter)),
            c->getValue<std::string>("fixed_input_hex"));
  const sigv4a::Scalar scalar = sigv4a::derive_scalar(akid, secret);
  EXPECT_EQ(scalar.counter, counter);
  EXPECT_EQ(to_hex(scalar.k0), c->getValue<std::string>("k0_hex"));
  EXPECT_EQ(to_hex(scalar.d), c->getValue<std::string>("private_scalar_d_hex"));
  const std::string xy =
      c->getValue<std::string>("public_X_hex") + c->getValue<std::string>("public_Y_hex");
  EXPECT_EQ(to_hex(sigv4a::public_point(scalar.d)), "04" + xy);
  EXPECT_EQ(derive_sigv4a_key(akid, secret)->public_key_hex(), xy);
}

TEST_P(SigV4aDerivedKeys, DerivedKeySignsWhatItsPublicKeyVerifies) {
  const auto c = derived_key_case(GetParam());
  const auto key = derive_sigv4a_key(c->getValue<std::string>("access_key_id"),
                                     c->getValue<std::string>("secret_access_key"));
  const std::string xy =
      c->getValue<std::string>("public_X_hex") + c->getValue<std::string>("public_Y_hex");
  const std::string a = key->sign("some string to sign");
  const std::string b = key->sign("some string to sign");
  EXPECT_NE(a, b) << "ECDSA signatures are randomized";
  EXPECT_TRUE(verify_sigv4a("some string to sign", a, xy));
  EXPECT_TRUE(verify_sigv4a("some string to sign", b, "04" + xy));
  EXPECT_TRUE(key->verify("some string to sign", a));
  EXPECT_FALSE(key->verify("another string to sign", a));
}

INSTANTIATE_TEST_SUITE_P(ExampleCredentials, SigV4aDerivedKeys, ::testing::Values(0u, 1u));

}  // namespace
