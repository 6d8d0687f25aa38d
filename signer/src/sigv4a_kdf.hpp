#pragma once
// SigV4a key derivation, step by step (sigv4a_key.cpp), so tests can check each intermediate
// value against ../shared/testdata/sigv4-suite/sigv4a-derived-keys.json.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto.hpp"

namespace awsauth::signer::sigv4a {

/// aws-c-auth MAX_KEY_DERIVATION_COUNTER_VALUE: the external counter runs from 1 to 254.
inline constexpr std::uint8_t kMaxCounter = 254;

/// The HMAC input for one external counter value: the KDF's iteration counter 00000001, the
/// label "AWS4-ECDSA-P256-SHA256", 00, the context (the access key id), the external counter
/// as one byte, and the output length in bits (256) as 4 bytes big-endian.
std::string fixed_input(std::string_view access_key_id, std::uint8_t counter);

/// The private scalar and how it was found. Wiped on destruction.
struct Scalar {
  std::uint8_t counter = 0;  ///< the external counter that gave a k0 <= n-2
  crypto::Digest k0{};       ///< HMAC-SHA256("AWS4A" + secret, fixed_input(counter))
  crypto::Digest d{};        ///< k0 + 1, big-endian
  Scalar() = default;
  Scalar(const Scalar&) = default;
  Scalar& operator=(const Scalar&) = default;
  ~Scalar();
};

/// Runs the counters until a candidate is below the P-256 order minus one. Throws SigningError
/// for an empty access key id or secret, or (never seen: probability 2^-8128) when all 254
/// candidates are too large.
Scalar derive_scalar(std::string_view access_key_id, std::string_view secret_access_key);

/// The uncompressed public point of scalar `d` (65 bytes: 04 || X || Y).
std::array<std::uint8_t, 65> public_point(const crypto::Digest& d);

}  // namespace awsauth::signer::sigv4a
