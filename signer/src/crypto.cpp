// OpenSSL 3 marks the SHA256_* block functions deprecated in favour of EVP, but they are the
// same code EVP's default provider runs, without its dispatch and allocations.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "crypto.hpp"

#include <algorithm>
#include <cstring>

#include "awsauth/secret.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace awsauth::signer::crypto {
namespace {

constexpr std::size_t kBlock = 64;

void finish_into(SHA256_CTX& ctx, Digest& out) { SHA256_Final(out.data(), &ctx); }

}  // namespace

Digest sha256(std::string_view data) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  Digest out;
  finish_into(ctx, out);
  return out;
}

HmacKey::HmacKey(const std::uint8_t* key, std::size_t key_len) {
  unsigned char block[kBlock] = {};
  if (key_len > kBlock) {
    SHA256_CTX k;
    SHA256_Init(&k);
    SHA256_Update(&k, key, key_len);
    SHA256_Final(block, &k);
    wipe_bytes(&k, sizeof k);
  } else {
    std::memcpy(block, key, key_len);
  }
  unsigned char pad[kBlock];
  for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x36;
  SHA256_Init(&inner_);
  SHA256_Update(&inner_, pad, kBlock);
  for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x5c;
  SHA256_Init(&outer_);
  SHA256_Update(&outer_, pad, kBlock);
  wipe_bytes(pad, sizeof pad);
  wipe_bytes(block, sizeof block);
}

HmacKey::~HmacKey() {
  wipe_bytes(&inner_, sizeof inner_);
  wipe_bytes(&outer_, sizeof outer_);
}

Digest HmacKey::mac(std::string_view data) const {
  SHA256_CTX ctx = inner_;
  SHA256_Update(&ctx, data.data(), data.size());
  Digest inner_hash;
  finish_into(ctx, inner_hash);
  return finish(inner_hash);
}

Digest HmacKey::finish(const Digest& inner_hash) const {
  SHA256_CTX ctx = outer_;
  SHA256_Update(&ctx, inner_hash.data(), inner_hash.size());
  Digest out;
  finish_into(ctx, out);  // SHA256_Final wipes the context's block buffer
  return out;
}

Digest hmac_sha256(const std::uint8_t* key, std::size_t key_len, std::string_view data) {
  return HmacKey(key, key_len).mac(data);
}

void write_hex_at(const Digest& digest, char* text) {
#if defined(__SSE2__)
  // Sixteen bytes at a time: split into nibbles, interleave high and low, map 0-9 to '0'-'9' and
  // 10-15 to 'a'-'f' with one compare.
  const __m128i low_nibble = _mm_set1_epi8(0x0F);
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i zero_char = _mm_set1_epi8('0');
  const __m128i letter_gap = _mm_set1_epi8('a' - '0' - 10);
  const auto to_text = [&](__m128i nibbles) {
    const __m128i letters = _mm_and_si128(_mm_cmpgt_epi8(nibbles, nine), letter_gap);
    return _mm_add_epi8(_mm_add_epi8(nibbles, zero_char), letters);
  };
  for (std::size_t half = 0; half < 2; ++half) {
    const __m128i bytes =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(digest.data() + 16 * half));
    const __m128i hi = _mm_and_si128(_mm_srli_epi16(bytes, 4), low_nibble);
    const __m128i lo = _mm_and_si128(bytes, low_nibble);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(text + 32 * half),
                     to_text(_mm_unpacklo_epi8(hi, lo)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(text + 32 * half + 16),
                     to_text(_mm_unpackhi_epi8(hi, lo)));
  }
#else
  // Two hex digits per table entry: one 16-bit copy per byte.
  static constexpr auto kPairs = [] {
    std::array<std::array<char, 2>, 256> t{};
    constexpr char kHex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < 256; ++i) t[i] = {kHex[i >> 4], kHex[i & 0xF]};
    return t;
  }();
  for (std::size_t i = 0; i < digest.size(); ++i) {
    std::memcpy(text + 2 * i, kPairs[digest[i]].data(), 2);
  }
#endif
}

void write_hex(const Digest& digest, char (&text)[kHexSize]) { write_hex_at(digest, text); }

void append_hex(const Digest& digest, std::string& out) {
  char text[kHexSize];
  write_hex(digest, text);
  out.append(text, sizeof text);
}

PrefixHasher::PrefixHasher() { SHA256_Init(&start_); }

PrefixHasher::~PrefixHasher() {
  wipe_bytes(&start_, sizeof start_);
  wipe_bytes(&state_, sizeof state_);
  wipe_bytes(prefix_.data(), prefix_.size());
}

void PrefixHasher::restart_from(const SHA256_CTX& start) {
  start_ = start;
  wipe_bytes(prefix_.data(), prefix_.size());
  prefix_.clear();
}

Digest PrefixHasher::hash(std::string_view message, std::size_t repeats) {
  const std::size_t keep = std::min(repeats, message.size()) / kBlock * kBlock;
  SHA256_CTX ctx;
  std::size_t done = 0;
  if (!prefix_.empty() && message.size() >= prefix_.size() &&
      std::memcmp(message.data(), prefix_.data(), prefix_.size()) == 0) {
    ctx = state_;
    done = prefix_.size();
    ++reused_;
  } else {
    ctx = start_;
    prefix_.clear();
  }
  if (keep > done) {
    // More of this message is worth keeping than is kept: hash up to there and keep that.
    SHA256_Update(&ctx, message.data() + done, keep - done);
    state_ = ctx;
    prefix_.assign(message.data(), keep);
    done = keep;
  }
  SHA256_Update(&ctx, message.data() + done, message.size() - done);
  Digest out;
  finish_into(ctx, out);
  return out;
}

Sha256Stream::Sha256Stream() { SHA256_Init(&ctx_); }
Sha256Stream::~Sha256Stream() { wipe_bytes(&ctx_, sizeof ctx_); }
void Sha256Stream::update(std::string_view data) { SHA256_Update(&ctx_, data.data(), data.size()); }
Digest Sha256Stream::finish() {
  Digest out;
  finish_into(ctx_, out);
  SHA256_Init(&ctx_);
  return out;
}

}  // namespace awsauth::signer::crypto
