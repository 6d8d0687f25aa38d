// SigV4a keys: the counter-mode derivation of the P-256 scalar from a credential, the key pair
// as an OpenSSL 3 EVP_PKEY (built from OSSL_PARAMs, no deprecated EC_KEY), ECDSA signing and
// verification, and the cache of derived keys.

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <list>
#include <mutex>
#include <unordered_map>

#include "awsauth/secret.hpp"
#include "awsauth/signer/request.hpp"
#include "awsauth/signer/sigv4a.hpp"
#include "crypto.hpp"
#include "sigv4a_kdf.hpp"

namespace awsauth::signer {
namespace sigv4a {
namespace {

// n - 2, n the order of P-256 (FIPS 186-4 D.1.2.3): the largest k0 that gives d = k0 + 1 < n.
constexpr crypto::Digest kOrderMinusTwo = {
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x4F};

// a > b for two 32-byte big-endian numbers, without a branch on their bytes (the candidate is
// secret; aws-c-auth compares in constant time too).
bool greater_than(const crypto::Digest& a, const crypto::Digest& b) noexcept {
  std::uint32_t gt = 0;
  std::uint32_t eq = 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<std::int32_t>(a[i]);
    const auto y = static_cast<std::int32_t>(b[i]);
    gt |= (static_cast<std::uint32_t>(y - x) >> 31) & eq;
    eq &= ((static_cast<std::uint32_t>(x ^ y) - 1) >> 31) & 1;
  }
  return gt != 0;
}

void add_one(crypto::Digest& v) noexcept {
  std::uint32_t carry = 1;
  for (std::size_t i = v.size(); i-- > 0;) {
    const std::uint32_t sum = v[i] + carry;
    v[i] = static_cast<std::uint8_t>(sum & 0xFF);
    carry = sum >> 8;
  }
}

struct BnCtxFree {
  void operator()(BN_CTX* p) const noexcept { BN_CTX_free(p); }
};
struct BnClearFree {
  void operator()(BIGNUM* p) const noexcept { BN_clear_free(p); }
};
struct GroupFree {
  void operator()(EC_GROUP* p) const noexcept { EC_GROUP_free(p); }
};
struct PointFree {
  void operator()(EC_POINT* p) const noexcept { EC_POINT_free(p); }
};

[[noreturn]] void openssl_failed(const char* what) {
  throw SigningError(std::string("SigV4a: OpenSSL failed to ") + what);
}

}  // namespace

Scalar::~Scalar() {
  wipe_bytes(k0.data(), k0.size());
  wipe_bytes(d.data(), d.size());
}

std::string fixed_input(std::string_view access_key_id, std::uint8_t counter) {
  std::string out;
  out.reserve(32 + access_key_id.size());
  out.append("\x00\x00\x00\x01", 4);
  out.append(kSigV4aAlgorithm);
  out.push_back('\0');
  out.append(access_key_id);
  out.push_back(static_cast<char>(counter));
  out.append("\x00\x00\x01\x00", 4);
  return out;
}

Scalar derive_scalar(std::string_view access_key_id, std::string_view secret_access_key) {
  if (access_key_id.empty() || secret_access_key.empty()) {
    throw SigningError("SigV4a key derivation needs an access key id and a secret access key");
  }
  std::string key;
  key.reserve(5 + secret_access_key.size());
  key.append("AWS4A").append(secret_access_key);
  const crypto::HmacKey hmac(reinterpret_cast<const std::uint8_t*>(key.data()), key.size());
  wipe_string(key);
  Scalar s;
  for (unsigned counter = 1; counter <= kMaxCounter; ++counter) {
    s.k0 = hmac.mac(fixed_input(access_key_id, static_cast<std::uint8_t>(counter)));
    if (!greater_than(s.k0, kOrderMinusTwo)) {
      s.counter = static_cast<std::uint8_t>(counter);
      s.d = s.k0;
      add_one(s.d);
      return s;
    }
  }
  throw SigningError("SigV4a key derivation found no valid P-256 scalar in 254 candidates");
}

std::array<std::uint8_t, 65> public_point(const crypto::Digest& d) {
  std::unique_ptr<EC_GROUP, GroupFree> group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  std::unique_ptr<BN_CTX, BnCtxFree> ctx(BN_CTX_secure_new());
  std::unique_ptr<BIGNUM, BnClearFree> scalar(BN_secure_new());
  if (!group || !ctx || !scalar) openssl_failed("allocate the P-256 group");
  std::unique_ptr<EC_POINT, PointFree> point(EC_POINT_new(group.get()));
  if (!point || BN_bin2bn(d.data(), static_cast<int>(d.size()), scalar.get()) == nullptr ||
      EC_POINT_mul(group.get(), point.get(), scalar.get(), nullptr, nullptr, ctx.get()) != 1) {
    openssl_failed("compute the SigV4a public key");
  }
  std::array<std::uint8_t, 65> out{};
  if (EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(),
                         out.size(), ctx.get()) != out.size()) {
    openssl_failed("encode the SigV4a public key");
  }
  return out;
}

}  // namespace sigv4a

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

