#include "awsauth/signer/request.hpp"

#include <charconv>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/printable.hpp"

namespace awsauth::signer {
namespace {

// The URL as a message may show it (printable_url: no user info, query or fragment, no
// control bytes): a presigned URL's signature or a password in the URL is never echoed.
SigningError bad_url(std::string_view url, const std::string& problem) {
  // NOLINTNEXTLINE(modernize-return-braced-init-list): the constructor is explicit
  return SigningError("URL '" + printable_url(url) + "' " + problem);
}

}  // namespace

Request parse_url(std::string_view method, std::string_view url) {
  Request r;
  r.method = std::string(method);
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    throw bad_url(url, "has no scheme (expected https://host/...)");
  }
  r.scheme = detail::ascii_lower(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  const auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view path_and_query =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  if (authority.empty()) {
    throw bad_url(url, "has no host");
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      throw bad_url(url, "has an unterminated IPv6 host");
    }
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        throw bad_url(url, "has a malformed host");
      }
      port = authority.substr(close + 2);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || host.find_first_of(" \t\r\n") != std::string_view::npos) {
    throw bad_url(url, "has an invalid host");
  }
  r.host = detail::ascii_lower(host);
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value > 65535) {
      throw bad_url(url, "has an invalid port '" + printable(port, 16) + "'");
    }
    // botocore `_host_from_url`: the port is part of Host unless it is the scheme's default.
    const bool default_port =
        (r.scheme == "https" && value == 443) || (r.scheme == "http" && value == 80);
    if (!default_port) {
      r.host += ':' + std::to_string(value);
    }
  }
  const auto q = path_and_query.find('?');
  r.path = std::string(path_and_query.substr(0, q));
  if (r.path.empty()) {
    r.path.push_back('/');  // not `r.path = "/"`: GCC 12 -O2 warns -Wrestrict on it (PR105329)
  }
  if (q != std::string_view::npos) {
    r.query = std::string(path_and_query.substr(q + 1));
  }
  return r;
}

}  // namespace awsauth::signer
