// The portable CRC kernels (slice-by-8) and the run-time choice between them and the folded
// ones of crc_x86.cpp.

#include "crc.hpp"

#include <atomic>
#include <bit>
#include <cstring>

namespace awsauth::signer::crc {
namespace {

constexpr Tables kCrc32Tables = make_tables(kCrc32Poly);
constexpr Tables kCrc32cTables = make_tables(kCrc32cPoly);

std::uint32_t slice_by_8(const Tables& t, std::uint32_t reg, const unsigned char* p,
                         std::size_t n) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    for (; n >= 8; p += 8, n -= 8) {
      std::uint32_t lo;
      std::uint32_t hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + 4, 4);
      lo ^= reg;
      reg = t[7][lo & 0xFFu] ^ t[6][(lo >> 8) & 0xFFu] ^ t[5][(lo >> 16) & 0xFFu] ^ t[4][lo >> 24] ^
            t[3][hi & 0xFFu] ^ t[2][(hi >> 8) & 0xFFu] ^ t[1][(hi >> 16) & 0xFFu] ^ t[0][hi >> 24];
    }
  }
  for (; n > 0; ++p, --n) reg = (reg >> 8) ^ t[0][(reg ^ *p) & 0xFFu];
  return reg;
}

std::atomic<bool> g_force_portable{false};

bool folded_enabled() noexcept {
  static const bool available = folded_available();
  return available && !g_force_portable.load(std::memory_order_relaxed);
}

}  // namespace

std::uint32_t crc32_portable(std::uint32_t reg, const unsigned char* data,
                             std::size_t size) noexcept {
  return slice_by_8(kCrc32Tables, reg, data, size);
}

std::uint32_t crc32c_portable(std::uint32_t reg, const unsigned char* data,
                              std::size_t size) noexcept {
  return slice_by_8(kCrc32cTables, reg, data, size);
}

void force_portable(bool on) noexcept { g_force_portable.store(on, std::memory_order_relaxed); }

bool using_folded() noexcept { return folded_enabled(); }

}  // namespace awsauth::signer::crc

namespace awsauth::signer {

// zlib's convention: the register starts as ~crc and the result is inverted again, so
// crc32(crc32(0, a), b) == crc32(0, a + b).
std::uint32_t crc32(std::uint32_t crc, const void* data, std::size_t size) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  const std::uint32_t reg = ~crc;
  return ~(crc::folded_enabled() ? crc::crc32_folded(reg, p, size)
                                 : crc::crc32_portable(reg, p, size));
}

std::uint32_t crc32c(std::uint32_t crc, const void* data, std::size_t size) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  const std::uint32_t reg = ~crc;
  return ~(crc::folded_enabled() ? crc::crc32c_folded(reg, p, size)
                                 : crc::crc32c_portable(reg, p, size));
}

}  // namespace awsauth::signer
