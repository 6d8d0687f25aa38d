// DPoP proofs: botocore's _build_dpop_header semantics, verified with an independent verifier
// (tests/support/dpop_check.cpp): ECDSA is randomized, so signatures are verified, never compared.
#include "awsauth/providers/login/dpop.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "dpop_check.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(DpopKey, ReadsSec1AndPkcs8PemAndExposesThePublicPointAsTheJwk) {
  for (const auto form : {test::PemForm::Sec1, test::PemForm::Pkcs8}) {
    const std::string pem = test::generate_ec_pem(form);
    const auto expected = test::public_jwk_of(pem);
    const DpopKey key = DpopKey::from_pem(pem);
    EXPECT_EQ(key.jwk_x(), expected.x);
    EXPECT_EQ(key.jwk_y(), expected.y);
    EXPECT_EQ(key.jwk_x().size(), 43u);  // 32 bytes, base64url, no padding
  }
}

TEST(DpopKey, IgnoresTheLabelAndLineBreaksAsBotocoreDoes) {
  // botocore drops the BEGIN/END lines whatever they say and joins the rest.
  std::string pem = test::generate_ec_pem();
  const auto expected = test::public_jwk_of(pem);
  std::string crlf;
  for (std::size_t i = 0; i < pem.size(); ++i) {
    if (pem[i] == '\n') {
      crlf += "\r\n";
    } else {
      crlf.push_back(pem[i]);
    }
  }
  EXPECT_EQ(DpopKey::from_pem(crlf).jwk_x(), expected.x);
  const auto begin = pem.find('\n') + 1;
  const auto end = pem.find("-----END");
  const std::string relabelled =
      "-----BEGIN SOMETHING ELSE-----\n" + pem.substr(begin, end - begin) + "-----END X-----";
  EXPECT_EQ(DpopKey::from_pem(relabelled).jwk_y(), expected.y);
}

TEST(DpopKey, RejectsWhatIsNotAP256PrivateKeyWithoutShowingIt) {
  auto reason = [](const std::string& pem) -> std::string {
    try {
      (void)DpopKey::from_pem(pem);
    } catch (const DpopKeyError& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_THAT(reason(""), HasSubstr("empty"));
  EXPECT_THAT(reason("-----BEGIN EC PRIVATE KEY-----\nQUJD\n-----END EC PRIVATE KEY-----"),
              HasSubstr("not a DER-encoded EC private key"));
  EXPECT_THAT(reason("-----BEGIN EC PRIVATE KEY-----\nQUJDR\n-----END EC PRIVATE KEY-----"),
              HasSubstr("incorrect padding"));
  const std::string p384 = test::generate_ec_pem(test::PemForm::Sec1, "P-384");
  const std::string why = reason(p384);
  EXPECT_THAT(why, HasSubstr("not P-256"));
  const std::string body_line = p384.substr(p384.find('\n') + 1, 20);
  EXPECT_THAT(why, Not(HasSubstr(body_line)));
}

TEST(Base64Url, HasNoPaddingAndTheUrlAlphabet) {
  EXPECT_EQ(base64url_no_padding(""), "");
  EXPECT_EQ(base64url_no_padding("f"), "Zg");
  EXPECT_EQ(base64url_no_padding("fo"), "Zm8");
  EXPECT_EQ(base64url_no_padding("foo"), "Zm9v");
  EXPECT_EQ(base64url_no_padding("\xfb\xff\xbf"), "-_-_");
}

TEST(RandomUuid4, IsAVersion4UuidAsPythonPrintsIt) {
  FixedRandom random(0.5);
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int k = 0; k < 50; ++k) {
    const std::string id = random_uuid4(random);
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(BuildDpopProof, HeaderAndClaimsAreBotocoresJsonAndTheSignatureVerifies) {
  const std::string pem = test::generate_ec_pem();
  const auto jwk = test::public_jwk_of(pem);
  const DpopKey key = DpopKey::from_pem(pem);
  const std::string proof =
      build_dpop_proof(key, "https://us-east-1.signin.aws.amazon.com/v1/token", 1767225600,
                       "0b0e5d2c-6f1a-4c59-9a8e-1d2c3b4a5f60");
  const auto check = test::check_dpop_proof(proof, jwk);
  ASSERT_TRUE(check.ok) << check.error;
  // json.dumps(header, separators=(',', ':')) in botocore's key order.
  EXPECT_EQ(check.header_json, R"({"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","x":")" +
                                   jwk.x + R"(","y":")" + jwk.y + R"(","crv":"P-256"}})");
  EXPECT_EQ(check.claims_json,
            R"({"htm":"POST","htu":"https://us-east-1.signin.aws.amazon.com/v1/token",)"
            R"("iat":1767225600,"jti":"0b0e5d2c-6f1a-4c59-9a8e-1d2c3b4a5f60"})");
  EXPECT_EQ(proof.find('='), std::string::npos);
}

TEST(BuildDpopProof, SignaturesAreRandomizedAndEachVerifies) {
  const std::string pem = test::generate_ec_pem();
  const auto jwk = test::public_jwk_of(pem);
  const DpopKey key = DpopKey::from_pem(pem);
  const std::string a = build_dpop_proof(key, "http://127.0.0.1:1/v1/token", 1, "j");
  const std::string b = build_dpop_proof(key, "http://127.0.0.1:1/v1/token", 1, "j");
  EXPECT_EQ(a.substr(0, a.rfind('.')), b.substr(0, b.rfind('.')));
  EXPECT_NE(a, b);
  EXPECT_TRUE(test::check_dpop_proof(a, jwk).ok);
  EXPECT_TRUE(test::check_dpop_proof(b, jwk).ok);
  // Another key's public half does not verify it.
  const auto other = test::public_jwk_of(test::generate_ec_pem());
  const auto wrong = test::check_dpop_proof(a, other);
  EXPECT_FALSE(wrong.ok);
  // A tampered claim breaks the signature.
  std::string tampered = a;
  const auto dot = tampered.find('.');
  tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(test::check_dpop_proof(tampered, jwk).ok);
}

TEST(BuildDpopProof, NonAsciiInTheUrlIsEscapedAsPythonsJsonDumps) {
  const std::string pem = test::generate_ec_pem();
  const DpopKey key = DpopKey::from_pem(pem);
  const auto check = test::check_dpop_proof(
      build_dpop_proof(key, "http://h/caf\xc3\xa9/\"q\"", 7, "j"), test::public_jwk_of(pem));
  ASSERT_TRUE(check.ok) << check.error;
  EXPECT_EQ(check.claims_json,
            R"({"htm":"POST","htu":"http://h/caf\u00e9/\"q\"","iat":7,"jti":"j"})");
}

}  // namespace
}  // namespace awsauth::providers
