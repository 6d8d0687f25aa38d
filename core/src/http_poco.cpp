// The default HttpClient, on Poco::Net. Poco's timeouts are per socket operation, so the whole-
// request deadline is enforced here: before every blocking step the socket timeouts are set to
// the time left. Poco connects (TLS, proxy CONNECT) and writes the request; the response head
// and body are read from the socket here and parsed by http_response_parser, the deadline
// checked before every receive.
//
// One TCP connection (one TLS handshake) per exchange at most: a connection whose response was
// complete and that the server keeps open goes back to a small per-origin pool, so a provider
// making several calls in a row (IMDS token, role, credentials; STS hops) reuses it. The
// request target is taken from the URL as written, byte for byte, never through Poco::URI
// (which decodes and re-encodes the path): what goes on the request line is what was signed.
#include <Poco/Exception.h>
#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "awsauth/context.hpp"
#include "awsauth/detail/ascii.hpp"
#include "awsauth/http.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/url.hpp"
#include "http_response_parser.hpp"

namespace awsauth {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Exposes the protected connect step so connecting (and the TLS handshake) is a phase of its
// own, with its own deadline and error kind.
template <class Session>
class OpenableSession : public Session {
 public:
  using Session::Session;
  void open() { this->reconnect(); }
};

// An idle connection older than this is closed rather than reused: servers close idle
// keep-alive connections after a few seconds (IMDS and ECS agents after about 5 s, many load
// balancers after 60 s), and a request sent into a connection the server is closing is lost.
constexpr auto kMaxIdle = std::chrono::seconds(4);
// Idle connections kept per origin: enough for a few threads refreshing at once.
constexpr std::size_t kMaxIdlePerOrigin = 4;

struct Connection {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  void (*open)(Poco::Net::HTTPClientSession&) = nullptr;
  Clock::time_point idle_since{};
};

template <class Session>
void open_session(Poco::Net::HTTPClientSession& s) {
  static_cast<OpenableSession<Session>&>(s).open();
}

// Idle connections by origin (scheme, host, port, connect address, proxy, CA bundle).
class ConnectionPool {
 public:
  std::optional<Connection> take(const std::string& key) {
    const std::lock_guard lock(mutex_);
    auto it = idle_.find(key);
    if (it == idle_.end()) return std::nullopt;
    auto& list = it->second;
    while (!list.empty()) {
      Connection c = std::move(list.back());
      list.pop_back();
      if (Clock::now() - c.idle_since > kMaxIdle) continue;
      // A readable idle connection has been closed by the server (or carries bytes nobody
      // asked for): never reuse it.
      try {
        if (c.session->socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) continue;
      } catch (const Poco::Exception&) {
        continue;
      }
      return c;
    }
    return std::nullopt;
  }

  void give(const std::string& key, Connection c) {
    c.idle_since = Clock::now();
    const std::lock_guard lock(mutex_);
    auto& list = idle_[key];
    std::erase_if(list, [](const Connection& x) { return Clock::now() - x.idle_since > kMaxIdle; });
    if (list.size() < kMaxIdlePerOrigin) list.push_back(std::move(c));
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<Connection>> idle_;
};

// A reused connection that failed before a byte of response arrived: the server had closed
// it. The exchange is tried once more on a new connection.
struct StaleConnection {};

// Poco's SSL layer is initialized once per process. A Reject handler makes sure an invalid
// certificate is refused, never offered to a console prompt (Poco's ConsoleCertificateHandler).
void initialize_ssl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(
        new Poco::Net::RejectCertificateHandler(false));
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, nullptr);
  });
}

