#pragma once
/// @file dpop.hpp
/// DPoP proofs (RFC 9449) for the sign-in service's token endpoint, as botocore 1.43's
/// `_build_dpop_header` builds them: an ES256 JWT whose header carries the public half of the
/// session's P-256 key. botocore needs the optional `awscrt` for the signature; awsauth signs
/// with OpenSSL.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "awsauth/export.hpp"
#include "awsauth/random.hpp"

namespace awsauth::providers {

/// A key that cannot be used. The message says why (not base64, not an EC private key, not
/// P-256) and never contains key material.
class AWSAUTH_API DpopKeyError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A P-256 private key, held by OpenSSL and freed (and wiped) with the object.
class AWSAUTH_API DpopKey {
 public:
  /// Reads the key as botocore's `_load_private_key` does: every line that starts with
  /// `-----BEGIN` or `-----END` is dropped, the rest joined and base64-decoded, and the bytes
  /// read as a DER EC private key (SEC1 `EC PRIVATE KEY`, or PKCS#8). Only P-256 is accepted
  /// (the proof says ES256). Throws DpopKeyError.
  [[nodiscard]] static DpopKey from_pem(std::string_view pem);

  DpopKey(DpopKey&&) noexcept;
  DpopKey& operator=(DpopKey&&) noexcept;
  DpopKey(const DpopKey&) = delete;
  DpopKey& operator=(const DpopKey&) = delete;
  ~DpopKey();

  /// The public point's coordinates, 32 bytes each, base64url without padding (the JWK's `x`
  /// and `y`).
  [[nodiscard]] const std::string& jwk_x() const noexcept { return x_; }
  [[nodiscard]] const std::string& jwk_y() const noexcept { return y_; }

  /// The ES256 signature of `input` (ECDSA P-256 over its SHA-256) as JWS wants it: r and s,
  /// 32 bytes each, concatenated (64 bytes, not base64-encoded). ECDSA is randomized: two
  /// signatures of the same input differ; both verify.
  [[nodiscard]] std::string sign_es256(std::string_view input) const;

 private:
  struct Impl;
  explicit DpopKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::string x_;
  std::string y_;
};

/// base64url (RFC 4648 section 5) without `=` padding.
[[nodiscard]] AWSAUTH_API std::string base64url_no_padding(std::string_view bytes);

/// A random version-4 UUID in lowercase hex with dashes, like Python's `str(uuid.uuid4())`:
/// the proof's `jti`.
[[nodiscard]] AWSAUTH_API std::string random_uuid4(Random& random);

/// The DPoP proof for a POST to `url`, botocore's `_build_dpop_header(key, url, jti, iat)` byte
/// for byte up to the signature:
/// `base64url(header) "." base64url(claims) "." base64url(r || s)` with
/// header `{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","x":X,"y":Y,"crv":"P-256"}}` and
/// claims `{"htm":"POST","htu":URL,"iat":IAT,"jti":JTI}` (compact JSON, non-ASCII escaped as
/// `\uXXXX` as Python's json.dumps does).
[[nodiscard]] AWSAUTH_API std::string build_dpop_proof(const DpopKey& key, std::string_view url,
                                                       std::int64_t iat, std::string_view jti);

}  // namespace awsauth::providers
