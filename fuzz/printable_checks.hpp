#pragma once
// What "safe to show on a terminal" means, written independently of awsauth/printable.hpp and
// cli/quoting.hpp so the targets that print (fuzz_printable, fuzz_cli_header, fuzz_cli_url)
// check those functions against a second reading of the same rule.

#include <cstddef>
#include <cstdlib>
#include <string_view>

namespace awsauth::fuzz {

/// A C0 control (CR, LF, ESC, BEL, ...) or DEL anywhere.
inline bool has_c0_or_del(std::string_view text) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

/// The UTF-8 encoding of a C1 control (U+0080..U+009F: C2 80..C2 9F), which a UTF-8
/// terminal reads as CSI, OSC, ...
inline bool has_c1_sequence(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    if (static_cast<unsigned char>(text[i]) == 0xC2 && b1 >= 0x80 && b1 <= 0x9F) return true;
  }
  return false;
}

/// RFC 3629 UTF-8, decoded to code points: no overlong form, no surrogate, nothing above
/// U+10FFFF, no truncated sequence.
inline bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned cp = 0;
    if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return false;
    }
    if (i + len > text.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    const unsigned min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

/// Nothing a terminal could act on: no C0, DEL or C1, and valid UTF-8.
inline bool is_terminal_safe(std::string_view text) {
  return !has_c0_or_del(text) && !has_c1_sequence(text) && is_valid_utf8(text);
}

/// `secret` (a header value, user info) does not show in `message`. Short strings are
/// skipped: a 3-byte value occurs in ordinary words. `message_without` is the message built
/// from the same input with the secret replaced, so text that is in every message ("a valid
/// HTTP token") is not mistaken for an echo.
inline bool leaks(std::string_view message, std::string_view secret,
                  std::string_view message_without) {
  return secret.size() >= 8 && message.find(secret) != std::string_view::npos &&
         message_without.find(secret) == std::string_view::npos;
}

}  // namespace awsauth::fuzz