// One TLS context per CA source, made on first use. Poco 1.11 does not load the system CA store
// unless asked (loadDefaultCAs); a ca_bundle replaces it, as AWS_CA_BUNDLE does in botocore.
Poco::Net::Context::Ptr tls_context(const std::string& ca_bundle) {
  static std::mutex mutex;
  static std::map<std::string, Poco::Net::Context::Ptr> contexts;
  std::lock_guard lock(mutex);
  auto& slot = contexts[ca_bundle];
  if (!slot) {
    Poco::Net::Context::Params params;
    params.caLocation = ca_bundle;
    params.loadDefaultCAs = ca_bundle.empty();
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;  // clients: verify the peer
    params.verificationDepth = 9;
    slot = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  }
  return slot;
}

class PocoHttpClient final : public HttpClient {
 public:
  HttpResponse send(const HttpRequest& request, const HttpOptions& options) override {
    const std::string shown = printable_url(request.url);
    const auto deadline = Clock::now() + options.total_timeout;
    const auto remaining = [&]() -> Poco::Timespan {
      const auto left =
          std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        throw HttpError(
            HttpErrorKind::Timeout, shown,
            "request took longer than " + std::to_string(options.total_timeout.count()) + " ms");
      }
      return Poco::Timespan(left.count());
    };

    std::string url_error;
    const std::optional<HttpUrl> url = parse_http_url(request.url, url_error);
    if (!url) throw HttpError(HttpErrorKind::InvalidUrl, shown, "invalid URL: " + url_error);
    if (!is_http_token(request.method)) {
      throw HttpError(HttpErrorKind::InvalidRequest, shown,
                      "invalid HTTP method '" + printable(request.method, 64) + "'");
    }
    for (const auto& [name, value] : request.headers) validate_header(name, value);
    if (request.body_source) check_declared_length(request, shown);

