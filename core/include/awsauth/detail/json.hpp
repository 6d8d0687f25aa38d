#pragma once
/// @file detail/json.hpp
/// NOT API: `awsauth/detail/` holds small internals shared by core, signer, providers and the
/// CLI. They may change or go away in any release; do not include them from your code.
///
/// JSON string literals (RFC 8259 section 7) for the JSON we write by hand.

#include <string>
#include <string_view>

#include "awsauth/export.hpp"

namespace awsauth::detail {

/// Which bytes a JSON string literal escapes, beyond the '"', '\\' and C0 controls JSON
/// requires.
enum class JsonEscaping {
  /// '"', '\\', LF, CR and TAB as two-character escapes, other C0 controls as `\u00xx`, every
  /// other byte as it is (UTF-8 passes through): the CLI's output and our cache files.
  Minimal,
  /// Python's `json.dumps` default (`ensure_ascii=True`), byte for byte, for keys botocore
  /// hashes: also BS and FF as `\b` and `\f`; DEL and every non-ASCII character as `\uxxxx`
  /// (UTF-16 surrogate pairs above U+FFFF); a byte that does not start a valid UTF-8 sequence
  /// as `\u00xx` (as if it were Latin-1).
  PythonAscii,
};

/// Appends `text` as a quoted JSON string literal.
AWSAUTH_API void append_json_string(std::string& out, std::string_view text,
                                    JsonEscaping escaping = JsonEscaping::Minimal);

/// `text` as a quoted JSON string literal.
[[nodiscard]] AWSAUTH_API std::string json_string(std::string_view text,
                                                  JsonEscaping escaping = JsonEscaping::Minimal);

}  // namespace awsauth::detail
