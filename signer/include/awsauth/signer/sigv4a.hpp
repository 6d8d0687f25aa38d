#pragma once
/// @file sigv4a.hpp
/// SigV4a (AWS4-ECDSA-P256-SHA256): the ECDSA P-256 key derived from an access key, its cache,
/// and signature verification. Requests are signed through sign() in signer.hpp with
/// `SigningSettings::algorithm = SigningAlgorithm::V4a`; this header holds what is specific to
/// the asymmetric key.
///
/// ECDSA signatures are randomized: signing the same string twice gives two different
/// signatures, both valid. Check a SigV4a signature with verify_sigv4a(), never by comparing.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "awsauth/export.hpp"

namespace awsauth::signer {

/// The SigV4a algorithm name (Authorization header, `X-Amz-Algorithm`, string to sign).
inline constexpr std::string_view kSigV4aAlgorithm = "AWS4-ECDSA-P256-SHA256";

/// A SigV4a key pair on P-256, derived from an access key id and secret (derive_sigv4a_key).
/// Immutable and safe to use from many threads at once. The private scalar is wiped when the
/// key is destroyed; it is never printed or returned.
class AWSAUTH_API SigV4aKey {
 public:
  ~SigV4aKey();
  SigV4aKey(const SigV4aKey&) = delete;
  SigV4aKey& operator=(const SigV4aKey&) = delete;

  /// The public point as 128 lowercase hex characters: X then Y, 32 bytes each (the
  /// uncompressed point without its 04 prefix, as the suite's `public-key.json` gives it).
  [[nodiscard]] std::string public_key_hex() const;

  /// Lowercase hex of the DER-encoded ECDSA signature over SHA-256(`string_to_sign`): the
  /// SigV4a signature (at most 144 characters; usually 140 to 144, shorter when r or s happens
  /// to have leading zero bytes, about one signature in 256). Randomized; throws SigningError
  /// if OpenSSL fails.
  [[nodiscard]] std::string sign(std::string_view string_to_sign) const;

  /// True when `signature_hex` (hex DER) is a valid signature of `string_to_sign` by this key.
  [[nodiscard]] bool verify(std::string_view string_to_sign, std::string_view signature_hex) const;

 private:
  struct Impl;  // OpenSSL's key and the public point, in sigv4a_key.cpp
  explicit SigV4aKey(std::unique_ptr<Impl> impl);
  friend AWSAUTH_API std::shared_ptr<const SigV4aKey> derive_sigv4a_key(
      std::string_view access_key_id, std::string_view secret_access_key);
  std::unique_ptr<Impl> impl_;
};

/// Derives the SigV4a key of a credential (aws-c-auth `key_derivation.c`, smithy-rs
/// `v4a::generate_signing_key`): NIST SP 800-108 counter-mode HMAC-SHA256 keyed by
/// `"AWS4A" + secret` over `00000001 || "AWS4-ECDSA-P256-SHA256" || 00 || access_key_id ||
/// counter (1 byte) || 00000100`; the first candidate k0 with k0 <= n-2 (n the P-256 order)
/// gives the private scalar d = k0 + 1, the next counter (up to 254) is tried otherwise.
/// Deterministic: the same credential always gives the same key. Costs a point multiplication
/// (tens of microseconds); prefer SigV4aKeyCache::get. Throws SigningError when the access key
/// id or the secret is empty.
[[nodiscard]] AWSAUTH_API std::shared_ptr<const SigV4aKey> derive_sigv4a_key(
    std::string_view access_key_id, std::string_view secret_access_key);

/// A thread-safe LRU cache of derived SigV4a keys, one per (access key id, secret): a key is
/// derived once and at most `capacity` are kept (the least recently used is dropped). Entries
/// hold the secret in memory that is wiped when they are evicted or destroyed. sign() uses
/// shared().
class AWSAUTH_API SigV4aKeyCache {
 public:
  /// The capacity of shared(): a process rarely holds more than a few credentials at once.
  static constexpr std::size_t kSharedCapacity = 64;

  explicit SigV4aKeyCache(std::size_t capacity = 16);
  ~SigV4aKeyCache();
  SigV4aKeyCache(const SigV4aKeyCache&) = delete;
  SigV4aKeyCache& operator=(const SigV4aKeyCache&) = delete;

  /// The key of this credential, derived on the first call. Throws as derive_sigv4a_key().
  [[nodiscard]] std::shared_ptr<const SigV4aKey> get(std::string_view access_key_id,
                                                     std::string_view secret_access_key);
  /// How many derivations happened (for tests and metrics).
  [[nodiscard]] std::uint64_t derivations() const noexcept;
  /// How many keys are held (never more than capacity()).
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] std::size_t capacity() const noexcept;

  /// The process-wide cache sign() uses for SigV4a.
  static SigV4aKeyCache& shared();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// True when `signature_hex` (lowercase or uppercase hex of a DER ECDSA signature) is a valid
/// SigV4a signature of `string_to_sign` under the P-256 public key `public_key_hex` (X || Y,
/// 128 hex characters, as SigV4aKey::public_key_hex() gives it; a leading `04` is accepted).
/// A signature that is not hex or not DER is simply not valid (false). Throws SigningError
/// when the public key is malformed or not a point on P-256.
[[nodiscard]] AWSAUTH_API bool verify_sigv4a(std::string_view string_to_sign,
                                             std::string_view signature_hex,
                                             std::string_view public_key_hex);

}  // namespace awsauth::signer
