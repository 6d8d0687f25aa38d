#include "metadata/http_url.hpp"

namespace awsauth::providers::detail {
namespace {

// Characters that can never appear in a URL as written in an environment variable or a
// profile: whitespace, controls, quotes and angle brackets (RFC 3986 excludes them).
bool is_invalid_uri_char(unsigned char c) {
  return c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
         c == '`' || c == '{' || c == '|' || c == '}';
}

}  // namespace

std::optional<HttpUrl> parse_endpoint_url(std::string_view text, std::string& error) {
  for (unsigned char c : text) {
    if (is_invalid_uri_char(c)) {
      error = c == ' ' ? "invalid uri character ' '" : "invalid uri character";
      return std::nullopt;
    }
  }
  auto url = parse_http_url(text, error);
  if (url && url->user_info) {
    error = "user information is not allowed in the URI";
    return std::nullopt;
  }
  return url;
}

}  // namespace awsauth::providers::detail