constexpr char kGroupName[] = "prime256v1";

// An EC key from its public point and, for a key pair, its scalar.
Pkey make_pkey(const std::uint8_t* point, std::size_t point_size, const crypto::Digest* d) {
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  std::unique_ptr<BIGNUM, sigv4a::BnClearFree> priv;
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kGroupName, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point, point_size) !=
          1) {
    return nullptr;
  }
  if (d != nullptr) {
    priv.reset(BN_secure_new());
    if (!priv || BN_bin2bn(d->data(), static_cast<int>(d->size()), priv.get()) == nullptr ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get()) != 1) {
      return nullptr;
    }
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, d != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                        params.get()) != 1) {
    // The builder copied the scalar into `params`: OSSL_PARAM_free does not clear it, so wipe.
    if (params && d != nullptr) {
      if (OSSL_PARAM* p = OSSL_PARAM_locate(params.get(), OSSL_PKEY_PARAM_PRIV_KEY)) {
        wipe_bytes(p->data, p->data_size);
      }
    }
    return nullptr;
  }
  if (d != nullptr) {
    if (OSSL_PARAM* p = OSSL_PARAM_locate(params.get(), OSSL_PKEY_PARAM_PRIV_KEY)) {
      wipe_bytes(p->data, p->data_size);
    }
  }
  return Pkey(raw);
}

void append_hex_bytes(const std::uint8_t* data, std::size_t size, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0xF]);
  }
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// false when `hex` is not an even number of hex digits.
bool decode_hex(std::string_view hex, std::string& out) {
  if (hex.size() % 2 != 0) return false;
  out.clear();
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_value(hex[i]);
    const int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return true;
}

bool verify_with(EVP_PKEY* pkey, std::string_view string_to_sign, std::string_view signature_hex) {
  std::string der;
  if (signature_hex.empty() || !decode_hex(signature_hex, der)) return false;
  const crypto::Digest digest = crypto::sha256(string_to_sign);
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(pkey, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) != 1) {
    throw SigningError("SigV4a: OpenSSL failed to set up verification");
  }
  return EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                         digest.data(), digest.size()) == 1;
}

}  // namespace

struct SigV4aKey::Impl {
  Pkey pkey;
  std::array<std::uint8_t, 65> point{};  // 04 || X || Y
};

SigV4aKey::SigV4aKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigV4aKey::~SigV4aKey() = default;  // EVP_PKEY_free clears the scalar (BN_clear_free)

std::string SigV4aKey::public_key_hex() const {
  std::string out;
  out.reserve(128);
  append_hex_bytes(impl_->point.data() + 1, 64, out);
  return out;
}

std::string SigV4aKey::sign(std::string_view string_to_sign) const {
  const crypto::Digest digest = crypto::sha256(string_to_sign);
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(impl_->pkey.get(), nullptr));
  unsigned char der[80];  // a P-256 DER signature is at most 72 bytes
  std::size_t size = sizeof der;
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) != 1 ||
      EVP_PKEY_sign(ctx.get(), der, &size, digest.data(), digest.size()) != 1) {
    throw SigningError("SigV4a: OpenSSL failed to make the ECDSA signature");
  }
  std::string out;
  out.reserve(2 * size);
  append_hex_bytes(der, size, out);
  return out;
}

bool SigV4aKey::verify(std::string_view string_to_sign, std::string_view signature_hex) const {
  return verify_with(impl_->pkey.get(), string_to_sign, signature_hex);
}

std::shared_ptr<const SigV4aKey> derive_sigv4a_key(std::string_view access_key_id,
                                                   std::string_view secret_access_key) {
  const sigv4a::Scalar scalar = sigv4a::derive_scalar(access_key_id, secret_access_key);
  auto impl = std::make_unique<SigV4aKey::Impl>();
  impl->point = sigv4a::public_point(scalar.d);
  impl->pkey = make_pkey(impl->point.data(), impl->point.size(), &scalar.d);
  if (!impl->pkey) {
    throw SigningError("SigV4a: OpenSSL failed to build the P-256 key pair");
  }
  return std::shared_ptr<const SigV4aKey>(new SigV4aKey(std::move(impl)));
}

