#pragma once
// SHA-256 and HMAC-SHA256 over OpenSSL 3 EVP. The algorithms are fetched once per process and
// the contexts are reused per thread, so the hot path does no fetch and no allocation.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace awsauth::signer::crypto {

using Digest = std::array<std::uint8_t, 32>;

Digest sha256(std::string_view data);
Digest hmac_sha256(const std::uint8_t* key, std::size_t key_len, std::string_view data);

/// Appends 64 lowercase hex characters.
void append_hex(const Digest& digest, std::string& out);

/// Incremental SHA-256 context (owning an EVP_MD_CTX).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(std::string_view data);
  Digest finish();  // resets for reuse

 private:
  void* ctx_;
};

}  // namespace awsauth::signer::crypto
