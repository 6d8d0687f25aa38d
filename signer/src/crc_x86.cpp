// The folded CRC kernels for x86-64 (PCLMULQDQ, and SSE4.2's crc32 instruction for CRC32C).
// Only these functions are compiled for those instructions (the target attribute), so the rest
// of the build keeps its flags and the dispatch in crc.cpp decides at run time.

#include "crc.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include <cstring>

#define AWSAUTH_CRC_TARGET __attribute__((target("sse4.2,pclmul")))

namespace awsauth::signer::crc {

// The published CRC32 constants (Intel white paper; zlib's crc_folding.c uses the same) agree
// with the derivation in crc.hpp.
static_assert(kCrc32Fold.k1 == 0x154442bd4u && kCrc32Fold.k2 == 0x1c6e41596u);
static_assert(kCrc32Fold.k3 == 0x1751997d0u && kCrc32Fold.k4 == 0x0ccaa009eu);

namespace {

AWSAUTH_CRC_TARGET inline __m128i load(const unsigned char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// lane * x^D mod-P-equivalent, plus the next 16 bytes: the low half times k.lo, the high half
// times k.hi (see crc.hpp for which constant is which).
AWSAUTH_CRC_TARGET inline __m128i fold(__m128i lane, __m128i k, __m128i next) {
  return _mm_xor_si128(
      _mm_xor_si128(_mm_clmulepi64_si128(lane, k, 0x00), _mm_clmulepi64_si128(lane, k, 0x11)),
      next);
}

// Folds all of `data` but the last size % 16 bytes down to one 128-bit lane whose CRC (from a
// zero register) equals the CRC of those bytes from `reg`. Needs size >= 64.
AWSAUTH_CRC_TARGET __m128i fold_to_lane(std::uint32_t reg, const unsigned char*& p, std::size_t& n,
                                        const FoldConstants& c) {
  __m128i x0 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(reg)));
  __m128i x1 = load(p + 16);
  __m128i x2 = load(p + 32);
  __m128i x3 = load(p + 48);
  p += 64;
  n -= 64;
  const __m128i k12 = _mm_set_epi64x(static_cast<long long>(c.k2), static_cast<long long>(c.k1));
  while (n >= 64) {
    x0 = fold(x0, k12, load(p));
    x1 = fold(x1, k12, load(p + 16));
    x2 = fold(x2, k12, load(p + 32));
    x3 = fold(x3, k12, load(p + 48));
    p += 64;
    n -= 64;
  }
  const __m128i k34 = _mm_set_epi64x(static_cast<long long>(c.k4), static_cast<long long>(c.k3));
  x0 = fold(x0, k34, x1);
  x0 = fold(x0, k34, x2);
  x0 = fold(x0, k34, x3);
  while (n >= 16) {
    x0 = fold(x0, k34, load(p));
    p += 16;
    n -= 16;
  }
  return x0;
}

AWSAUTH_CRC_TARGET std::uint32_t crc32c_bytes(std::uint32_t reg, const unsigned char* p,
                                              std::size_t n) {
  std::uint64_t r = reg;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    r = _mm_crc32_u64(r, v);
  }
  auto r32 = static_cast<std::uint32_t>(r);
  for (; n > 0; ++p, --n) r32 = _mm_crc32_u8(r32, *p);
  return r32;
}

}  // namespace

bool folded_available() noexcept {
  __builtin_cpu_init();
  return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.2");
}

AWSAUTH_CRC_TARGET std::uint32_t crc32_folded(std::uint32_t reg, const unsigned char* data,
                                              std::size_t size) noexcept {
  if (size < 64) return crc32_portable(reg, data, size);
  const __m128i lane = fold_to_lane(reg, data, size, kCrc32Fold);
  alignas(16) unsigned char bytes[16];
  _mm_store_si128(reinterpret_cast<__m128i*>(bytes), lane);
  return crc32_portable(crc32_portable(0, bytes, 16), data, size);
}

AWSAUTH_CRC_TARGET std::uint32_t crc32c_folded(std::uint32_t reg, const unsigned char* data,
                                               std::size_t size) noexcept {
  // Below a few hundred bytes the crc32 instruction alone is as fast as folding.
  if (size < 256) return crc32c_bytes(reg, data, size);
  const __m128i lane = fold_to_lane(reg, data, size, kCrc32cFold);
  std::uint64_t r = _mm_crc32_u64(0, static_cast<std::uint64_t>(_mm_cvtsi128_si64(lane)));
  r = _mm_crc32_u64(r, static_cast<std::uint64_t>(_mm_extract_epi64(lane, 1)));
  return crc32c_bytes(static_cast<std::uint32_t>(r), data, size);
}

}  // namespace awsauth::signer::crc

#else  // not x86-64: the portable kernels only

namespace awsauth::signer::crc {

bool folded_available() noexcept { return false; }
std::uint32_t crc32_folded(std::uint32_t reg, const unsigned char* data,
                           std::size_t size) noexcept {
  return crc32_portable(reg, data, size);
}
std::uint32_t crc32c_folded(std::uint32_t reg, const unsigned char* data,
                            std::size_t size) noexcept {
  return crc32c_portable(reg, data, size);
}

}  // namespace awsauth::signer::crc

#endif