bool verify_sigv4a(std::string_view string_to_sign, std::string_view signature_hex,
                   std::string_view public_key_hex) {
  if (public_key_hex.size() == 130 && public_key_hex.substr(0, 2) == "04") {
    public_key_hex.remove_prefix(2);
  }
  std::string point("\x04", 1);
  std::string xy;
  if (public_key_hex.size() != 128 || !decode_hex(public_key_hex, xy)) {
    throw SigningError("SigV4a public key must be 128 hex characters (X then Y), got " +
                       std::to_string(public_key_hex.size()) + " characters");
  }
  point.append(xy);
  const Pkey pkey =
      make_pkey(reinterpret_cast<const std::uint8_t*>(point.data()), point.size(), nullptr);
  if (!pkey) {
    throw SigningError("SigV4a public key is not a point on P-256");
  }
  return verify_with(pkey.get(), string_to_sign, signature_hex);
}

// An LRU of (access key id, secret) -> key, as SigningKeyCache is for SigV4. Lookups compare
// string views (heterogeneous lookup), so a hit allocates nothing.
namespace {

struct CredentialView {
  std::string_view access_key_id, secret;
  friend bool operator==(const CredentialView&, const CredentialView&) = default;
};

struct StoredCredential {
  std::string access_key_id, secret;
  [[nodiscard]] CredentialView view() const { return {access_key_id, secret}; }
  ~StoredCredential() { wipe_string(secret); }
};

struct CredentialHash {
  using is_transparent = void;
  std::size_t operator()(const CredentialView& k) const noexcept {
    const std::size_t h = std::hash<std::string_view>()(k.secret);
    return h ^ (std::hash<std::string_view>()(k.access_key_id) + 0x9e3779b97f4a7c15ULL + (h << 6) +
                (h >> 2));
  }
  std::size_t operator()(const StoredCredential* k) const noexcept { return (*this)(k->view()); }
};

struct CredentialEqual {
  using is_transparent = void;
  static CredentialView view(const CredentialView& k) { return k; }
  static CredentialView view(const StoredCredential* k) { return k->view(); }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const noexcept {
    return view(a) == view(b);
  }
};

}  // namespace

struct SigV4aKeyCache::Impl {
  struct Entry {
    StoredCredential credential;
    std::shared_ptr<const SigV4aKey> key;
  };
  std::size_t capacity = 1;
  mutable std::mutex mutex;
  std::list<Entry> order;  // most recent first
  std::unordered_map<const StoredCredential*, std::list<Entry>::iterator, CredentialHash,
                     CredentialEqual>
      index;
  std::uint64_t derivations = 0;
};

SigV4aKeyCache::SigV4aKeyCache(std::size_t capacity) : impl_(std::make_unique<Impl>()) {
  impl_->capacity = capacity == 0 ? 1 : capacity;
}
SigV4aKeyCache::~SigV4aKeyCache() = default;

std::shared_ptr<const SigV4aKey> SigV4aKeyCache::get(std::string_view access_key_id,
                                                     std::string_view secret_access_key) {
  const CredentialView wanted{access_key_id, secret_access_key};
  // Derived under the lock: concurrent first uses of one credential derive it once.
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (auto it = impl_->index.find(wanted); it != impl_->index.end()) {
    impl_->order.splice(impl_->order.begin(), impl_->order, it->second);
    return it->second->key;
  }
  auto key = derive_sigv4a_key(access_key_id, secret_access_key);
  ++impl_->derivations;
  if (impl_->index.size() >= impl_->capacity) {
    impl_->index.erase(&impl_->order.back().credential);
    impl_->order.pop_back();
  }
  impl_->order.push_front(Impl::Entry{
      StoredCredential{std::string(access_key_id), std::string(secret_access_key)}, key});
  impl_->index.emplace(&impl_->order.front().credential, impl_->order.begin());
  return key;
}

std::uint64_t SigV4aKeyCache::derivations() const noexcept {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->derivations;
}

std::size_t SigV4aKeyCache::size() const noexcept {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->index.size();
}

std::size_t SigV4aKeyCache::capacity() const noexcept { return impl_->capacity; }

SigV4aKeyCache& SigV4aKeyCache::shared() {
  static SigV4aKeyCache cache(kSharedCapacity);
  return cache;
}

}  // namespace awsauth::signer
