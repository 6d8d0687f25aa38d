#include "awsauth/signer/payload.hpp"

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

Payload Payload::from_bytes(std::string_view body) { return Payload(sha256_hex(body)); }
Payload Payload::from_hasher(PayloadHasher& hasher) { return Payload(hasher.finish_hex()); }
Payload Payload::precomputed(std::string hash) { return Payload(std::move(hash)); }
Payload Payload::unsigned_payload() { return Payload(std::string(kUnsignedPayload)); }

}  // namespace awsauth::signer
