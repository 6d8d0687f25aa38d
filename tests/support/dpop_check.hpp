#pragma once
/// @file dpop_check.hpp
/// Test-side DPoP: P-256 keys made with OpenSSL, and a verifier of DPoP proofs written apart
/// from the library's signer (its own base64url, JSON and ECDSA code paths), so a test proves
/// the library's proofs against an independent reading of RFC 9449 / RFC 7515 and botocore's
/// `_build_dpop_header`.

#include <cstdint>
#include <string>

namespace awsauth::test {

/// How the private key is written.
enum class PemForm {
  Sec1,   ///< `-----BEGIN EC PRIVATE KEY-----` (RFC 5915)
  Pkcs8,  ///< `-----BEGIN PRIVATE KEY-----`
};

/// A fresh key pair on `curve` ("P-256", "P-384", ...) as PEM.
[[nodiscard]] std::string generate_ec_pem(PemForm form = PemForm::Sec1,
                                          const char* curve = "P-256");

/// The public point of a PEM private key as the JWK's base64url `x` and `y`, computed with
/// OpenSSL's PEM reader (not the library's key loader).
struct PublicJwk {
  std::string x;
  std::string y;
};
[[nodiscard]] PublicJwk public_jwk_of(const std::string& pem);

/// What a proof says, once checked.
struct DpopCheck {
  bool ok = false;
  std::string error;  ///< why it was rejected (empty when ok)
  std::string header_json;
  std::string claims_json;
  std::string typ, alg, kty, crv, x, y;
  std::string htm, htu, jti;
  std::int64_t iat = 0;
};

/// Checks `proof`: three base64url parts without padding; a JSON header with typ `dpop+jwt`,
/// alg `ES256` and an EC P-256 jwk equal to `expected`; JSON claims with htm, htu, iat (a
/// whole number) and jti; and an ES256 signature (64 bytes r || s) over `header.claims` that
/// verifies with `expected`'s key. The claims' values are returned for the caller to compare.
[[nodiscard]] DpopCheck check_dpop_proof(const std::string& proof, const PublicJwk& expected);

}  // namespace awsauth::test
