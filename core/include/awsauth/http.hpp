#pragma once
/// @file http.hpp
/// The HTTP seam: our own request and response types, so providers never see Poco.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "awsauth/export.hpp"

namespace awsauth {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// Finds a header by case-insensitive name; nullptr when absent.
[[nodiscard]] AWSAUTH_API const std::string* find_header(const HttpHeaders& headers,
                                                         std::string_view name);

/// True when `name` is an RFC 9110 token (what a header name or a method may be).
[[nodiscard]] AWSAUTH_API bool is_http_token(std::string_view name) noexcept;

/// The one check every header awsauth sends, prints or signs from a command line goes through:
/// throws HttpError(InvalidRequest) when `name` is not an RFC 9110 token or `value` holds a CR,
/// LF or NUL (which would end the header and start another on the wire). The message names the
/// header and never quotes the value, which may be a secret.
AWSAUTH_API void validate_header(std::string_view name, std::string_view value);

/// Where a streamed request body comes from: writes up to `capacity` bytes to `out` and returns
/// how many it wrote; 0 means the body has ended. It may return fewer than asked for at any call
/// (a short read is not the end). It may throw; the exchange then fails (HttpErrorKind::
/// BodySource) and nothing more is sent. Shaped like libcurl's CURLOPT_READFUNCTION.
using HttpBodySource = std::function<std::size_t(char* out, std::size_t capacity)>;

struct AWSAUTH_API HttpRequest {
  std::string method = "GET";
  std::string url;  ///< absolute: http://host[:port]/path?query or https://...
  HttpHeaders headers;
  /// The body, held in memory; ignored when `body_source` is set.
  std::string body;
  /// A streamed body: when set, the client sends `Content-Length: body_length` and then pulls
  /// the body from this source in pieces (the Poco client asks for 64 KiB at a time) instead of
  /// sending `body`, so a body of any size needs a piece's worth of memory. The source must
  /// deliver exactly `body_length` bytes: ending early, or having bytes left after
  /// `body_length`, fails the exchange with HttpError(BodySource) naming the URL and both counts
  /// (the peer sees a cut-off request; the client never waits for bytes that do not come).
  /// A source is read once and cannot be replayed, so a streamed request is never sent on a
  /// pooled (possibly stale) connection and never retried: it always opens a new connection.
  /// The total deadline (HttpOptions::total_timeout) is checked before every piece.
  HttpBodySource body_source;
  /// The number of bytes `body_source` delivers, sent as Content-Length. A `Content-Length`
  /// header in `headers` must say the same (it is then what a signer signed), else the request
  /// is refused (InvalidRequest) before anything is sent. Ignored without `body_source`.
  std::uint64_t body_length = 0;
};

struct AWSAUTH_API HttpResponse {
  int status = 0;
  std::string reason;
  HttpHeaders headers;
  std::string body;
};

/// Per-request limits and routing.
struct AWSAUTH_API HttpOptions {
  /// Deadline for establishing the TCP (and TLS) connection.
  std::chrono::milliseconds connect_timeout{2000};
  /// Deadline for the whole exchange, from the start of the call to the last body byte. A server
  /// trickling one byte a second is cut off here, not after each read.
  std::chrono::milliseconds total_timeout{10000};
  /// Responses with a larger body fail with HttpErrorKind::ResponseTooLarge.
  std::size_t max_response_bytes = 1 << 20;
  /// Proxy to use, as `http://[user:pass@]host:port`; empty: connect directly. Providers fill
  /// it from HTTPS_PROXY/NO_PROXY only where the SDKs do (STS), never for the metadata services.
  std::string proxy;
  /// PEM file of CA certificates to trust for https instead of the system store.
  std::string ca_bundle;
  /// For plain http: connect to this numeric address instead of resolving the URL's host (the
  /// Host header still names the URL's host). Lets a caller check an address, then use exactly
  /// that address.
  std::optional<std::string> connect_address;
};

enum class HttpErrorKind {
  InvalidUrl,
  InvalidRequest,    ///< a header or method that cannot be sent as given (see validate_header)
  ConnectFailed,     ///< refused, unreachable, name not resolved
  Timeout,           ///< connect or total deadline passed
  ConnectionClosed,  ///< the peer closed before a complete response
  ResponseTooLarge,
  Protocol,  ///< malformed response
  Tls,       ///< handshake or certificate failure
  /// The request's body_source threw, ended before body_length bytes or had bytes left after
  /// them; the message says which, with the counts.
  BodySource,
};

/// A transport failure (no HTTP status). The message names the URL through printable_url() (no
/// user info, query or fragment) and never contains header values.
class AWSAUTH_API HttpError : public std::runtime_error {
 public:
  HttpError(HttpErrorKind kind, const std::string& url, const std::string& message);
  [[nodiscard]] HttpErrorKind kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& url() const noexcept { return url_; }
  /// What went wrong, without the URL: for a caller whose own message names the URL already.
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  HttpErrorKind kind_;
  std::string url_;
  std::string reason_;
};

/// Sends one request and returns the whole response (any status). Throws HttpError on
/// transport failures, and HttpError(InvalidRequest / InvalidUrl) before sending anything when
/// a header fails validate_header() or the URL cannot go on a request line as written. The
/// request target is sent byte for byte as written in `url` (never decoded or re-encoded), so
/// it is what a signer read from the same URL. Must be safe to call from several threads.
class AWSAUTH_API HttpClient {
 public:
  virtual ~HttpClient() = default;
  [[nodiscard]] virtual HttpResponse send(const HttpRequest& request,
                                          const HttpOptions& options) = 0;
};

/// Name resolution seam (the container provider checks addresses before connecting).
class AWSAUTH_API Resolver {
 public:
  virtual ~Resolver() = default;
  /// Numeric addresses (IPv4 dotted, IPv6 without brackets) for `host`; an IP literal resolves
  /// to itself. Throws HttpError(ConnectFailed) when the name does not resolve.
  [[nodiscard]] virtual std::vector<std::string> resolve(const std::string& host) = 0;
};

}  // namespace awsauth
