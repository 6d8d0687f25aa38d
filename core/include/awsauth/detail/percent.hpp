#pragma once
/// @file detail/percent.hpp
/// NOT API: `awsauth/detail/` holds small internals shared by core, signer, providers and the
/// CLI. They may change or go away in any release; do not include them from your code.
///
/// Percent-encoding (RFC 3986 section 2.1) of a byte string, with the caller choosing which
/// bytes stay as they are, and the lenient decoding AWS services and Python's `unquote` do.
/// Escapes are written with uppercase hex digits, as RFC 3986 and SigV4 ask.

#include <string>
#include <string_view>

#include "awsauth/detail/ascii.hpp"

namespace awsauth::detail {

/// A set of byte values, as a 256-entry table: one load per byte in the encoding loop.
class ByteSet {
 public:
  constexpr ByteSet() = default;

  /// A-Z, a-z, 0-9.
  [[nodiscard]] static constexpr ByteSet alphanumeric() {
    ByteSet s;
    for (int c = 0; c < 256; ++c) {
      s.in_[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
    return s;
  }

  /// RFC 3986 unreserved characters: A-Z, a-z, 0-9, '-', '.', '_', '~'.
  [[nodiscard]] static constexpr ByteSet unreserved() { return alphanumeric().with("-._~"); }

  /// This set plus every byte of `bytes`.
  [[nodiscard]] constexpr ByteSet with(std::string_view bytes) const {
    ByteSet s = *this;
    for (const char c : bytes) s.in_[static_cast<unsigned char>(c)] = true;
    return s;
  }

  [[nodiscard]] constexpr bool contains(unsigned char c) const noexcept { return in_[c]; }

 private:
  bool in_[256] = {};
};

/// Appends `%XX` for byte `c`.
inline void append_percent_escape(std::string& out, unsigned char c) {
  const char e[3] = {'%', upper_hex_digits[c >> 4], upper_hex_digits[c & 0xF]};
  out.append(e, 3);
}

/// Appends the run of bytes in `keep` that starts at `p` (possibly empty) in one append and
/// returns where it ends: the encoders' way of copying what needs no escape.
inline const char* append_kept_run(std::string& out, const char* p, const char* end,
                                   const ByteSet& keep) {
  const char* run = p;
  while (p != end && keep.contains(static_cast<unsigned char>(*p))) ++p;
  out.append(run, static_cast<std::size_t>(p - run));
  return p;
}

/// Appends `in` percent-encoded: bytes in `keep` as they are, a space as '+' when
/// `space_as_plus` (HTML form encoding, Python's `quote_plus`), every other byte as `%XX`.
/// Runs of kept bytes are copied in one append (the signer's hot path).
inline void append_percent_encoded(std::string& out, std::string_view in, const ByteSet& keep,
                                   bool space_as_plus = false) {
  const char* p = in.data();
  const char* const end = p + in.size();
  while (p != end) {
    p = append_kept_run(out, p, end, keep);
    if (p == end) break;
    if (space_as_plus && *p == ' ') {
      out.push_back('+');
    } else {
      append_percent_escape(out, static_cast<unsigned char>(*p));
    }
    ++p;
  }
}

/// `in` percent-encoded (see append_percent_encoded).
[[nodiscard]] inline std::string percent_encoded(std::string_view in, const ByteSet& keep,
                                                 bool space_as_plus = false) {
  std::string out;
  out.reserve(in.size());
  append_percent_encoded(out, in, keep, space_as_plus);
  return out;
}

/// Decodes the byte at `p` and moves `p` past what it took: `%XX` (either case) is the byte
/// 0xXX, '+' is a space when `plus_as_space`, anything else (a '%' not followed by two hex
/// digits included) is itself. `p` must be before `end`.
inline unsigned char next_percent_decoded(const char*& p, const char* end, bool plus_as_space) {
  auto c = static_cast<unsigned char>(*p);
  if (c == '%' && end - p > 2 && is_ascii_hex_digit(p[1]) && is_ascii_hex_digit(p[2])) {
    c = static_cast<unsigned char>(ascii_hex_digit_value(p[1]) * 16 + ascii_hex_digit_value(p[2]));
    p += 3;
    return c;
  }
  ++p;
  return plus_as_space && c == '+' ? static_cast<unsigned char>(' ') : c;
}

/// Calls `sink(unsigned char)` with each byte `in` decodes to: `%XX` (either case) is the byte
/// 0xXX, '+' is a space when `plus_as_space`, and anything else — a '%' not followed by two hex
/// digits included — is itself (AWS services, botocore and Python's `unquote` read it so).
template <class Sink>
void for_each_percent_decoded(std::string_view in, bool plus_as_space, Sink&& sink) {
  const char* p = in.data();
  const char* const end = p + in.size();
  while (p != end) {
    sink(next_percent_decoded(p, end, plus_as_space));
  }
}

/// `in` percent-decoded (see for_each_percent_decoded).
[[nodiscard]] inline std::string percent_decoded(std::string_view in, bool plus_as_space = false) {
  std::string out;
  out.reserve(in.size());
  for_each_percent_decoded(in, plus_as_space,
                           [&out](unsigned char c) { out.push_back(static_cast<char>(c)); });
  return out;
}

}  // namespace awsauth::detail
