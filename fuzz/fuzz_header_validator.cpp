// validate_header() and is_http_token() (core/src/http.cpp) against a reference written here
// from RFC 9110 (token = 1*tchar) and RFC 9112 (a field value ends at CR or LF; NUL is never
// allowed). Input: one byte giving the name's length, the name, then the value.
// Properties: both agree with the reference on every input; the only exception is
// HttpError(InvalidRequest); its message is terminal-safe, bounded, and the same whatever the
// value's bytes (so a secret value never shows in it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/http.hpp"
#include "printable_checks.hpp"

namespace {

// RFC 9110 section 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "."
// / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA. Spelled as a table, not as ranges.
bool reference_tchar(unsigned char c) {
  static const std::string_view kTchars =
      "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  return c != 0 && kTchars.find(static_cast<char>(c)) != std::string_view::npos;
}

bool reference_token(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!reference_tchar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool reference_value_ok(std::string_view value) {
  for (const char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// nullopt when validate_header accepts; the message when it refuses.
std::optional<std::string> validate(std::string_view name, std::string_view value) {
  try {
    awsauth::validate_header(name, value);
    return std::nullopt;
  } catch (const awsauth::HttpError& e) {
    if (e.kind() != awsauth::HttpErrorKind::InvalidRequest) std::abort();
    return std::string(e.what());
  }
}

// The value with every byte that is not CR, LF or NUL replaced: what validate_header may tell
// about a value is where it breaks the header, never what it says.
std::string neutralized(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (c != '\r' && c != '\n' && c != '\0') c = c == 'Q' ? 'Z' : 'Q';
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t name_len = std::min<std::size_t>(data[0], size - 1);
  const std::string_view name(reinterpret_cast<const char*>(data) + 1, name_len);
  const std::string_view value(reinterpret_cast<const char*>(data) + 1 + name_len,
                               size - 1 - name_len);

  const bool token = awsauth::is_http_token(name);
  if (token != reference_token(name)) std::abort();

  const auto refused = validate(name, value);
  if (refused.has_value() != !(token && reference_value_ok(value))) std::abort();
  if (refused) {
    if (!awsauth::fuzz::is_terminal_safe(*refused)) std::abort();
    if (refused->size() > 512) std::abort();  // the name is shown cut to 64 bytes
    const auto without = validate(name, neutralized(value));
    // The same message with the value's bytes changed: it cannot be quoting the value.
    if (!without || *without != *refused) std::abort();
  }
  return 0;
}
