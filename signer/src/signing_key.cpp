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

SigningKey::~SigningKey() { wipe_bytes(bytes_.data(), bytes_.size()); }

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

// An LRU of (secret, date, region, service) -> key. Lookups compare string views against the
// stored strings (heterogeneous lookup), so a hit allocates nothing; only a miss allocates its
// entry. The entries hold the secret, wiped on eviction and destruction.
namespace {

struct KeyView {
  std::string_view secret, date, region, service;
  friend bool operator==(const KeyView&, const KeyView&) = default;
};

struct StoredKey {
  std::string secret, date, region, service;
  [[nodiscard]] KeyView view() const { return {secret, date, region, service}; }
  ~StoredKey() { wipe_string(secret); }
};

struct KeyHash {
  using is_transparent = void;
  std::size_t operator()(const KeyView& k) const noexcept {
    // The secret is hashed too: two credentials used for the same scope are two entries.
    std::size_t h = std::hash<std::string_view>()(k.secret);
    for (const auto part : {k.date, k.region, k.service}) {
      h ^= std::hash<std::string_view>()(part) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    }
    return h;
  }
  std::size_t operator()(const StoredKey* k) const noexcept { return (*this)(k->view()); }
};

struct KeyEqual {
  using is_transparent = void;
  static KeyView view(const KeyView& k) { return k; }
  static KeyView view(const StoredKey* k) { return k->view(); }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const noexcept {
    return view(a) == view(b);
  }
};

}  // namespace

struct SigningKeyCache::Impl {
  struct Entry {
    StoredKey key;
    SigningKey signing_key;
  };
  std::size_t capacity;
  mutable std::mutex mutex;
  std::list<Entry> order;  // most recent first
  std::unordered_map<const StoredKey*, std::list<Entry>::iterator, KeyHash, KeyEqual> index;
  std::uint64_t derivations = 0;
};

SigningKeyCache::SigningKeyCache(std::size_t capacity) : impl_(std::make_unique<Impl>()) {
  impl_->capacity = capacity == 0 ? 1 : capacity;
}
SigningKeyCache::~SigningKeyCache() = default;

SigningKey SigningKeyCache::get(std::string_view secret, const Scope& scope) {
  const KeyView wanted{secret, scope.date, scope.region, scope.service};
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (auto it = impl_->index.find(wanted); it != impl_->index.end()) {
    impl_->order.splice(impl_->order.begin(), impl_->order, it->second);
    return it->second->signing_key;
  }
  SigningKey key = derive_signing_key(secret, scope);
  ++impl_->derivations;
  if (impl_->index.size() >= impl_->capacity) {
    impl_->index.erase(&impl_->order.back().key);
    impl_->order.pop_back();
  }
  impl_->order.push_front(
      Impl::Entry{StoredKey{std::string(secret), scope.date, scope.region, scope.service}, key});
  impl_->index.emplace(&impl_->order.front().key, impl_->order.begin());
  return key;
}

std::uint64_t SigningKeyCache::derivations() const noexcept {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->derivations;
}

std::size_t SigningKeyCache::size() const noexcept {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->index.size();
}

std::size_t SigningKeyCache::capacity() const noexcept { return impl_->capacity; }

SigningKeyCache& SigningKeyCache::shared() {
  static SigningKeyCache cache(kSharedCapacity);
  return cache;
}

}  // namespace awsauth::signer
