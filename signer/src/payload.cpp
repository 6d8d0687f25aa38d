#include "awsauth/signer/payload.hpp"

#include <cstring>

#include "crypto.hpp"

namespace awsauth::signer {

struct PayloadHasher::State {
  crypto::Sha256Stream stream;
};

PayloadHasher::PayloadHasher() : state_(std::make_unique<State>()) {}
PayloadHasher::~PayloadHasher() = default;
PayloadHasher::PayloadHasher(PayloadHasher&&) noexcept = default;
PayloadHasher& PayloadHasher::operator=(PayloadHasher&&) noexcept = default;

void PayloadHasher::update(std::string_view chunk) { state_->stream.update(chunk); }

std::string PayloadHasher::finish_hex() {
  std::string out;
  crypto::append_hex(state_->stream.finish(), out);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  if (bytes.empty()) {
    return std::string(kEmptyPayloadHash);
  }
  std::string out;
  crypto::append_hex(crypto::sha256(bytes), out);
  return out;
}

void Payload::set(std::string_view hash) {
  if (hash.size() <= kInlineSize) {
    std::memcpy(inline_, hash.data(), hash.size());
    size_ = hash.size();
    long_.clear();
  } else {
    size_ = 0;
    long_.assign(hash);
  }
}

Payload Payload::from_bytes(std::string_view body) {
  Payload p;
  if (!body.empty()) {
    char hex[crypto::kHexSize];
    crypto::write_hex(crypto::sha256(body), hex);
    p.set(std::string_view(hex, sizeof hex));
  }
  return p;
}

Payload Payload::from_hasher(PayloadHasher& hasher) { return precomputed(hasher.finish_hex()); }

Payload Payload::precomputed(std::string_view hash) {
  Payload p;
  p.set(hash);
  return p;
}

Payload Payload::unsigned_payload() { return precomputed(kUnsignedPayload); }

}  // namespace awsauth::signer
