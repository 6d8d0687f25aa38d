#include "awsauth/signer/signing_key.hpp"

#include <list>
#include <mutex>
#include <unordered_map>

#include "awsauth/secret.hpp"
#include "crypto.hpp"
#include "steps.hpp"

namespace awsauth::signer {

std::string Scope::to_string() const {
  std::string out;
  out.reserve(date.size() + region.size() + service.size() + 16);
  steps::append_credential_scope(date, region, service, out);
  return out;
}

SigningKey::~SigningKey() {
  // Volatile writes so the wipe is not optimised away.
  volatile std::uint8_t* p = bytes_.data();
  for (std::size_t i = 0; i < bytes_.size(); ++i) {
    p[i] = 0;
  }
}

std::string SigningKey::hex() const {
  std::string out;
  crypto::append_hex(bytes_, out);
  return out;
}

SigningKey derive_signing_key(std::string_view secret, const Scope& scope) {
  std::string k_secret;
  k_secret.reserve(4 + secret.size());
  k_secret.append("AWS4").append(secret);
  auto k = crypto::hmac_sha256(reinterpret_cast<const std::uint8_t*>(k_secret.data()),
                               k_secret.size(), scope.date);
  wipe_string(k_secret);
  k = crypto::hmac_sha256(k.data(), k.size(), scope.region);
  k = crypto::hmac_sha256(k.data(), k.size(), scope.service);
  k = crypto::hmac_sha256(k.data(), k.size(), "aws4_request");
  SigningKey key(k);
  k.fill(0);
  return key;
}

// A small LRU: (secret, date, region, service) -> key. The lookup string holds the secret, so
// it is wiped on eviction and destruction.
struct SigningKeyCache::Impl {
  std::size_t capacity;
  std::mutex mutex;
  std::list<std::string> order;  // most recent first
  std::unordered_map<std::string_view, std::pair<SigningKey, std::list<std::string>::iterator>>
      entries;
  std::uint64_t derivations = 0;

  ~Impl() {
    entries.clear();
    for (auto& s : order) {
      wipe_string(s);
    }
  }
};

SigningKeyCache::SigningKeyCache(std::size_t capacity) : impl_(std::make_unique<Impl>()) {
  impl_->capacity = capacity == 0 ? 1 : capacity;
}
SigningKeyCache::~SigningKeyCache() = default;

SigningKey SigningKeyCache::get(std::string_view secret, const Scope& scope) {
  std::string lookup;
  lookup.reserve(secret.size() + scope.date.size() + scope.region.size() + scope.service.size() +
                 3);
  // '\n' cannot appear in a date, region or service name, so the joined form is unambiguous.
  lookup.append(scope.date).append(1, '\n').append(scope.region).append(1, '\n');
  lookup.append(scope.service).append(1, '\n').append(secret);

  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (auto it = impl_->entries.find(lookup); it != impl_->entries.end()) {
    impl_->order.splice(impl_->order.begin(), impl_->order, it->second.second);
    wipe_string(lookup);
    return it->second.first;
  }
  SigningKey key = derive_signing_key(secret, scope);
  ++impl_->derivations;
  if (impl_->entries.size() >= impl_->capacity) {
    auto& oldest = impl_->order.back();
    impl_->entries.erase(std::string_view(oldest));
    wipe_string(oldest);
    impl_->order.pop_back();
  }
  impl_->order.push_front(std::move(lookup));
  impl_->entries.emplace(std::string_view(impl_->order.front()),
                         std::make_pair(key, impl_->order.begin()));
  return key;
}

std::uint64_t SigningKeyCache::derivations() const noexcept {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->derivations;
}

SigningKeyCache& SigningKeyCache::shared() {
  static SigningKeyCache cache;
  return cache;
}

}  // namespace awsauth::signer
