#pragma once
// Quoting text for what the CLI prints: JSON string literals and POSIX shell words.

#include <string>
#include <string_view>

#include "awsauth/detail/json.hpp"

namespace awsauth::cli {

/// `text` as a JSON string literal, quotes included: `"` `\` and control characters escaped
/// (\n \r \t by name, the others as \u00XX); other bytes, UTF-8 included, pass through
/// (JsonEscaping::Minimal).
using ::awsauth::detail::json_string;

/// One message line for the terminal: CR and LF become spaces (a credential_process's stderr
/// may span lines), every other control character (C0, DEL, and C1 encoded in UTF-8)
/// is written as `\xHH`. The library's messages are already printable (awsauth/printable.hpp);
/// this is the last guard before stderr, and leaves printable text unchanged.
[[nodiscard]] std::string message_line(std::string_view text);

/// `text` single-quoted for a POSIX shell (`'` becomes `'\''`), so a pasted command line gets
/// it back verbatim.
[[nodiscard]] std::string shell_quote(std::string_view text);

}  // namespace awsauth::cli
