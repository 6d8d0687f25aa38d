#pragma once
/// @file payload.hpp
/// The payload-hash line of the canonical request, and an incremental SHA-256 hasher.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "awsauth/export.hpp"

namespace awsauth::signer {

/// Hex SHA-256 of the empty string.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// The literal payload hash of requests whose body is not signed.
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

/// Incremental SHA-256: feed a body chunk by chunk, nothing needs the whole body in memory.
class AWSAUTH_API PayloadHasher {
 public:
  PayloadHasher();
  ~PayloadHasher();
  PayloadHasher(PayloadHasher&&) noexcept;
  PayloadHasher& operator=(PayloadHasher&&) noexcept;
  PayloadHasher(const PayloadHasher&) = delete;
  PayloadHasher& operator=(const PayloadHasher&) = delete;

  void update(std::string_view chunk);
  /// Lowercase hex digest; the hasher is reset and can be reused afterwards.
  [[nodiscard]] std::string finish_hex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Lowercase hex SHA-256 of `bytes`.
[[nodiscard]] AWSAUTH_API std::string sha256_hex(std::string_view bytes);

/// The payload line: a hash computed from bytes, a precomputed hash, or UNSIGNED-PAYLOAD.
/// A line of up to 64 bytes (a hex SHA-256, every literal the services define) is held inside
/// the object, so making one allocates nothing.
class AWSAUTH_API Payload {
 public:
  /// An empty body (hash of the empty string).
  Payload() { set(kEmptyPayloadHash); }
  /// Hashes `body` now.
  [[nodiscard]] static Payload from_bytes(std::string_view body);
  /// The finished hash of a hasher that was fed the body.
  [[nodiscard]] static Payload from_hasher(PayloadHasher& hasher);
  /// A hash the caller already has (lowercase hex), or any literal the service expects
  /// (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`).
  [[nodiscard]] static Payload precomputed(std::string_view hash);
  /// `UNSIGNED-PAYLOAD`.
  [[nodiscard]] static Payload unsigned_payload();

  /// The line as the canonical request carries it.
  [[nodiscard]] std::string_view hash() const noexcept {
    return long_.empty() ? std::string_view(inline_, size_) : std::string_view(long_);
  }

 private:
  static constexpr std::size_t kInlineSize = 64;
  void set(std::string_view hash);
  char inline_[kInlineSize] = {};
  std::size_t size_ = 0;
  std::string long_;  // a line longer than kInlineSize
};

}  // namespace awsauth::signer