    const std::string key = pool_key(*url, options);
    // A streamed body cannot be sent twice, so it never goes on a pooled connection that may
    // turn out stale (the retry below would need the body again): it gets a new connection.
    std::optional<Connection> pooled;
    if (!request.body_source) pooled = pool_.take(key);
    if (pooled) {
      try {
        return exchange_and_release(std::move(*pooled), key, *url, request, options, remaining,
                                    shown, /*reused=*/true);
      } catch (const StaleConnection&) {
        // fall through: a new connection
      }
    }
    Connection fresh = open_connection(*url, options, remaining, shown);
    try {
      return exchange_and_release(std::move(fresh), key, *url, request, options, remaining, shown,
                                  /*reused=*/false);
    } catch (const StaleConnection&) {
      throw HttpError(HttpErrorKind::ConnectionClosed, shown,
                      "connection closed before a response");
    }
  }

 private:
  ConnectionPool pool_;

  // The Content-Length a caller signed must be the one sent: with a streamed body, a
  // Content-Length header has to match body_length (Poco would otherwise send body_length).
  static void check_declared_length(const HttpRequest& request, const std::string& shown) {
    const std::string* declared = find_header(request.headers, "Content-Length");
    if (declared == nullptr) return;
    if (*declared != std::to_string(request.body_length)) {
      throw HttpError(HttpErrorKind::InvalidRequest, shown,
                      "Content-Length header '" + printable(*declared, 32) +
                          "' differs from the streamed body's length " +
                          std::to_string(request.body_length));
    }
  }

  static std::string pool_key(const HttpUrl& url, const HttpOptions& options) {
    std::string key = url.scheme + "://" + url.host + ":" + std::to_string(url.effective_port());
    key += '\n' + options.connect_address.value_or("") + '\n' + options.proxy + '\n' +
           options.ca_bundle;
    return key;
  }

  template <class Remaining>
  static Connection open_connection(const HttpUrl& url, const HttpOptions& options,
                                    const Remaining& remaining, const std::string& shown) {
    const auto port = static_cast<Poco::UInt16>(url.effective_port());
    Connection c;
    if (url.scheme == "https") {
      initialize_ssl_once();
      Poco::Net::Context::Ptr context;
      try {
        context = tls_context(options.ca_bundle);
      } catch (const Poco::Exception& e) {
        throw HttpError(HttpErrorKind::Tls, shown,
                        "cannot load CA certificates '" + printable(options.ca_bundle) +
                            "': " + printable(e.message()));
      }
      c.session =
          std::make_unique<OpenableSession<Poco::Net::HTTPSClientSession>>(url.host, port, context);
      c.open = &open_session<Poco::Net::HTTPSClientSession>;
    } else {
      const std::string& host = options.connect_address ? *options.connect_address : url.host;
      c.session = std::make_unique<OpenableSession<Poco::Net::HTTPClientSession>>(host, port);
      c.open = &open_session<Poco::Net::HTTPClientSession>;
    }
    // The exchange decides after the response whether the connection is kept; with keep-alive
    // off, Poco's sendRequest would drop the connection opened below and open a second one.
    c.session->setKeepAlive(true);
    c.session->setKeepAliveTimeout(Poco::Timespan(3600, 0));  // the pool decides (kMaxIdle)
    if (!options.proxy.empty()) configure_proxy(*c.session, options.proxy, shown);

    // Connect (and, for https, handshake) within min(connect timeout, time left).
    try {
      const Poco::Timespan left = remaining();
      const Poco::Timespan connect_limit(
          std::chrono::duration_cast<std::chrono::microseconds>(options.connect_timeout).count());
      const Poco::Timespan limit = std::min(left, connect_limit);
      c.session->setTimeout(limit, limit, limit);
      c.open(*c.session);
      // Poco opens sockets without SOCK_CLOEXEC; a kept-alive connection must not leak into a
      // credential_process helper spawned while it sits in the pool.
      ::fcntl(c.session->socket().impl()->sockfd(), F_SETFD, FD_CLOEXEC);
    } catch (const HttpError&) {
      throw;
    } catch (const Poco::Net::SSLException& e) {
      throw HttpError(HttpErrorKind::Tls, shown, "TLS handshake failed: " + printable(e.message()));
    } catch (const Poco::TimeoutException&) {
      throw HttpError(HttpErrorKind::Timeout, shown, "connect timed out");
    } catch (const Poco::Exception& e) {
      throw HttpError(HttpErrorKind::ConnectFailed, shown,
                      "cannot connect: " + printable(e.displayText()));
    }
    return c;
  }

  static void configure_proxy(Poco::Net::HTTPClientSession& session, const std::string& proxy,
                              const std::string& shown) {
    Poco::URI proxy_uri;
    try {
      proxy_uri = Poco::URI(proxy.find("://") == std::string::npos ? "http://" + proxy : proxy);
    } catch (const Poco::Exception&) {
      throw HttpError(HttpErrorKind::InvalidUrl, shown, "invalid proxy URL");
    }
    if (proxy_uri.getHost().empty()) {
      throw HttpError(HttpErrorKind::InvalidUrl, shown, "invalid proxy URL");
    }
    Poco::Net::HTTPClientSession::ProxyConfig config;
    config.host = proxy_uri.getHost();
    config.port = proxy_uri.getPort();
    const std::string& info = proxy_uri.getUserInfo();
    if (info.empty()) {
      // Poco's default is Basic even without a user: it would send `Proxy-Authorization:
      // Basic Og==` (an empty user and password) to every proxy.
      config.authMethod = Poco::Net::HTTPClientSession::PROXY_AUTH_NONE;
    } else {
      const auto colon = info.find(':');
      config.username = info.substr(0, colon);
      config.password = colon == std::string::npos ? "" : info.substr(colon + 1);
      config.authMethod = Poco::Net::HTTPClientSession::PROXY_AUTH_HTTP_BASIC;
    }
    session.setProxyConfig(config);
  }

  // `Host` as the signer computes it (botocore `_host_from_url`): the host lowercased, in
  // brackets when it is an IPv6 literal, with the port unless it is the scheme's default.
  static std::string host_header(const HttpUrl& url) {
    std::string host;
    for (const char c : url.host) host += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    // Appends, not `"[" + host + "]"`: GCC 12 -O2 warns -Wrestrict on those (PR105651).
    if (url.bracketed) host = std::string(1, '[').append(host).append(1, ']');
    const bool default_port = url.effective_port() == (url.scheme == "https" ? 443 : 80);
    if (url.port && !default_port) host.append(1, ':').append(std::to_string(*url.port));
    return host;
  }

  template <class Remaining>
  HttpResponse exchange_and_release(Connection c, const std::string& key, const HttpUrl& url,
                                    const HttpRequest& request, const HttpOptions& options,
                                    const Remaining& remaining, const std::string& shown,
                                    bool reused) {
    bool keep = false;
    HttpResponse response;
    try {
      response = exchange(*c.session, url, request, options, remaining, shown, reused, keep);
    } catch (const StaleConnection&) {
      throw;
    } catch (const HttpError&) {
      throw;
    } catch (const Poco::TimeoutException&) {
      throw HttpError(
          HttpErrorKind::Timeout, shown,
          "no answer within the " + std::to_string(options.total_timeout.count()) + " ms deadline");
    } catch (const Poco::Net::SSLException& e) {
      throw HttpError(HttpErrorKind::Tls, shown, "TLS failure: " + printable(e.message()));
    } catch (const Poco::Net::NoMessageException&) {
      throw HttpError(HttpErrorKind::ConnectionClosed, shown,
                      "connection closed before a response");
    } catch (const Poco::Net::MessageException& e) {
      throw HttpError(HttpErrorKind::Protocol, shown,
                      "malformed response: " + printable(e.message()));
    } catch (const Poco::Net::NetException& e) {
      throw HttpError(HttpErrorKind::ConnectionClosed, shown,
                      std::string("connection lost: ") + e.name());
    } catch (const Poco::Exception& e) {
      throw HttpError(HttpErrorKind::Protocol, shown,
                      std::string("HTTP exchange failed: ") + e.name());
    }
    if (keep) pool_.give(key, std::move(c));
    return response;
  }

  // Sends the request and reads the whole response. Sets `keep` when the connection may carry
  // another request. Throws StaleConnection when a reused connection turns out closed before
  // any response byte.
  template <class Remaining>
  static HttpResponse exchange(Poco::Net::HTTPClientSession& session, const HttpUrl& url,
                               const HttpRequest& request, const HttpOptions& options,
                               const Remaining& remaining, const std::string& shown, bool reused,
                               bool& keep) {
    Exchange<Remaining> x{session, request, options, remaining, shown, reused};
    x.send(url);
    try {
      http_parse::ResponseHead head = x.read_head();
      const bool reusable = http_parse::keeps_connection_open(head);
      const http_parse::BodyFraming framing = http_parse::body_framing(head, request.method);
      HttpResponse response;
      response.status = head.status;
      response.reason = std::move(head.reason);
      response.headers = std::move(head.headers);
      keep = x.read_body(framing, response.body) && reusable;
      return response;
    } catch (const http_parse::ParseError& e) {
      throw HttpError(HttpErrorKind::Protocol, shown,
                      std::string("malformed response: ") + printable(e.what()));
    }
  }

  // One request and its response on one connection. Poco writes the request; the response is
  // read from the socket here, never through Poco's receiveResponse (which reads the status
  // line and headers with a per-read timeout only): every receive waits at most the time left,
  // so a server trickling its head or body one byte at a time is cut off at the whole-request
  // deadline.
  template <class Remaining>
  struct Exchange {
    Poco::Net::HTTPClientSession& session;
    const HttpRequest& request;
    const HttpOptions& options;
    const Remaining& remaining;
    const std::string& shown;
    bool reused;
    std::string raw{};  // bytes received and not yet consumed
    bool received_any = false;

    void send(const HttpUrl& url) {
      Poco::Net::HTTPRequest out(request.method, url.target, Poco::Net::HTTPMessage::HTTP_1_1);
      // Host names the URL's host even when connect_address or a proxy routes elsewhere.
      if (find_header(request.headers, "Host") == nullptr) out.set("Host", host_header(url));
      for (const auto& [name, value] : request.headers) {
        // A streamed body's length is set below (checked equal to any such header).
        if (request.body_source && awsauth::detail::ascii_iequals(name, "Content-Length")) continue;
        out.add(name, value);
      }
      if (request.body_source) {
        out.setContentLength64(static_cast<Poco::Int64>(request.body_length));
      } else if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        out.setContentLength(static_cast<std::streamsize>(request.body.size()));
      }
      const Poco::Timespan left = remaining();
      session.setTimeout(left, left, left);
      session.socket().setReceiveTimeout(left);
      session.socket().setSendTimeout(left);
      try {
        std::ostream& body_out = session.sendRequest(out);
        if (request.body_source) {
          send_streamed_body(body_out);
        } else {
          body_out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
        }
        body_out.flush();
        if (!body_out) fail_send("request not sent");
      } catch (const Poco::Net::NetException&) {
        if (reused) throw StaleConnection{};
        throw;
      } catch (const Poco::IOException&) {
        if (reused) throw StaleConnection{};
        throw;
      }
    }

    // The request stream swallows the socket's exception (it only sets badbit); Poco's session
    // keeps it: rethrow that one, else a reset. A send that ran out of the send timeout (set to
    // the time left) fails with EAGAIN, which Poco 1.11 reports as a plain IOException: that is
    // the deadline.
    [[noreturn]] void fail_send(const char* what) {
      if (const Poco::Exception* e = session.networkException()) {
        if (e->code() == EAGAIN || e->code() == EWOULDBLOCK) {
          throw HttpError(HttpErrorKind::Timeout, shown,
                          std::string(what) + " within the " +
                              std::to_string(options.total_timeout.count()) + " ms deadline");
        }
        e->rethrow();
      }
      throw Poco::Net::ConnectionResetException(what);
    }

    // Pulls the streamed body from the request's source in pieces and writes each to Poco's
    // request stream; the deadline is checked, and the socket's send timeout set to the time
    // left, before every piece. Exactly body_length bytes, or HttpError(BodySource).
    void send_streamed_body(std::ostream& body_out) {
      constexpr std::size_t kPiece = std::size_t{64} << 10;
      std::vector<char> piece(kPiece);
      const std::uint64_t length = request.body_length;
      std::uint64_t sent = 0;
      const auto counts = [&] {
        return std::to_string(sent) + " of " + std::to_string(length) + " bytes";
      };
      const auto pull = [&](char* out, std::size_t capacity) -> std::size_t {
        std::size_t n = 0;
        try {
          n = request.body_source(out, capacity);
        } catch (const HttpError&) {
          throw;
        } catch (const std::exception& e) {
          throw HttpError(
              HttpErrorKind::BodySource, shown,
              "request body source failed after " + counts() + ": " + printable(e.what()));
        }
        if (n > capacity) {
          throw HttpError(HttpErrorKind::BodySource, shown,
                          "request body source returned " + std::to_string(n) +
                              " bytes for a buffer of " + std::to_string(capacity));
        }
        return n;
      };
      while (sent < length) {
        session.socket().setSendTimeout(remaining());
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, length - sent));
        const std::size_t n = pull(piece.data(), want);
        if (n == 0) {
          throw HttpError(HttpErrorKind::BodySource, shown,
                          "request body source ended after " + counts());
        }
        body_out.write(piece.data(), static_cast<std::streamsize>(n));
        if (!body_out) fail_send("request body not sent");
        sent += n;
      }
      // One more read must say the body has ended: a source with bytes left was described
      // with the wrong length (and what was signed is not what it holds).
      char probe = 0;
      if (pull(&probe, 1) != 0) {
        throw HttpError(
            HttpErrorKind::BodySource, shown,
            "request body source has more than the declared " + std::to_string(length) + " bytes");
      }
      session.socket().setSendTimeout(remaining());
    }

    // Receives more bytes into `raw`; false once the peer has closed the connection.
    bool receive() {
      Poco::Net::StreamSocket& socket = session.socket();
      socket.setReceiveTimeout(remaining());
      char chunk[8192];
      int n = 0;
      try {
        n = socket.receiveBytes(chunk, sizeof chunk);
      } catch (const Poco::Net::SSLConnectionUnexpectedlyClosedException&) {
        n = 0;  // a TLS peer that closes without close_notify has still closed
      } catch (const Poco::Net::ConnectionResetException&) {
        if (reused && !received_any) throw StaleConnection{};
        throw;
      }
      if (n <= 0) {
        if (reused && !received_any) throw StaleConnection{};
        return false;
      }
      received_any = true;
      raw.append(chunk, static_cast<std::size_t>(n));
      return true;
    }

    // The status line and headers of the final response (interim 1xx answers skipped).
    http_parse::ResponseHead read_head() {
      while (true) {
        std::optional<std::size_t> head_end;
        while (!(head_end = http_parse::find_head_end(raw))) {
          if (!receive()) {
            throw HttpError(HttpErrorKind::ConnectionClosed, shown,
                            raw.empty() ? "connection closed before a response"
                                        : "connection closed in the middle of the response "
                                          "headers");
          }
        }
        http_parse::ResponseHead head =
            http_parse::parse_response_head(std::string_view(raw).substr(0, *head_end));
        raw.erase(0, *head_end);
        // 100 Continue precedes the real response; 101 never comes (we never ask to switch).
        if (head.status >= 200 || head.status == 101) return head;
      }
    }

    HttpError too_large() const {
      return HttpError(
          HttpErrorKind::ResponseTooLarge, shown,
          "response exceeds the limit of " + std::to_string(options.max_response_bytes) + " bytes");
    }

    // Reads the body as `framing` delimits it. True when nothing follows it on the connection,
    // so the connection could carry another request.
    bool read_body(const http_parse::BodyFraming& framing, std::string& body) {
      using Kind = http_parse::BodyFraming::Kind;
      switch (framing.kind) {
        case Kind::None:
          return raw.empty();
        case Kind::ContentLength:
          return read_sized_body(framing.length, body);
        case Kind::Chunked:
          return read_chunked_body(body);
        case Kind::UntilClose:
          do {
            if (raw.size() > options.max_response_bytes) throw too_large();
          } while (receive());
          body = std::move(raw);
          return false;
      }
      return false;
    }

    bool read_sized_body(std::uint64_t declared, std::string& body) {
      if (declared > options.max_response_bytes) {
        throw HttpError(HttpErrorKind::ResponseTooLarge, shown,
                        "response of " + std::to_string(declared) + " bytes exceeds the limit of " +
                            std::to_string(options.max_response_bytes));
      }
      const auto length = static_cast<std::size_t>(declared);
      while (raw.size() < length) {
        if (!receive()) {
          throw HttpError(HttpErrorKind::ConnectionClosed, shown,
                          "connection closed after " + std::to_string(raw.size()) + " of " +
                              std::to_string(length) + " body bytes");
        }
      }
      // Anything after the declared body is not ours, and makes the connection unusable.
      const bool nothing_after = raw.size() == length;
      raw.resize(length);
      body = std::move(raw);
      return nothing_after;
    }

    bool read_chunked_body(std::string& body) {
      http_parse::ChunkedDecoder decoder;
      while (true) {
        const std::size_t used = decoder.feed(raw, body);
        const bool leftover = used < raw.size();
        raw.clear();
        if (body.size() > options.max_response_bytes) throw too_large();
        if (decoder.done()) return !leftover;
        if (!receive()) {
          throw HttpError(HttpErrorKind::ConnectionClosed, shown,
                          "connection closed in the middle of a chunked body");
        }
      }
    }
  };
};

}  // namespace

std::shared_ptr<HttpClient> make_poco_http_client() { return std::make_shared<PocoHttpClient>(); }

}  // namespace awsauth
