// The CLI's URL argument, as `awsauth curl` handles it: parse_curl_options (cli/
// curl_options.cpp) with --service s3 and sts, the core parse_http_url, the signer's
// parse_url, the wire URL curl sends (scheme://host[:port] + signer::wire_path + query), and
// printable_url for messages. The input is the argument's bytes.
// Properties:
// - curl accepts the URL only if parse_http_url does; its usage message is terminal-safe and
//   never shows the user info (printed to stderr as is).
// - What parse_http_url accepts the signer accepts, with the same host (the Host header the
//   HTTP client sends, botocore `_host_from_url`) and the same path and query.
// - For S3 and non-S3 settings the wire URL parses back with exactly that target: the HTTP
//   client sends what was signed, and the service recomputes the same canonical URI from it.
// - printable_url shows no user info, query, fragment or control byte; a SigningError neither.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/printable.hpp"
#include "awsauth/signer/canonical.hpp"
#include "awsauth/signer/request.hpp"
#include "awsauth/signer/settings.hpp"
#include "awsauth/url.hpp"
#include "curl_options.hpp"
#include "printable_checks.hpp"

namespace {

namespace cli = awsauth::cli;
namespace signer = awsauth::signer;

// The HTTP client's Host header (core/src/http_poco.cpp host_header), restated.
std::string reference_host(const awsauth::HttpUrl& url) {
  std::string host;
  for (const char c : url.host) host += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  if (url.bracketed) host = "[" + host + "]";
  const bool default_port =
      (url.scheme == "https" && url.port == 443) || (url.scheme == "http" && url.port == 80);
  if (url.port && !default_port) host += ":" + std::to_string(*url.port);
  return host;
}

// `message` shows the URL's user info (a password) followed by its `@`. User info shorter than
// `min_size` is not looked for.
bool shows_user_info(std::string_view message, const std::optional<awsauth::HttpUrl>& url,
                     std::string_view text, std::size_t min_size) {
  if (!url || !url->user_info || url->user_info->size() < min_size) return false;
  const std::string with_at = *url->user_info + "@";
  // The user info may also be the host or path text itself ("http://secret12@secret12/").
  return message.find(with_at) != std::string_view::npos &&
         text.find(with_at) == text.rfind(with_at);
}

void check_curl(const std::string& text, const char* service,
                const std::optional<awsauth::HttpUrl>& url) {
  try {
    const cli::CurlOptions o = cli::parse_curl_options({"--service", service, text});
    if (o.help) return;  // "-h" / "--help": no URL to check
    if (!url || o.url != text || o.service != service) std::abort();
  } catch (const cli::CurlUsageError& e) {
    // run_curl prints usage errors as they are: they must already be safe.
    if (!awsauth::fuzz::is_terminal_safe(e.what())) std::abort();
    if (shows_user_info(e.what(), url, text, 8)) std::abort();
  }
}

void check_wire(const awsauth::HttpUrl& url, const signer::Request& request,
                const signer::SigningSettings& settings) {
  const std::string path = signer::wire_path(request.path, settings);
  if (path.empty() || path.front() != '/') std::abort();
  // curl.cpp wire_url().
  std::string wire = url.scheme + "://";
  wire += url.bracketed ? "[" + url.host + "]" : url.host;
  if (url.port) wire += ":" + std::to_string(*url.port);
  wire += path;
  if (!request.query.empty()) wire += "?" + request.query;
  std::string error;
  const auto sent = awsauth::parse_http_url(wire, error);
  if (!sent) std::abort();  // the HTTP client would refuse what curl accepted and signed
  if (sent->target != path + (request.query.empty() ? "" : "?" + request.query)) std::abort();
  if (sent->host != url.host || sent->port != url.port) std::abort();
  if (!awsauth::parse_http_url("http://h" + path, error)) std::abort();
  // The service canonicalizes the path it receives; it must get the URI we signed.
  if (signer::canonical_uri(path, settings) != signer::canonical_uri(request.path, settings)) {
    std::abort();
  }
}

void check_printable_url(std::string_view text, const std::optional<awsauth::HttpUrl>& url) {
  const std::string shown = awsauth::printable_url(text);
  if (!awsauth::fuzz::is_terminal_safe(shown)) std::abort();
  if (shown.find_first_of("?#") != std::string::npos) std::abort();
  if (shows_user_info(shown, url, text, 0)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto url = awsauth::parse_http_url(text, error);

  check_curl(text, "s3", url);
  check_curl(text, "sts", url);
  check_printable_url(text, url);

  std::optional<signer::Request> request;
  try {
    request = signer::parse_url("GET", text);
  } catch (const signer::SigningError& e) {
    if (url) std::abort();  // curl would accept the URL and then fail to sign it
    if (!awsauth::fuzz::is_terminal_safe(e.what())) std::abort();
    if (std::string_view(e.what()).find('?') != std::string_view::npos &&
        text.find('?') != std::string::npos) {
      std::abort();  // the query (a presigned URL's signature) is not shown
    }
  }
  if (!url || !request) return 0;

  if (request->host != reference_host(*url)) std::abort();
  const auto q = url->target.find('?');
  if (request->path != url->target.substr(0, q)) std::abort();
  if (request->query != (q == std::string::npos ? "" : url->target.substr(q + 1))) std::abort();

  check_wire(*url, *request, signer::SigningSettings::for_service("us-east-1", "s3"));
  check_wire(*url, *request, signer::SigningSettings::for_service("us-east-1", "sts"));
  auto unnormalized = signer::SigningSettings::for_service("us-east-1", "sts");
  unnormalized.normalize_path = false;
  check_wire(*url, *request, unnormalized);
  return 0;
}
