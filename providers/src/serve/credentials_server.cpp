#include "awsauth/providers/serve/credentials_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <sys/random.h>

#include <atomic>
#include <cerrno>
#include <stdexcept>
#include <string_view>

#include "awsauth/detail/json.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers {
namespace {

std::string random_token() {
  unsigned char bytes[32];
  std::size_t filled = 0;
  while (filled < sizeof bytes) {
    const ssize_t n = ::getrandom(bytes + filled, sizeof bytes - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("awsauth serve: cannot read random bytes for the token (getrandom)");
    }
    filled += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(sizeof bytes * 2);
  for (const unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

// Compares all of `expected` whatever `given` is, so the time taken says nothing about how many
// leading bytes were right. (The length of the token is not a secret: always 64.)
bool same_token(std::string_view given, std::string_view expected) noexcept {
  unsigned diff = given.size() == expected.size() ? 0U : 1U;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    diff |= static_cast<unsigned char>(g ^ expected[i]);
  }
  return diff == 0;
}

// What the handlers share: the provider, the token, the counters.
struct ServeState {
  std::shared_ptr<CredentialsProvider> provider;
  CredentialsServerOptions options;
  std::shared_ptr<const Clock> clock;
  std::string token;
  std::uint16_t port = 0;
  std::atomic<std::uint64_t> served{0};
  std::atomic<std::uint64_t> refused{0};

  void answer(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
};

void send_json(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               const std::string& body) {
  response.setStatus(status);
  response.setContentType("application/json");
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

void refuse(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
            std::string_view code, std::string_view message) {
  std::string body = "{\"Code\":";
  detail::append_json_string(body, code);
  body += ",\"Message\":";
  detail::append_json_string(body, message);
  body += "}";
  send_json(response, status, body);
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(ServeState& impl) : impl_(impl) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    impl_.answer(request, response);
  }

 private:
  ServeState& impl_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(ServeState& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& /*request*/) override {
    return new Handler(impl_);
  }

 private:
  ServeState& impl_;
};

void ServeState::answer(Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response) {
  using Status = Poco::Net::HTTPResponse::HTTPStatus;
  // The checks that need no secret come first; the token is checked before anything about the
  // credentials is looked at.
  if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET) {
    ++refused;
    response.set("Allow", "GET");
    refuse(response, Status::HTTP_METHOD_NOT_ALLOWED, "MethodNotAllowed", "only GET is served");
    return;
  }
  if (request.getURI() != CredentialsServer::kPath) {
    ++refused;
    refuse(response, Status::HTTP_NOT_FOUND, "NotFound",
           std::string("credentials are served on ") + CredentialsServer::kPath + " only");
    return;
  }
  if (request.getChunkedTransferEncoding() || request.getContentLength() > 0) {
    ++refused;
    response.setKeepAlive(false);  // the body is not read
    refuse(response, Status::HTTP_REQUEST_ENTITY_TOO_LARGE, "RequestTooLarge",
           "a credentials request has no body");
    return;
  }
  const std::string given = request.get("Authorization", "");
  if (!same_token(given, token)) {
    ++refused;
    refuse(response, Status::HTTP_UNAUTHORIZED, "Unauthorized",
           given.empty() ? "the Authorization header is missing: send the value of "
                           "AWS_CONTAINER_AUTHORIZATION_TOKEN"
                         : "the Authorization token is wrong");
    return;
  }

  CredentialsPtr credentials;
  try {
    credentials = provider->get();
  } catch (const CredentialsError& e) {
    ++refused;
    refuse(response, Status::HTTP_SERVICE_UNAVAILABLE, "CredentialsUnavailable", e.what());
    return;
  } catch (const std::exception& e) {
    ++refused;
    refuse(response, Status::HTTP_SERVICE_UNAVAILABLE, "CredentialsUnavailable", e.what());
    return;
  }
  if (!credentials || !credentials->has_session_token()) {
    ++refused;
    refuse(response, Status::HTTP_SERVICE_UNAVAILABLE, "LongTermCredentials",
           "the source returned long-term keys (no session token), which are not served: "
           "use a role, SSO or session profile");
    return;
  }
  const TimePoint expiration = credentials->expiration().value_or(
      (clock ? clock->now() : std::chrono::system_clock::now()) + options.synthetic_lifetime);
  std::string body = "{\"AccessKeyId\":";
  detail::append_json_string(body, credentials->access_key_id());
  body += ",\"SecretAccessKey\":";
  detail::append_json_string(body, credentials->secret_access_key().reveal());
  body += ",\"Token\":";
  detail::append_json_string(body, credentials->session_token().reveal());
  body += ",\"Expiration\":";
  detail::append_json_string(body, format_iso8601(expiration));
  if (const auto& account = credentials->account_id()) {
    body += ",\"AccountId\":";
    detail::append_json_string(body, *account);
  }
  body += "}";
  ++served;
  send_json(response, Status::HTTP_OK, body);
  // The body held the secret: wiped before the buffer goes back to the allocator.
  wipe_bytes(body.data(), body.size());
}

}  // namespace

struct CredentialsServer::Impl {
  ServeState state;
  // A pool of its own, not Poco's process-wide default: stop() joins it, so no handler thread
  // outlives the server and nothing is left for Poco's static destructors to wait for at exit.
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  Poco::Net::ServerSocket socket;  // closed by stop(): later connections are refused at once
  std::atomic<bool> stopped{false};
};

CredentialsServer::CredentialsServer(std::shared_ptr<CredentialsProvider> provider,
                                     CredentialsServerOptions options,
                                     std::shared_ptr<const Clock> clock)
    : impl_(std::make_unique<Impl>()) {
  if (!provider) throw std::invalid_argument("CredentialsServer: null provider");
  ServeState& state = impl_->state;
  state.provider = std::move(provider);
  state.options = options;
  state.clock = std::move(clock);
  state.token = random_token();

  Poco::Net::ServerSocket socket;
  try {
    // 127.0.0.1 only: the protocol's plain http is acceptable on loopback alone (SDKs refuse a
    // full URI to any other host without https).
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", options.port), /*reuseAddress=*/false);
    socket.listen(options.max_queued);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(options.port) + ": " +
                             e.displayText());
  }
  state.port = socket.address().port();
  impl_->socket = socket;  // the same socket (Poco sockets are shared handles)

  auto params = Poco::Net::HTTPServerParams::Ptr(new Poco::Net::HTTPServerParams);
  params->setMaxThreads(options.max_threads);
  params->setMaxQueued(options.max_queued);
  // One request per connection: Poco gives a connection a pool thread for as long as it is
  // kept alive, so a few idle clients could hold every thread. SDKs ask once per refresh.
  params->setKeepAlive(false);
  params->setTimeout(Poco::Timespan(10, 0));  // a client that stalls mid-request is dropped
  params->setServerName("awsauth");
  params->setThreadIdleTime(Poco::Timespan(1, 0));
  impl_->pool = std::make_unique<Poco::ThreadPool>("awsauth-serve", 1, options.max_threads);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(
      Poco::Net::HTTPRequestHandlerFactory::Ptr(new Factory(state)), *impl_->pool, socket, params);
  impl_->server->start();
}

CredentialsServer::~CredentialsServer() { stop(); }

void CredentialsServer::stop() {
  if (impl_->stopped.exchange(true)) return;
  // Aborts connections still open too, so stopping does not wait for slow clients.
  impl_->server->stopAll(true);
  impl_->pool->stopAll();
  impl_->socket.close();
}

std::uint16_t CredentialsServer::port() const noexcept { return impl_->state.port; }

std::string CredentialsServer::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->state.port) + kPath;
}

const std::string& CredentialsServer::token() const noexcept { return impl_->state.token; }

std::uint64_t CredentialsServer::served() const noexcept { return impl_->state.served.load(); }
std::uint64_t CredentialsServer::refused() const noexcept { return impl_->state.refused.load(); }

}  // namespace awsauth::providers
