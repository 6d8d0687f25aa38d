// URL grammars: the metadata providers' endpoint parser, the IP literal parser, and the
// signer's parse_url. Properties: a parsed target starts with '/', an IP literal is 4 or 16
// bytes, a port is in 0..65535.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "awsauth/signer/request.hpp"
#include "http_url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace d = awsauth::providers::detail;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  if (const auto url = d::parse_http_url(text, error)) {
    if (url->target.empty() || url->target.front() != '/') std::abort();
    if (url->port && (*url->port < 0 || *url->port > 65535)) std::abort();
    if (url->scheme != "http" && url->scheme != "https") std::abort();
  } else if (error.empty()) {
    std::abort();  // a failure must say why
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
