#pragma once
// Internal: the small URL grammar the metadata providers accept for their endpoints.

#include <optional>
#include <string>
#include <string_view>

namespace awsauth::providers::detail {

/// An absolute http(s) URL split into the parts the metadata providers check.
struct HttpUrl {
  std::string scheme;  ///< "http" or "https", lower case
  std::string host;    ///< without the brackets of an IPv6 literal
  bool bracketed = false;  ///< the host was written as `[v6 literal]`
  std::optional<int> port;
  std::string target;  ///< path and query, starting with '/'
};

/// Parses `http[s]://host[:port][/path][?query]`. On failure returns nullopt and sets `error`
/// to a short reason ("URI did not specify a host", "invalid uri character ' '", ...).
[[nodiscard]] std::optional<HttpUrl> parse_http_url(std::string_view text, std::string& error);

/// Parses a numeric IPv4 or IPv6 address (no brackets) into 4 or 16 bytes; nullopt otherwise.
[[nodiscard]] std::optional<std::string> parse_ip_literal(std::string_view text);

}  // namespace awsauth::providers::detail
