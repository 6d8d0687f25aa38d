#pragma once
/// @file url.hpp
/// The absolute http(s) URLs awsauth sends requests to, split without decoding anything: the
/// request target is kept byte for byte as written, so what goes on the request line is what
/// a signer read from the same URL.

#include <optional>
#include <string>
#include <string_view>

#include "awsauth/export.hpp"

namespace awsauth {

/// An absolute `http[s]://[user_info@]host[:port][/path][?query][#fragment]`.
struct AWSAUTH_API HttpUrl {
  std::string scheme;                    ///< "http" or "https", lower case
  std::optional<std::string> user_info;  ///< before the `@`, as written; nullopt when no `@`
  std::string host;                      ///< without the brackets of an IPv6 literal
  bool bracketed = false;                ///< the host was written as `[v6 literal]`
  std::optional<int> port;
  /// Path and query exactly as written (no decoding, no re-encoding), starting with `/`;
  /// the fragment is dropped.
  std::string target;

  /// The port, or the scheme's default (80, 443).
  [[nodiscard]] int effective_port() const noexcept {
    return port.value_or(scheme == "https" ? 443 : 80);
  }
};

/// Parses an absolute http(s) URL. Refuses what cannot be sent on a request line: control
/// characters, DEL and spaces anywhere, a `%` not followed by two hex digits in the target, a
/// missing host, a port outside 1..65535. On failure returns nullopt and sets `error` to a
/// short reason ("invalid uri character ' '", "invalid percent-escape '%zz' in the URI", ...)
/// that never quotes the user info and quotes other parts through printable().
[[nodiscard]] AWSAUTH_API std::optional<HttpUrl> parse_http_url(std::string_view text,
                                                                std::string& error);

/// Parses a numeric IPv4 or IPv6 address (no brackets) into 4 or 16 bytes; nullopt otherwise.
[[nodiscard]] AWSAUTH_API std::optional<std::string> parse_ip_literal(std::string_view text);

}  // namespace awsauth
