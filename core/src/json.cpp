#include "awsauth/detail/json.hpp"

#include <cstdint>

#include "awsauth/detail/ascii.hpp"

namespace awsauth::detail {
namespace {

// `\u` and four lowercase hex digits, as Python writes them.
void append_u_escape(std::string& out, std::uint32_t unit) {
  const char e[6] = {'\\',
                     'u',
                     lower_hex_digits[(unit >> 12) & 0xF],
                     lower_hex_digits[(unit >> 8) & 0xF],
                     lower_hex_digits[(unit >> 4) & 0xF],
                     lower_hex_digits[unit & 0xF]};
  out.append(e, 6);
}

// Python escapes a code point above U+FFFF as a UTF-16 surrogate pair.
void append_code_point(std::string& out, std::uint32_t cp) {
  if (cp >= 0x10000) {
    cp -= 0x10000;
    append_u_escape(out, 0xD800u + (cp >> 10));
    append_u_escape(out, 0xDC00u + (cp & 0x3FFu));
  } else {
    append_u_escape(out, cp);
  }
}

// Decodes the UTF-8 sequence starting at text[i] (a byte >= 0x80); returns its length, or 0
// when the bytes there are not one.
std::size_t decode_utf8(std::string_view text, std::size_t i, std::uint32_t& cp) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 0;
  if (len == 0 || i + len > text.size()) return 0;
  cp = (len == 4) ? (c & 0x07u) : (len == 3) ? (c & 0x0Fu) : (c & 0x1Fu);
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  return len;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text, JsonEscaping escaping) {
  const bool python = escaping == JsonEscaping::PythonAscii;
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    // Python escapes everything outside ' '..'~' (ESCAPE_ASCII is [^\ -~]), DEL included.
    if (python && c == 0x7f) {
      append_u_escape(out, c);
      ++i;
      continue;
    }
    if (python && c >= 0x80) {
      std::uint32_t cp = 0;
      const std::size_t len = decode_utf8(text, i, cp);
      if (len == 0) {
        append_u_escape(out, c);
        ++i;
      } else {
        append_code_point(out, cp);
        i += len;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += python ? "\\b" : "\\u0008";
        break;
      case '\f':
        out += python ? "\\f" : "\\u000c";
        break;
      default:
        if (c < 0x20) {
          append_u_escape(out, c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

std::string json_string(std::string_view text, JsonEscaping escaping) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text, escaping);
  return out;
}

}  // namespace awsauth::detail
