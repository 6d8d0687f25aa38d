#include "awsauth/printable.hpp"

namespace awsauth {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_escaped(unsigned char c, std::string& out) {
  const char e[4] = {'\\', 'x', kHex[c >> 4], kHex[c & 0xF]};
  out.append(e, 4);
}

// Length of the valid UTF-8 sequence starting at text[i] (RFC 3629: no overlongs, no
// surrogates, at most U+10FFFF), or 0 when there is none.
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
  }
  return len;
}

}  // namespace

std::string printable(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 8);
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    // What the next input character becomes: itself (printable ASCII, a valid UTF-8
    // sequence), `\\`, or `\xHH`.
    std::size_t in_len = 1;
    std::size_t out_len = 1;
    bool escape = false;
    if (c >= 0x20 && c < 0x7f) {
      out_len = c == '\\' ? 2 : 1;
    } else {
      const std::size_t len = c >= 0x80 ? utf8_sequence(text, i) : 0;
      // U+0080..U+009F (C2 80..C2 9F) are the C1 controls: CSI and OSC to a UTF-8 terminal.
      const bool c1 = len == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
      if (len == 0 || c1) {
        escape = true;
        out_len = 4;
      } else {
        in_len = out_len = len;
      }
    }
    // Cut before a character that would not fit whole, so the output stays within max_bytes
    // (plus the "...") and never ends in half an escape or half a UTF-8 sequence.
    if (out.size() + out_len > max_bytes) {
      out += "...";
      break;
    }
    if (escape) {
      append_escaped(c, out);
    } else {
      if (c == '\\') out.push_back('\\');
      out.append(text.substr(i, in_len));
    }
    i += in_len;
  }
  return out;
}

std::string printable_url(std::string_view url) {
  std::string_view shown = url.substr(0, url.find_first_of("?#"));
  const auto scheme_end = shown.find("://");
  if (scheme_end == std::string_view::npos) return printable(shown);
  const auto authority_start = scheme_end + 3;
  const auto authority_end = shown.find('/', authority_start);
  const std::string_view authority = shown.substr(authority_start, authority_end - authority_start);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return printable(shown);
  std::string out(shown.substr(0, authority_start));
  out.append(authority.substr(at + 1));
  if (authority_end != std::string_view::npos) out.append(shown.substr(authority_end));
  return printable(out);
}

std::string redacted(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "<redacted>");
    pos += 10;
  }
  return text;
}

}  // namespace awsauth
