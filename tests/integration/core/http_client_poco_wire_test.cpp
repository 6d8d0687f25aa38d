// What the Poco HttpClient puts on the wire (issue 11): headers validated before anything is
// sent, the request target byte for byte as written, one connection per exchange and
// keep-alive reuse, no empty Proxy-Authorization, Host as the signer computes it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "awsauth/context.hpp"
#include "loopback_server.hpp"

namespace awsauth {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::ScriptedResponse;

class HttpClientWire : public ::testing::Test {
 protected:
  std::shared_ptr<HttpClient> client = make_poco_http_client();

  HttpError expect_refused(const HttpRequest& request, HttpErrorKind kind) {
    try {
      (void)client->send(request, {});
    } catch (const HttpError& e) {
      EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(kind)) << e.what();
      return e;
    }
    ADD_FAILURE() << "expected an HttpError";
    return HttpError(kind, "", "");
  }
};

TEST_F(HttpClientWire, HeaderValueWithCrLfIsRefusedBeforeAnythingIsSent) {
  LoopbackServer server;
  for (const std::string& value :
       {std::string("tok\r\nX-Injected: yes"), std::string("a\nb"), std::string("a\0b", 3)}) {
    const HttpError e = expect_refused(
        {.method = "GET", .url = server.url("/"), .headers = {{"X-Token", value}}, .body = {}},
        HttpErrorKind::InvalidRequest);
    const std::string message = e.what();
    EXPECT_NE(message.find("X-Token"), std::string::npos) << message;
    EXPECT_EQ(message.find("Injected"), std::string::npos) << "the value leaked: " << message;
  }
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST_F(HttpClientWire, HeaderNameThatIsNotATokenIsRefused) {
  LoopbackServer server;
  for (const std::string name : {"X-A: b\r\nX-B", "Bad Name", "", "X\x1b[2J"}) {
    const HttpError e = expect_refused(
        {.method = "GET", .url = server.url("/"), .headers = {{name, "v"}}, .body = {}},
        HttpErrorKind::InvalidRequest);
    EXPECT_EQ(std::string(e.what()).find('\x1b'), std::string::npos);
  }
  expect_refused({.method = "GET /x", .url = server.url("/"), .headers = {}, .body = {}},
                 HttpErrorKind::InvalidRequest);
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST_F(HttpClientWire, RequestTargetIsSentExactlyAsWritten) {
  LoopbackServer server;
  // Poco::URI would have sent /a/b~A=...: decoded and re-encoded. The signer signs these bytes.
  const std::string target = "/a%2Fb/%7Euser/%41/k%3Dv/a%20b/a+b/caf%C3%A9?x=%3D&y=a+b&z=%7E";
  (void)client->send({.method = "GET", .url = server.url(target), .headers = {}, .body = {}}, {});
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].target, target);
}

TEST_F(HttpClientWire, UrlThatCannotGoOnARequestLineIsRefused) {
  LoopbackServer server;
  for (const std::string path : {"/a%zz", "/a b", "/a\r\nX: y", "/%4"}) {
    expect_refused({.method = "GET", .url = server.url(path), .headers = {}, .body = {}},
                   HttpErrorKind::InvalidUrl);
  }
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST_F(HttpClientWire, EachExchangeOpensOneConnection) {
  LoopbackServer server;  // closes after every response
  for (int i = 0; i < 3; ++i) {
    (void)client->send({.method = "GET", .url = server.url("/"), .headers = {}, .body = {}}, {});
  }
  EXPECT_EQ(server.request_count(), 3u);
  // Before: Poco's sendRequest dropped our explicitly opened connection and opened another.
  EXPECT_EQ(server.connection_count(), 3u);
}

TEST_F(HttpClientWire, KeepAliveConnectionIsReusedForTheNextExchange) {
  LoopbackServer server;
  server.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    const auto r = client->send(
        {.method = i == 1 ? "PUT" : "GET", .url = server.url("/"), .headers = {}, .body = "x"}, {});
    EXPECT_EQ(r.status, 404);  // the queue is empty: "no scripted response"
  }
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(server.connection_count(), 1u);
}

// Our descriptors connected to `port` (as a client: the peer is the port).
std::vector<int> client_sockets_to(std::uint16_t port) {
  std::vector<int> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::stoi(entry.path().filename().string());
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) == 0 &&
        peer.sin_family == AF_INET && ntohs(peer.sin_port) == port) {
      out.push_back(fd);
    }
  }
  return out;
}

