// The default HttpClient, on Poco::Net. Poco's timeouts are per socket operation, so the whole-
// request deadline is enforced here: before every blocking step the socket timeouts are set to
// the time left, and the body is read in small steps with the deadline checked between them.
#include <Poco/Exception.h>
#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "awsauth/context.hpp"
#include "awsauth/http.hpp"

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

    set_timeouts();
    Poco::Net::HTTPResponse in;
    std::istream& body_in = session.receiveResponse(in);

    HttpResponse response;
    response.status = static_cast<int>(in.getStatus());
    response.reason = in.getReason();
    for (const auto& [name, value] : in) {
      response.headers.emplace_back(name, value);
    }
    const bool has_length = in.hasContentLength();
    const auto declared = has_length ? in.getContentLength64() : 0;
    if (has_length && declared > 0 &&
        static_cast<std::uint64_t>(declared) > options.max_response_bytes) {
      throw HttpError(HttpErrorKind::ResponseTooLarge, shown,
                      "response of " + std::to_string(declared) + " bytes exceeds the limit of " +
                          std::to_string(options.max_response_bytes));
    }

    // Read the body one socket read at a time: get(), which blocks for at most one read under
    // the time-left timeout, then whatever that read buffered, then check the deadline again.
    // Without badbit in the mask, std::istream swallows Poco's TimeoutException and reports EOF.
    body_in.exceptions(std::ios::badbit);
    char chunk[4096];
    while (true) {
      set_timeouts();
      const int first = body_in.get();
      if (first == std::char_traits<char>::eof()) break;
      response.body.push_back(static_cast<char>(first));
      std::streamsize more;
      while ((more = body_in.readsome(chunk, sizeof chunk)) > 0) {
        response.body.append(chunk, static_cast<std::size_t>(more));
      }
      if (response.body.size() > options.max_response_bytes) {
        throw HttpError(HttpErrorKind::ResponseTooLarge, shown,
                        "response exceeds the limit of " +
                            std::to_string(options.max_response_bytes) + " bytes");
      }
    }
    if (has_length && response.body.size() < static_cast<std::uint64_t>(declared)) {
      (void)remaining();  // a read cut short by the deadline is a Timeout, not a closed peer
      throw HttpError(HttpErrorKind::ConnectionClosed, shown,
                      "connection closed after " + std::to_string(response.body.size()) + " of " +
                          std::to_string(declared) + " body bytes");
    }
    return response;
  }
};

}  // namespace

std::shared_ptr<HttpClient> make_poco_http_client() { return std::make_shared<PocoHttpClient>(); }

}  // namespace awsauth
