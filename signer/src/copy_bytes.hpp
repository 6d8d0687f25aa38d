#pragma once
// copy_bytes(): memcpy for the short strings a signature writes many of (header names and
// prefixes, dates, scopes, hex hashes: most under 64 bytes), inline. Two overlapping moves of
// 4, 8 or 16 bytes take the place of a call through the PLT into glibc's size dispatch, which
// costs more than the copy itself at these sizes; longer strings still go to memcpy.

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace awsauth::signer::bytes {

/// Copies `n` bytes from `src` to `dst`; the two ranges must not overlap.
[[gnu::always_inline]] inline void copy(char* dst, const char* src, std::size_t n) noexcept {
  // Each fixed-size std::memcpy below compiles to one load and one store.
  if (n <= 16) {
    if (n >= 8) {
      std::memcpy(dst, src, 8);
      std::memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4) {
      std::memcpy(dst, src, 4);
      std::memcpy(dst + n - 4, src + n - 4, 4);
    } else if (n != 0) {
      dst[0] = src[0];
      dst[n / 2] = src[n / 2];
      dst[n - 1] = src[n - 1];
    }
    return;
  }
  if (n <= 32) {
    std::memcpy(dst, src, 16);
    std::memcpy(dst + n - 16, src + n - 16, 16);
    return;
  }
  if (n <= 64) {
    std::memcpy(dst, src, 32);
    std::memcpy(dst + n - 32, src + n - 32, 32);
    return;
  }
  std::memcpy(dst, src, n);
}

/// Copies `piece` to `w` and returns the end of what it wrote.
[[gnu::always_inline]] inline char* put(char* w, std::string_view piece) noexcept {
  copy(w, piece.data(), piece.size());
  return w + piece.size();
}

/// Gives `s` the size `n`. A buffer reused for the next signature usually has that size
/// already, and then this is one compare: no call into std::string.
[[gnu::always_inline]] inline void size_to(std::string& s, std::size_t n) {
  if (s.size() != n) s.resize(n);
}

/// Writes `value` over `out`, which must not hold it.
[[gnu::always_inline]] inline void overwrite(std::string& out, std::string_view value) {
  size_to(out, value.size());
  copy(out.data(), value.data(), value.size());
}

}  // namespace awsauth::signer::bytes
