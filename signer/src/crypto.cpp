#include "crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <stdexcept>

namespace awsauth::signer::crypto {
namespace {

// Fetched once: EVP_MD_fetch/EVP_MAC_fetch look algorithms up in the provider tables, which
// is far too slow to repeat for every signature.
const EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (m == nullptr) {
      throw std::runtime_error("OpenSSL: SHA256 is not available");
    }
    return m;
  }();
  return md;
}

EVP_MAC* hmac_mac() {
  static EVP_MAC* mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) {
      throw std::runtime_error("OpenSSL: HMAC is not available");
    }
    return m;
  }();
  return mac;
}

struct MdCtx {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~MdCtx() { EVP_MD_CTX_free(ctx); }
};

struct MacCtx {
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(hmac_mac());
  OSSL_PARAM params[2];
  MacCtx() {
    static char digest_name[] = "SHA256";
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0);
    params[1] = OSSL_PARAM_construct_end();
    EVP_MAC_CTX_set_params(ctx, params);
  }
  ~MacCtx() { EVP_MAC_CTX_free(ctx); }
};

void check(int ok, const char* what) {
  if (ok != 1) {
    throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
  }
}

}  // namespace

Digest sha256(std::string_view data) {
  thread_local MdCtx md;
  Digest out{};
  unsigned int len = 0;
  check(EVP_DigestInit_ex2(md.ctx, sha256_md(), nullptr), "SHA256 init");
  check(EVP_DigestUpdate(md.ctx, data.data(), data.size()), "SHA256 update");
  check(EVP_DigestFinal_ex(md.ctx, out.data(), &len), "SHA256 final");
  return out;
}

Digest hmac_sha256(const std::uint8_t* key, std::size_t key_len, std::string_view data) {
  thread_local MacCtx mac;
  Digest out{};
  std::size_t len = 0;
  check(EVP_MAC_init(mac.ctx, key, key_len, nullptr), "HMAC init");
  check(EVP_MAC_update(mac.ctx, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()),
        "HMAC update");
  check(EVP_MAC_final(mac.ctx, out.data(), &len, out.size()), "HMAC final");
  return out;
}

void append_hex(const Digest& digest, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t at = out.size();
  out.resize(at + 64);
  char* p = out.data() + at;
  for (std::uint8_t b : digest) {
    *p++ = kHex[b >> 4];
    *p++ = kHex[b & 0xF];
  }
}

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  check(EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(ctx_), sha256_md(), nullptr),
        "SHA256 init");
}
Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Sha256Stream::update(std::string_view data) {
  check(EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()),
        "SHA256 update");
}
Digest Sha256Stream::finish() {
  Digest out{};
  unsigned int len = 0;
  auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
  check(EVP_DigestFinal_ex(ctx, out.data(), &len), "SHA256 final");
  check(EVP_DigestInit_ex2(ctx, sha256_md(), nullptr), "SHA256 init");
  return out;
}

}  // namespace awsauth::signer::crypto
