// URL grammars: the core parse_http_url (awsauth/url.hpp), the metadata providers' stricter
// parse_endpoint_url on top of it, the IP literal parser, and the signer's parse_url.
// Properties: a failure has a reason, in terminal-safe text; a parsed target starts with '/'
// and holds no byte the parser refuses; the scheme is http(s); a port is in 1..65535; an IP
// literal is 4 or 16 bytes; a bracketed host is an IPv6 literal; whatever the endpoint parser
// accepts the core parser accepts identically (with no user info and no RFC 3986 excluded
// character).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "awsauth/signer/request.hpp"
#include "awsauth/url.hpp"
#include "metadata/http_url.hpp"
#include "printable_checks.hpp"

namespace {

void check_parsed(const awsauth::HttpUrl& url) {
  if (url.target.empty() || url.target.front() != '/') std::abort();
  if (url.target.find('#') != std::string::npos) std::abort();  // the fragment is dropped
  for (const char ch : url.target) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) std::abort();
  }
  if (url.port && (*url.port < 1 || *url.port > 65535)) std::abort();
  if (url.scheme != "http" && url.scheme != "https") std::abort();
  if (url.host.empty()) std::abort();
  if (url.bracketed && awsauth::parse_ip_literal(url.host).value_or("").size() != 16) {
    std::abort();
  }
  if (url.effective_port() < 1 || url.effective_port() > 65535) std::abort();
}

bool excluded_by_rfc3986(std::string_view text) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f ||
        std::string_view("\"<>\\^`{|}").find(ch) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace d = awsauth::providers::detail;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  std::string core_error;
  const auto core = awsauth::parse_http_url(text, core_error);
  if (core) {
    check_parsed(*core);
  } else if (core_error.empty() || !awsauth::fuzz::is_terminal_safe(core_error)) {
    std::abort();  // a failure says why, in text a message may quote
  }

  std::string endpoint_error;
  if (const auto endpoint = d::parse_endpoint_url(text, endpoint_error)) {
    check_parsed(*endpoint);
    if (endpoint->user_info || excluded_by_rfc3986(text)) std::abort();
    // Stricter, never different: the same split as the core parser's.
    if (!core || core->host != endpoint->host || core->port != endpoint->port ||
        core->target != endpoint->target || core->scheme != endpoint->scheme ||
        core->bracketed != endpoint->bracketed) {
      std::abort();
    }
  } else if (endpoint_error.empty()) {
    std::abort();
  }

  if (const auto ip = d::parse_ip_literal(text)) {
    if (ip->size() != 4 && ip->size() != 16) std::abort();
  }
  try {
    (void)awsauth::signer::parse_url("GET", text);
  } catch (const awsauth::signer::SigningError&) {
  }
  return 0;
}
