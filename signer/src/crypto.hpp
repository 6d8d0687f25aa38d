#pragma once
// SHA-256 and HMAC-SHA256 on OpenSSL's SHA-256 block functions. No EVP: an EVP context goes
// through the provider dispatch on every call and copying one allocates, while a SHA256_CTX is
// a plain struct that can live on the stack and be copied with memcpy. So nothing here touches
// the heap, and an HMAC key keeps its inner and outer pad states (RFC 2104) computed once:
// a MAC then costs the message's blocks plus one, never the two blocks of re-keying.

#include <openssl/sha.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace awsauth::signer::crypto {

using Digest = std::array<std::uint8_t, 32>;

Digest sha256(std::string_view data);

/// An HMAC-SHA256 key as its two pad states: the SHA-256 state after the first block
/// (key XOR ipad) and after (key XOR opad). Copyable; wiped on destruction.
class HmacKey {
 public:
  HmacKey() = default;
  HmacKey(const std::uint8_t* key, std::size_t key_len);
  ~HmacKey();
  HmacKey(const HmacKey&) = default;
  HmacKey& operator=(const HmacKey&) = default;

  [[nodiscard]] Digest mac(std::string_view data) const;

  /// The two halves of mac(): the inner hash starts from inner_state() (a PrefixHasher started
  /// there can hash `data`), and finish() turns that inner hash into the MAC.
  [[nodiscard]] const SHA256_CTX& inner_state() const noexcept { return inner_; }
  [[nodiscard]] Digest finish(const Digest& inner_hash) const;

 private:
  SHA256_CTX inner_{};
  SHA256_CTX outer_{};
};

/// One-shot HMAC-SHA256 (computes the pad states, then the MAC).
Digest hmac_sha256(const std::uint8_t* key, std::size_t key_len, std::string_view data);

inline constexpr std::size_t kHexSize = 64;

/// Writes the digest as 64 lowercase hex characters (no terminating NUL).
void write_hex(const Digest& digest, char (&out)[kHexSize]);
/// The same at `out`, which has room for kHexSize characters.
void write_hex_at(const Digest& digest, char* out);
/// Appends them.
void append_hex(const Digest& digest, std::string& out);

/// Incremental SHA-256.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(std::string_view data);
  Digest finish();  // resets for reuse

 private:
  SHA256_CTX ctx_{};
};

/// SHA-256 of messages that often begin with the same bytes as the previous one (a thread's
/// canonical requests for one API share their method, path, query and first headers). It keeps
/// the state after the whole 64-byte blocks of the part expected to repeat, and when the next
/// message starts with exactly those bytes it hashes only the rest. The result is always the
/// SHA-256 of the whole message; a message with a different start is hashed from the beginning.
class PrefixHasher {
 public:
  /// Hashes from SHA-256's initial state.
  PrefixHasher();
  ~PrefixHasher();
  PrefixHasher(const PrefixHasher&) = delete;
  PrefixHasher& operator=(const PrefixHasher&) = delete;

  /// SHA-256 of `message`; its first `repeats` bytes are the part worth keeping for next time.
  [[nodiscard]] Digest hash(std::string_view message, std::size_t repeats);

  /// Hashes from now on continue from `start` (an HMAC key's inner_state()); forgets the kept
  /// prefix.
  void restart_from(const SHA256_CTX& start);

  /// How many hashes started from a kept state (for tests).
  [[nodiscard]] std::uint64_t reused() const noexcept { return reused_; }

 private:
  SHA256_CTX start_{};  // where every hash begins
  std::string prefix_;  // the kept blocks' bytes
  SHA256_CTX state_{};  // the state after them
  std::uint64_t reused_ = 0;
};

}  // namespace awsauth::signer::crypto
