#include "awsauth/url.hpp"

#include <arpa/inet.h>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/printable.hpp"

namespace awsauth {
namespace {}  // namespace

std::optional<HttpUrl> parse_http_url(std::string_view text, std::string& error) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) {
      error = c == ' ' ? "invalid uri character ' '" : "invalid uri character";
      return std::nullopt;
    }
  }
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    error = "URI did not specify a host (expected http://host[:port]/path or https://...)";
    return std::nullopt;
  }
  HttpUrl url;
  url.scheme = detail::ascii_lower(text.substr(0, scheme_end));
  if (url.scheme != "http" && url.scheme != "https") {
    error = "unsupported URI scheme '" + printable(url.scheme, 64) + "' (only http and https)";
    return std::nullopt;
  }
  std::string_view rest = text.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    url.user_info = std::string(authority.substr(0, at));
    authority = authority.substr(at + 1);
  }
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "unterminated IPv6 literal in the URI";
      return std::nullopt;
    }
    url.host = std::string(authority.substr(1, close - 1));
    url.bracketed = true;
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = "unexpected text after the IPv6 literal in the URI";
        return std::nullopt;
      }
      port_text = after.substr(1);
      has_port = true;
    }
    if (parse_ip_literal(url.host).value_or("").size() != 16) {
      error = "invalid IPv6 literal '" + printable(url.host, 64) + "' in the URI";
      return std::nullopt;
    }
  } else {
    const auto colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
  }
  if (url.host.empty()) {
    error = "URI did not specify a host";
    return std::nullopt;
  }
  if (has_port && !port_text.empty()) {
    int port = 0;
    for (const char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) {
        error = "invalid port '" + printable(port_text, 64) + "' in the URI";
        return std::nullopt;
      }
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) {
      error = "invalid port '" + printable(port_text, 64) + "' in the URI";
      return std::nullopt;
    }
    url.port = port;
  }
  if (const auto hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (target[i] != '%') continue;
    if (i + 2 >= target.size() || !detail::is_ascii_hex_digit(target[i + 1]) ||
        !detail::is_ascii_hex_digit(target[i + 2])) {
      error = "invalid percent-escape '" + printable(target.substr(i, 3)) + "' in the URI";
      return std::nullopt;
    }
  }
  url.target = target.empty() ? "/" : std::string(target);
  // A char, not insert(0, "/"): GCC 12 -O2 warns -Wrestrict on that (PR105651).
  if (url.target.front() == '?') url.target.insert(url.target.begin(), '/');
  return url;
}

std::optional<std::string> parse_ip_literal(std::string_view text) {
  const std::string s(text);
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 4);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    return std::string(reinterpret_cast<char*>(buf), 16);
  }
  return std::nullopt;
}

}  // namespace awsauth
