#pragma once
/// @file printable.hpp
/// Text from outside (a server's error code, a URL from the environment) made safe to show in a
/// message: every error message awsauth builds passes such text through these functions, so no
/// terminal escape sequence, line break or secret in a URL reaches a terminal or a log.

#include <string>
#include <string_view>

#include "awsauth/export.hpp"

namespace awsauth {

/// `text` with every byte a terminal could act on escaped: C0 controls (CR, LF, ESC, BEL, ...)
/// and DEL as `\xHH`, a backslash as `\\`, C1 controls (U+0080..U+009F) and bytes that are not
/// valid UTF-8 as `\xHH` per byte. Printable ASCII and valid UTF-8 otherwise pass unchanged.
/// Cut to `max_bytes` of output (with "..." appended) so an echoed body cannot flood a message.
[[nodiscard]] AWSAUTH_API std::string printable(std::string_view text, std::size_t max_bytes = 512);

/// `url` as it may appear in a message: user info (`user:password@`), query and fragment
/// removed, the rest passed through printable(). `https://u:p@host:8443/a?X-Amz-Signature=..`
/// becomes `https://host:8443/a`. Text that is not a URL is only made printable, cut at the
/// first `?` or `#`.
[[nodiscard]] AWSAUTH_API std::string printable_url(std::string_view url);

/// `text` with every occurrence of `secret` replaced by `<redacted>` (a service may echo a
/// session token in its error body). An empty `secret` leaves `text` as it is.
[[nodiscard]] AWSAUTH_API std::string redacted(std::string text, std::string_view secret);

}  // namespace awsauth
