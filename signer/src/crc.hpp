#pragma once
// The CRC32 / CRC32C kernels behind checksum.hpp's crc32() and crc32c(). All of them work on the
// raw CRC register (no pre- or post-inversion; the public functions add that), so they chain.
//
// Two implementations of each:
//   - portable: slice-by-8 tables (eight bytes per step, any CPU);
//   - folded (x86-64 with PCLMULQDQ, and SSE4.2 for CRC32C): four 128-bit lanes folded forward
//     64 bytes per step with carry-less multiplies (Intel, "Fast CRC Computation for Generic
//     Polynomials Using PCLMULQDQ Instruction", 2009), the last lane reduced by the table (CRC32)
//     or the SSE4.2 crc32 instruction (CRC32C).
// The dispatch (crc.cpp) picks folded when the CPU has the instructions, and tests can force the
// portable path to check both against zlib and awscrt.

#include <array>
#include <cstddef>
#include <cstdint>

namespace awsauth::signer::crc {

/// Reflected polynomials (bit 0 is the x^31 coefficient).
inline constexpr std::uint32_t kCrc32Poly = 0xEDB88320u;   // 0x04C11DB7 reflected
inline constexpr std::uint32_t kCrc32cPoly = 0x82F63B78u;  // 0x1EDC6F41 reflected

/// Slice-by-8 tables: table[0] is the byte-at-a-time table, table[k][b] the register after
/// byte b followed by k zero bytes.
using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr Tables make_tables(std::uint32_t reflected_poly) {
  Tables t{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t r = b;
    for (int i = 0; i < 8; ++i) r = (r >> 1) ^ ((r & 1u) ? reflected_poly : 0u);
    t[0][b] = r;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::size_t b = 0; b < 256; ++b) {
      t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFFu];
    }
  }
  return t;
}

/// Fold constants, derived here rather than copied: to move a 128-bit lane forward over D bits
/// of later data, its first (low, in the reflected load) 64 bits are multiplied by
/// x^(D+32) mod P and its last 64 bits by x^(D-32) mod P, each bit-reflected to 32 bits and
/// shifted left once (the reflected domain's product lands one bit low). D is 512 for the
/// four-lane loop (k1, k2) and 128 for folding one lane into the next (k3, k4). For CRC32 these
/// come out as the white paper's 0x154442bd4, 0x1c6e41596, 0x1751997d0, 0x0ccaa009e (checked by
/// static_assert in crc_x86.cpp); the same derivation was checked against a bitwise CRC in a
/// Python model of the loop before it was written in C++.
struct FoldConstants {
  std::uint64_t k1, k2, k3, k4;
};

constexpr std::uint32_t reflect32(std::uint32_t v) {
  std::uint32_t r = 0;
  for (int i = 0; i < 32; ++i) {
    if ((v >> i) & 1u) r |= 1u << (31 - i);
  }
  return r;
}

/// x^e mod P, P given by its low 32 bits (normal, non-reflected form; x^32 implied).
constexpr std::uint32_t xpow_mod(unsigned e, std::uint32_t normal_poly) {
  std::uint32_t r = 1;
  for (unsigned i = 0; i < e; ++i) {
    const bool carry = (r & 0x80000000u) != 0;
    r <<= 1;
    if (carry) r ^= normal_poly;
  }
  return r;
}

constexpr std::uint64_t fold_constant(unsigned e, std::uint32_t normal_poly) {
  return static_cast<std::uint64_t>(reflect32(xpow_mod(e, normal_poly))) << 1;
}

constexpr FoldConstants make_fold_constants(std::uint32_t normal_poly) {
  return {fold_constant(4 * 128 + 32, normal_poly), fold_constant(4 * 128 - 32, normal_poly),
          fold_constant(128 + 32, normal_poly), fold_constant(128 - 32, normal_poly)};
}

inline constexpr FoldConstants kCrc32Fold = make_fold_constants(0x04C11DB7u);
inline constexpr FoldConstants kCrc32cFold = make_fold_constants(0x1EDC6F41u);

/// Portable slice-by-8 over the raw register.
std::uint32_t crc32_portable(std::uint32_t reg, const unsigned char* data,
                             std::size_t size) noexcept;
std::uint32_t crc32c_portable(std::uint32_t reg, const unsigned char* data,
                              std::size_t size) noexcept;

/// True when the CPU has what the folded kernels need (PCLMULQDQ + SSE4.2 on x86-64).
bool folded_available() noexcept;

/// The folded kernels (call only when folded_available()).
std::uint32_t crc32_folded(std::uint32_t reg, const unsigned char* data, std::size_t size) noexcept;
std::uint32_t crc32c_folded(std::uint32_t reg, const unsigned char* data,
                            std::size_t size) noexcept;

/// Makes crc32() / crc32c() use the portable kernels even when the folded ones are available
/// (tests and benchmarks); false restores the dispatch.
void force_portable(bool on) noexcept;
/// Whether crc32() / crc32c() currently run the folded kernels.
bool using_folded() noexcept;

}  // namespace awsauth::signer::crc
