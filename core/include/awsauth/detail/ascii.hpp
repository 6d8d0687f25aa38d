#pragma once
/// @file detail/ascii.hpp
/// NOT API: `awsauth/detail/` holds small internals shared by core, signer, providers and the
/// CLI. They may change or go away in any release; do not include them from your code.
///
/// ASCII-only text helpers for protocol text (header names, URL schemes and hosts, config keys
/// and values): only A-Z and a-z fold, whatever the process locale — the "C" locale behaviour
/// of std::tolower, without its locale lookup.

#include <cstddef>
#include <string>
#include <string_view>

namespace awsauth::detail {

[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] constexpr char ascii_upper(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

/// `s` with A-Z folded to a-z.
[[nodiscard]] inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

/// `s` with a-z folded to A-Z.
[[nodiscard]] inline std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_upper(c);
  return out;
}

/// Equal ignoring ASCII case (header names: RFC 9110 section 5.1).
[[nodiscard]] constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

/// `a` sorts before `b` once both are lowercased (byte order), without building either.
[[nodiscard]] constexpr bool ascii_iless(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(ascii_lower(a[i]));
    const auto y = static_cast<unsigned char>(ascii_lower(b[i]));
    if (x != y) return x < y;
  }
  return a.size() < b.size();
}

/// ascii_iless as a transparent comparator, for a map keyed by header name.
struct AsciiCaseLess {
  using is_transparent = void;
  [[nodiscard]] constexpr bool operator()(std::string_view a, std::string_view b) const noexcept {
    return ascii_iless(a, b);
  }
};

[[nodiscard]] constexpr bool is_ascii_hex_digit(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// 0-15 for a hex digit (either case), -1 for anything else.
[[nodiscard]] constexpr int ascii_hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline constexpr char lower_hex_digits[] = "0123456789abcdef";
inline constexpr char upper_hex_digits[] = "0123456789ABCDEF";

}  // namespace awsauth::detail
