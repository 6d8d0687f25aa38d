// The default HttpClient, on Poco::Net. Poco's timeouts are per socket operation, so the whole-
// request deadline is enforced here: before every blocking step the socket timeouts are set to
// the time left. Poco connects (TLS, proxy CONNECT) and writes the request; the response head
// and body are read from the socket here and parsed by http_response_parser, the deadline
// checked before every receive.
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

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "awsauth/context.hpp"
#include "awsauth/http.hpp"
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

// The URL as it may appear in messages: no query, no user info.
std::string printable_url(const std::string& url) {
  std::string out = url.substr(0, url.find_first_of("?#"));
  const auto scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    const auto at = out.find('@', scheme_end + 3);
    const auto slash = out.find('/', scheme_end + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      out.erase(scheme_end + 3, at - scheme_end - 2);
    }
  }
  return out;
}

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
      const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
          deadline - Clock::now());
      if (left.count() <= 0) {
        throw HttpError(HttpErrorKind::Timeout, shown,
                        "request took longer than " +
                            std::to_string(options.total_timeout.count()) + " ms");
      }
      return Poco::Timespan(left.count());
    };

    Poco::URI uri;
    try {
      uri = Poco::URI(request.url);
    } catch (const Poco::Exception& e) {
      throw HttpError(HttpErrorKind::InvalidUrl, shown, "invalid URL: " + e.message());
    }
    const std::string scheme = uri.getScheme();
    if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) {
      throw HttpError(HttpErrorKind::InvalidUrl, shown, "URL must be absolute http or https");
    }
    const bool tls = scheme == "https";

    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    std::function<void()> connect_step;
    if (tls) {
      initialize_ssl_once();
      Poco::Net::Context::Ptr context;
      try {
        context = tls_context(options.ca_bundle);
      } catch (const Poco::Exception& e) {
        throw HttpError(HttpErrorKind::Tls, shown,
                        "cannot load CA certificates '" + options.ca_bundle + "': " + e.message());
      }
      auto s = std::make_unique<OpenableSession<Poco::Net::HTTPSClientSession>>(
          uri.getHost(), uri.getPort(), context);
      connect_step = [p = s.get()] { p->open(); };
      session = std::move(s);
    } else {
      const std::string& host = options.connect_address ? *options.connect_address : uri.getHost();
      auto s = std::make_unique<OpenableSession<Poco::Net::HTTPClientSession>>(host, uri.getPort());
      connect_step = [p = s.get()] { p->open(); };
      session = std::move(s);
    }
    if (!options.proxy.empty()) {
      configure_proxy(*session, options.proxy, shown);
    }

    // Connect (and, for https, handshake) within min(connect timeout, time left).
    try {
      const Poco::Timespan left = remaining();
      const Poco::Timespan connect_limit(
          std::chrono::duration_cast<std::chrono::microseconds>(options.connect_timeout).count());
      const Poco::Timespan limit = std::min(left, connect_limit);
      session->setTimeout(limit, limit, limit);
      connect_step();
    } catch (const HttpError&) {
      throw;
    } catch (const Poco::Net::SSLException& e) {
      throw HttpError(HttpErrorKind::Tls, shown, "TLS handshake failed: " + e.message());
    } catch (const Poco::TimeoutException&) {
      throw HttpError(HttpErrorKind::Timeout, shown, "connect timed out");
    } catch (const Poco::Exception& e) {
      throw HttpError(HttpErrorKind::ConnectFailed, shown, "cannot connect: " + e.displayText());
    }

    try {
      return exchange(*session, uri, request, options, remaining, shown);
    } catch (const HttpError&) {
      throw;
    } catch (const Poco::TimeoutException&) {
      throw HttpError(HttpErrorKind::Timeout, shown,
                      "no answer within the " + std::to_string(options.total_timeout.count()) +
                          " ms deadline");
    } catch (const Poco::Net::SSLException& e) {
      throw HttpError(HttpErrorKind::Tls, shown, "TLS failure: " + e.message());
    } catch (const Poco::Net::NoMessageException&) {
      throw HttpError(HttpErrorKind::ConnectionClosed, shown,
                      "connection closed before a response");
    } catch (const Poco::Net::MessageException& e) {
      throw HttpError(HttpErrorKind::Protocol, shown, "malformed response: " + e.message());
    } catch (const Poco::Net::NetException& e) {
      throw HttpError(HttpErrorKind::ConnectionClosed, shown, std::string("connection lost: ") + e.name());
    } catch (const Poco::Exception& e) {
      throw HttpError(HttpErrorKind::Protocol, shown, std::string("HTTP exchange failed: ") + e.name());
    }
  }

 private:
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
    session.setProxy(proxy_uri.getHost(), proxy_uri.getPort());
    const std::string& info = proxy_uri.getUserInfo();
    if (!info.empty()) {
      const auto colon = info.find(':');
      session.setProxyCredentials(info.substr(0, colon),
                                  colon == std::string::npos ? "" : info.substr(colon + 1));
    }
  }

  template <class Remaining>
  static HttpResponse exchange(Poco::Net::HTTPClientSession& session, const Poco::URI& uri,
                               const HttpRequest& request, const HttpOptions& options,
                               const Remaining& remaining, const std::string& shown) {
    std::string target = uri.getPathEtc();
    if (target.empty()) target = "/";
    Poco::Net::HTTPRequest out(request.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    // Host names the URL's host even when connect_address or a proxy routes elsewhere.
    out.setHost(uri.getHost(), uri.getPort());
    for (const auto& [name, value] : request.headers) {
      out.add(name, value);
    }
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
      out.setContentLength(static_cast<std::streamsize>(request.body.size()));
    }

    auto set_timeouts = [&] {
      const Poco::Timespan left = remaining();
      session.setTimeout(left, left, left);
      session.socket().setReceiveTimeout(left);
      session.socket().setSendTimeout(left);
    };
    set_timeouts();
    std::ostream& body_out = session.sendRequest(out);
    body_out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    body_out.flush();

    // From here on the response is read from the socket directly, never through Poco's
    // receiveResponse (which reads the status line and headers with a per-read timeout only):
    // every receive waits at most the time left, so a server trickling its head or body one
    // byte at a time is cut off at the whole-request deadline.
    Poco::Net::StreamSocket& socket = session.socket();
    char chunk[8192];
    std::string raw;  // bytes received and not yet consumed
    // Receives more bytes into `raw`; false once the peer has closed the connection.
    const auto receive = [&]() -> bool {
      const Poco::Timespan left = remaining();
      socket.setReceiveTimeout(left);
      int n = 0;
      try {
        n = socket.receiveBytes(chunk, sizeof chunk);
      } catch (const Poco::Net::SSLConnectionUnexpectedlyClosedException&) {
        n = 0;  // a TLS peer that closes without close_notify has still closed
      }
      if (n <= 0) return false;
      raw.append(chunk, static_cast<std::size_t>(n));
      return true;
    };

    try {
      http_parse::ResponseHead head;
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
        head = http_parse::parse_response_head(std::string_view(raw).substr(0, *head_end));
        raw.erase(0, *head_end);
        // Interim 1xx answers (100 Continue) precede the real response; 101 never comes
        // because we never ask to switch protocols.
        if (head.status >= 200 || head.status == 101) break;
      }

      HttpResponse response;
      response.status = head.status;
      response.reason = std::move(head.reason);
      response.headers = std::move(head.headers);
      const auto too_large = [&] {
        return HttpError(HttpErrorKind::ResponseTooLarge, shown,
                         "response exceeds the limit of " +
                             std::to_string(options.max_response_bytes) + " bytes");
      };
      const http_parse::BodyFraming framing = http_parse::body_framing(
          http_parse::ResponseHead{response.status, {}, response.headers}, request.method);

      switch (framing.kind) {
        case http_parse::BodyFraming::Kind::None:
          break;
        case http_parse::BodyFraming::Kind::ContentLength: {
          if (framing.length > options.max_response_bytes) {
            throw HttpError(HttpErrorKind::ResponseTooLarge, shown,
                            "response of " + std::to_string(framing.length) +
                                " bytes exceeds the limit of " +
                                std::to_string(options.max_response_bytes));
          }
          const auto length = static_cast<std::size_t>(framing.length);
          while (raw.size() < length) {
            if (!receive()) {
              throw HttpError(HttpErrorKind::ConnectionClosed, shown,
                              "connection closed after " + std::to_string(raw.size()) + " of " +
                                  std::to_string(length) + " body bytes");
            }
          }
          raw.resize(length);  // anything after the declared body is not ours
          response.body = std::move(raw);
          break;
        }
        case http_parse::BodyFraming::Kind::Chunked: {
          http_parse::ChunkedDecoder decoder;
          while (true) {
            decoder.feed(raw, response.body);
            raw.clear();
            if (response.body.size() > options.max_response_bytes) throw too_large();
            if (decoder.done()) break;
            if (!receive()) {
              throw HttpError(HttpErrorKind::ConnectionClosed, shown,
                              "connection closed in the middle of a chunked body");
            }
          }
          break;
        }
        case http_parse::BodyFraming::Kind::UntilClose:
          do {
            if (raw.size() > options.max_response_bytes) throw too_large();
          } while (receive());
          response.body = std::move(raw);
          break;
      }
      return response;
    } catch (const http_parse::ParseError& e) {
      throw HttpError(HttpErrorKind::Protocol, shown, std::string("malformed response: ") + e.what());
    }
  }
};

}  // namespace

std::shared_ptr<HttpClient> make_poco_http_client() { return std::make_shared<PocoHttpClient>(); }

}  // namespace awsauth
