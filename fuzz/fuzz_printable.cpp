// printable(), printable_url() and redacted() (core/src/printable.cpp), the functions every
// message with outside text goes through. Input: one byte choosing max_bytes, one byte giving
// the secret's length, the secret, then the text.
// Properties: the output has no C0, DEL or C1 (C2 80..9F) and is valid UTF-8; it is at most
// max_bytes plus the 3 bytes of "..."; undoing the escapes gives the text back (or, when cut,
// a prefix of it); printable ASCII without a backslash is unchanged; printable_url() shows no
// user info, query or fragment; redacted() leaves no copy of the secret.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/printable.hpp"
#include "printable_checks.hpp"

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The inverse of printable()'s escaping (`\\` and `\xHH`); nullopt for a lone backslash or a
// malformed escape, which printable() must never produce.
std::optional<std::string> unescape(std::string_view shown) {
  std::string out;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (shown[i] != '\\') {
      out.push_back(shown[i]);
      continue;
    }
    if (i + 1 < shown.size() && shown[i + 1] == '\\') {
      out.push_back('\\');
      ++i;
    } else if (i + 3 < shown.size() && shown[i + 1] == 'x' && hex_value(shown[i + 2]) >= 0 &&
               hex_value(shown[i + 3]) >= 0) {
      out.push_back(static_cast<char>(hex_value(shown[i + 2]) * 16 + hex_value(shown[i + 3])));
      i += 3;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

void check_printable(std::string_view text, std::size_t max_bytes) {
  const std::string shown = awsauth::printable(text, max_bytes);
  if (!awsauth::fuzz::is_terminal_safe(shown)) std::abort();
  if (shown.size() > max_bytes + 3) std::abort();
  const bool cut = shown.size() >= 3 && shown.compare(shown.size() - 3, 3, "...") == 0 &&
                   unescape(shown) != std::string(text);
  const auto back = unescape(cut ? std::string_view(shown).substr(0, shown.size() - 3) : shown);
  if (!back) std::abort();
  if (cut ? (back->size() >= text.size() || text.substr(0, back->size()) != *back)
          : *back != text) {
    std::abort();
  }
  bool plain = true;
  for (const char ch : text) plain = plain && ch >= 0x20 && ch < 0x7f && ch != '\\';
  if (plain && text.size() <= max_bytes && shown != text) std::abort();
}

void check_printable_url(std::string_view url) {
  const std::string shown = awsauth::printable_url(url);
  if (!awsauth::fuzz::is_terminal_safe(shown)) std::abort();
  if (shown.find_first_of("?#") != std::string::npos) std::abort();
  // The authority as shown (up to the first '/' after "://") carries no user info.
  if (const auto scheme_end = shown.find("://"); scheme_end != std::string::npos) {
    const auto authority = std::string_view(shown).substr(scheme_end + 3);
    if (authority.substr(0, authority.find('/')).find('@') != std::string_view::npos) {
      std::abort();
    }
  }
}

void check_redacted(std::string_view text, std::string_view secret) {
  const std::string out = awsauth::redacted(std::string(text), secret);
  if (secret.empty() || text.find(secret) == std::string_view::npos) {
    if (out != text) std::abort();
    return;
  }
  // A secret made of the marker's own letters can re-form from "<redacted>" itself.
  const bool marker_like = secret.find_first_of("<>") != std::string_view::npos ||
                           std::string_view("<redacted>").find(secret) != std::string_view::npos;
  if (!marker_like && out.find(secret) != std::string::npos) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // 0..254 exercise the cut at every small size; 255 is the default (512).
  const std::size_t max_bytes = data[0] == 255 ? 512 : data[0];
  const std::size_t secret_len = std::min<std::size_t>(data[1], size - 2);
  const std::string_view secret(reinterpret_cast<const char*>(data) + 2, secret_len);
  const std::string_view text(reinterpret_cast<const char*>(data) + 2 + secret_len,
                              size - 2 - secret_len);

  check_printable(text, max_bytes);
  check_printable_url(text);
  check_redacted(text, secret);
  return 0;
}