TEST_F(HttpClientWire, PooledConnectionIsNotInheritedByChildProcesses) {
  LoopbackServer server;
  server.set_keep_alive(true);
  (void)client->send({.method = "GET", .url = server.url("/"), .headers = {}, .body = {}}, {});
  const auto fds = client_sockets_to(server.port());
  ASSERT_EQ(fds.size(), 1u);  // the idle connection in the pool
  EXPECT_NE(::fcntl(fds[0], F_GETFD) & FD_CLOEXEC, 0);
}

TEST_F(HttpClientWire, ConnectionCloseFromTheServerIsHonoured) {
  LoopbackServer server;
  server.set_keep_alive(true);
  server.enqueue({.status = 200, .headers = {{"Connection", "close"}}, .body = "one"});
  server.enqueue({.status = 200, .body = "two"});
  EXPECT_EQ(
      client->send({.method = "GET", .url = server.url("/"), .headers = {}, .body = {}}, {}).body,
      "one");
  EXPECT_EQ(
      client->send({.method = "GET", .url = server.url("/"), .headers = {}, .body = {}}, {}).body,
      "two");
  EXPECT_EQ(server.connection_count(), 2u);
}

TEST_F(HttpClientWire, ReusedConnectionClosedByTheServerIsRetriedOnceOnANewOne) {
  LoopbackServer server;
  server.set_keep_alive(true);
  server.enqueue({.status = 200, .body = "first"});
  server.enqueue({.close_without_response = true});  // the server drops the idle connection
  server.enqueue({.status = 200, .body = "second"});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(
      client->send({.method = "GET", .url = server.url("/"), .headers = {}, .body = {}}, {}).body,
      "first");
  EXPECT_EQ(
      client->send({.method = "GET", .url = server.url("/"), .headers = {}, .body = {}}, {}).body,
      "second");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(server.connection_count(), 2u);
}

TEST_F(HttpClientWire, FreshConnectionClosedBeforeAResponseIsNotRetried) {
  LoopbackServer server;
  server.enqueue({.close_without_response = true});
  expect_refused({.method = "POST", .url = server.url("/"), .headers = {}, .body = "once"},
                 HttpErrorKind::ConnectionClosed);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(HttpClientWire, ProxyWithoutCredentialsGetsNoProxyAuthorization) {
  LoopbackServer proxy;
  (void)client->send(
      {.method = "GET", .url = "http://sts.example.invalid/x", .headers = {}, .body = {}},
      {.proxy = proxy.url("")});
  ASSERT_EQ(proxy.requests().size(), 1u);
  // Absolute form (Poco writes the port): the proxy, not the client, resolves the host.
  EXPECT_EQ(proxy.requests()[0].target, "http://sts.example.invalid:80/x");
  EXPECT_EQ(proxy.requests()[0].header("Proxy-Authorization"), nullptr);
}

TEST_F(HttpClientWire, ProxyWithCredentialsGetsBasicAuthorization) {
  LoopbackServer proxy;
  const std::string url = proxy.url("");
  const std::string with_user = "http://u:p@" + url.substr(std::string("http://").size());
  (void)client->send(
      {.method = "GET", .url = "http://sts.example.invalid/x", .headers = {}, .body = {}},
      {.proxy = with_user});
  ASSERT_EQ(proxy.requests().size(), 1u);
  ASSERT_NE(proxy.requests()[0].header("Proxy-Authorization"), nullptr);
  EXPECT_EQ(*proxy.requests()[0].header("Proxy-Authorization"), "Basic dTpw");
}

TEST_F(HttpClientWire, HostHeaderIsWhatTheSignerSigns) {
  LoopbackServer server;
  const std::string port = std::to_string(server.port());
  HttpOptions options;
  options.connect_address = "127.0.0.1";
  (void)client->send(
      {.method = "GET", .url = "http://STS.Example.COM:" + port + "/", .headers = {}, .body = {}},
      options);
  ASSERT_EQ(server.requests().size(), 1u);
  ASSERT_NE(server.requests()[0].header("Host"), nullptr);
  EXPECT_EQ(*server.requests()[0].header("Host"), "sts.example.com:" + port);
}

TEST_F(HttpClientWire, ErrorMessagesShowNoUserInfoOrQuery) {
  const std::string url = "http://user:hunter2@127.0.0.1:" + std::to_string(test::closed_port()) +
                          "/path?X-Amz-Signature=abcdef#frag";
  const HttpError e = expect_refused({.method = "GET", .url = url, .headers = {}, .body = {}},
                                     HttpErrorKind::ConnectFailed);
  const std::string message = e.what();
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_EQ(message.find("X-Amz-Signature"), std::string::npos) << message;
  EXPECT_EQ(message.find("frag"), std::string::npos) << message;
  EXPECT_NE(message.find("http://127.0.0.1:"), std::string::npos) << message;
  EXPECT_EQ(e.url().find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace awsauth
