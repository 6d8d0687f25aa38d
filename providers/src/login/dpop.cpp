// DPoP proofs with OpenSSL 3 (EVP): botocore's _build_dpop_header without awscrt.
#include "awsauth/providers/login/dpop.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <array>
#include <cstdio>
#include <vector>

#include "awsauth/detail/json.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers {

struct DpopKey::Impl {
  EVP_PKEY* pkey = nullptr;
  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() { EVP_PKEY_free(pkey); }  // OpenSSL clears private key material on free
};

namespace {

constexpr std::size_t kCoordinateBytes = 32;  // P-256

// Python's str.splitlines() line boundaries that can occur in a PEM string.
bool is_line_break(char c) { return c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Python's base64.b64decode(s) (validate=False): characters outside the alphabet are skipped,
// the padding must be right.
std::vector<unsigned char> base64_decode(std::string_view text) {
  std::vector<unsigned char> out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t quantum = 0;  // alphabet characters and '=' seen
  std::size_t padding = 0;
  for (const char c : text) {
    if (c == '=') {
      ++padding;
      ++quantum;
      continue;
    }
    const int v = base64_value(c);
    if (v < 0) continue;
    if (padding != 0) throw DpopKeyError("the key's base64 has data after its padding");
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    ++quantum;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xff));
    }
  }
  if (quantum % 4 != 0 || padding > 2) {
    OPENSSL_cleanse(out.data(), out.size());
    throw DpopKeyError("the key is not valid base64 (incorrect padding)");
  }
  return out;
}

std::string padded_bytes(const BIGNUM* bn) {
  std::string out(kCoordinateBytes, '\0');
  if (BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size())) <
      0) {
    throw DpopKeyError("the key's coordinates do not fit P-256");
  }
  return out;
}

std::string coordinate(EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) {
    throw DpopKeyError("the key has no public point");
  }
  std::string bytes;
  try {
    bytes = padded_bytes(bn);
  } catch (...) {
    BN_free(bn);
    throw;
  }
  BN_free(bn);
  return base64url_no_padding(bytes);
}

}  // namespace

DpopKey::DpopKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  x_ = coordinate(impl_->pkey, OSSL_PKEY_PARAM_EC_PUB_X);
  y_ = coordinate(impl_->pkey, OSSL_PKEY_PARAM_EC_PUB_Y);
}
DpopKey::DpopKey(DpopKey&&) noexcept = default;
DpopKey& DpopKey::operator=(DpopKey&&) noexcept = default;
DpopKey::~DpopKey() = default;

DpopKey DpopKey::from_pem(std::string_view pem) {
  // botocore: drop the -----BEGIN / -----END lines, join the rest, strip, b64decode.
  std::string contents;
  std::size_t start = 0;
  while (start <= pem.size()) {
    std::size_t end = start;
    while (end < pem.size() && !is_line_break(pem[end])) ++end;
    const std::string_view line = pem.substr(start, end - start);
    if (line.rfind("-----BEGIN", 0) != 0 && line.rfind("-----END", 0) != 0) contents += line;
    if (end >= pem.size()) break;
    start = end + 1;
    if (pem[end] == '\r' && start < pem.size() && pem[start] == '\n') ++start;
  }
  std::vector<unsigned char> der;
  try {
    der = base64_decode(contents);
  } catch (...) {
    wipe_string(contents);
    throw;
  }
  wipe_string(contents);
  if (der.empty()) throw DpopKeyError("the key is empty");

  auto impl = std::make_unique<Impl>();
  OSSL_DECODER_CTX* decoder = OSSL_DECODER_CTX_new_for_pkey(&impl->pkey, "DER", nullptr, "EC",
                                                            EVP_PKEY_KEYPAIR, nullptr, nullptr);
  const unsigned char* data = der.data();
  std::size_t length = der.size();
  const bool decoded = decoder != nullptr && OSSL_DECODER_from_data(decoder, &data, &length) == 1 &&
                       impl->pkey != nullptr;
  OSSL_DECODER_CTX_free(decoder);
  OPENSSL_cleanse(der.data(), der.size());
  if (!decoded) throw DpopKeyError("the key is not a DER-encoded EC private key");

  std::array<char, 64> group{};
  std::size_t group_length = 0;
  if (EVP_PKEY_get_utf8_string_param(impl->pkey, OSSL_PKEY_PARAM_GROUP_NAME, group.data(),
                                     group.size(), &group_length) != 1) {
    throw DpopKeyError("the key's curve cannot be read");
  }
  const std::string curve(group.data(), group_length);
  if (curve != SN_X9_62_prime256v1) {
    throw DpopKeyError("the key is on curve " + curve + ", not P-256 (prime256v1)");
  }
  return DpopKey(std::move(impl));
}

std::string DpopKey::sign_es256(std::string_view input) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) throw std::runtime_error("cannot allocate a signing context");
  std::vector<unsigned char> der;
  std::size_t der_length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, impl_->pkey) == 1 &&
            EVP_DigestSign(ctx, nullptr, &der_length, data, input.size()) == 1;
  if (ok) {
    der.resize(der_length);
    ok = EVP_DigestSign(ctx, der.data(), &der_length, data, input.size()) == 1;
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("ECDSA P-256 signing failed");

  // The DER ECDSA-Sig-Value as JWS's fixed-width r || s (botocore:
  // EC.decode_der_signature_to_padded_pair(signature, pad_to=32)).
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_length));
  if (sig == nullptr) throw std::runtime_error("OpenSSL returned an unreadable ECDSA signature");
  std::string out;
  try {
    out = padded_bytes(ECDSA_SIG_get0_r(sig)) + padded_bytes(ECDSA_SIG_get0_s(sig));
  } catch (...) {
    ECDSA_SIG_free(sig);
    throw;
  }
  ECDSA_SIG_free(sig);
  return out;
}

std::string base64url_no_padding(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto n = (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                   (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    if (rest == 2) out.push_back(kAlphabet[(n >> 6) & 63]);
  }
  return out;
}

std::string random_uuid4(Random& random) {
  std::array<unsigned char, 16> b{};
  const std::uint64_t hi = random.next_u64();
  const std::uint64_t lo = random.next_u64();
  for (int k = 0; k < 8; ++k) {
    b[k] = static_cast<unsigned char>(hi >> (56 - 8 * k));
    b[8 + k] = static_cast<unsigned char>(lo >> (56 - 8 * k));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int k = 0; k < 16; ++k) {
    if (k == 4 || k == 6 || k == 8 || k == 10) out.push_back('-');
    out.push_back(kHex[b[k] >> 4]);
    out.push_back(kHex[b[k] & 0xf]);
  }
  return out;
}

std::string build_dpop_proof(const DpopKey& key, std::string_view url, std::int64_t iat,
                             std::string_view jti) {
  using awsauth::detail::json_string;
  using awsauth::detail::JsonEscaping;
  // json.dumps(..., separators=(',', ':')) of botocore's dicts, in their insertion order.
  const std::string header = R"({"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","x":)" +
                             json_string(key.jwk_x()) + R"(,"y":)" + json_string(key.jwk_y()) +
                             R"(,"crv":"P-256"}})";
  const std::string claims =
      R"({"htm":"POST","htu":)" + json_string(url, JsonEscaping::PythonAscii) + R"(,"iat":)" +
      std::to_string(iat) + R"(,"jti":)" + json_string(jti, JsonEscaping::PythonAscii) + "}";
  const std::string signing_input =
      base64url_no_padding(header) + "." + base64url_no_padding(claims);
  return signing_input + "." + base64url_no_padding(key.sign_es256(signing_input));
}

}  // namespace awsauth::providers
