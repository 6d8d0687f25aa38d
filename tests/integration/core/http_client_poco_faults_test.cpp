// The default (Poco) HttpClient under the faults the provider suites inject, at the level where
// each defence lives: connects that time out, redirects never followed, headers and targets that
// would inject a line refused before a byte is sent, hostile reason phrases, and the keep-alive
// pool (one connection for several exchanges, idle connections closed by the server, a stale
// connection retried once). Every test bounds its time; nothing leaves 127.0.0.1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "awsauth/context.hpp"
#include "fault_checks.hpp"
#include "loopback_server.hpp"
#include "unaccepting_port.hpp"

namespace awsauth {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;
using test::Stopwatch;
using ::testing::HasSubstr;
using ::testing::Not;

class HttpClientFaults : public ::testing::Test {
 protected:
  std::shared_ptr<HttpClient> client = make_poco_http_client();

  // Sends and expects an HttpError of `kind` within `bound`; returns its message.
  std::string expect_failure(const HttpRequest& request, const HttpOptions& options,
                             HttpErrorKind kind, std::chrono::milliseconds bound) {
    const Stopwatch watch;
    try {
      (void)client->send(request, options);
    } catch (const HttpError& e) {
      EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(kind)) << e.what();
      EXPECT_LT(watch.elapsed(), bound) << e.what();
      test::expect_printable_message(e.what());
      return e.what();
    }
    ADD_FAILURE() << "expected an HttpError";
    return {};
  }
};

// --- connect timeout ---------------------------------------------------------------------------

TEST_F(HttpClientFaults, ConnectToAPortThatNeverCompletesTheHandshakeIsTimeoutAtTheConnectLimit) {
  test::UnacceptingPort port;
  const Stopwatch watch;
  const auto message =
      expect_failure({.url = port.url("/x")}, {.connect_timeout = 400ms, .total_timeout = 5s},
                     HttpErrorKind::Timeout, 2400ms);
  EXPECT_THAT(message, HasSubstr("connect timed out"));
  EXPECT_GE(watch.elapsed(), 350ms);  // it really waited: not refused
}

TEST_F(HttpClientFaults, ConnectTimeoutIsBoundedByTheTotalDeadlineWhenThatIsShorter) {
  test::UnacceptingPort port;
  (void)expect_failure({.url = port.url("/x")}, {.connect_timeout = 5s, .total_timeout = 400ms},
                       HttpErrorKind::Timeout, 2400ms);
}

TEST_F(HttpClientFaults, HttpsConnectThatNeverCompletesIsTimeoutNotTls) {
  test::UnacceptingPort port;
  const std::string url = "https://127.0.0.1:" + std::to_string(port.port()) + "/";
  (void)expect_failure({.url = url}, {.connect_timeout = 400ms, .total_timeout = 400ms},
                       HttpErrorKind::Timeout, 2400ms);
}

// --- redirects ---------------------------------------------------------------------------------

class HttpClientRedirect : public HttpClientFaults, public ::testing::WithParamInterface<int> {};

TEST_P(HttpClientRedirect, IsReturnedAsTheAnswerAndNeverFollowed) {
  LoopbackServer elsewhere;
  LoopbackServer server;
  server.enqueue(
      {.status = GetParam(), .headers = {{"Location", elsewhere.url("/stolen")}}, .body = "moved"});
  const Stopwatch watch;
  const auto response =
      client->send({.method = "POST", .url = server.url("/"), .headers = {}, .body = "a=b"}, {});
  EXPECT_LT(watch.elapsed(), 2s);
  EXPECT_EQ(response.status, GetParam());
  EXPECT_EQ(*find_header(response.headers, "Location"), elsewhere.url("/stolen"));
  EXPECT_FALSE(elsewhere.wait_for_requests(1, 200ms));
  EXPECT_EQ(elsewhere.connection_count(), 0u);
  EXPECT_EQ(server.request_count(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Statuses, HttpClientRedirect, ::testing::Values(301, 302, 303, 307, 308));

// --- injection through what the client is asked to send -----------------------------------------

TEST_F(HttpClientFaults, HeaderValueWithCrLfIsRefusedBeforeConnectingAndNotQuoted) {
  LoopbackServer server;
  const auto message = expect_failure(
      {.url = server.url("/"), .headers = {{"X-aws-ec2-metadata-token", test::kHeaderInjection}}},
      {}, HttpErrorKind::InvalidRequest, 1s);
  EXPECT_THAT(message, HasSubstr("X-aws-ec2-metadata-token"));
  EXPECT_THAT(message, Not(HasSubstr("Injected")));
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST_F(HttpClientFaults, HeaderNameThatIsNotATokenIsRefusedBeforeConnecting) {
  LoopbackServer server;
  for (const std::string name : {"X-A: b\r\nX-Injected", "X A", "X-\x1b[2J", ""}) {
    (void)expect_failure({.url = server.url("/"), .headers = {{name, "v"}}}, {},
                         HttpErrorKind::InvalidRequest, 1s);
  }
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST_F(HttpClientFaults, TerminalEscapesInAHeaderValueNeverReachTheWireRaw) {
  // ESC and BEL cannot end a header line, but a header carrying them is still not what any
  // AWS header holds; either the client refuses it or sends it byte for byte without a new line.
  LoopbackServer server;
  try {
    (void)client->send({.url = server.url("/"), .headers = {{"X-Probe", test::kTerminalEscapes}}},
                       {});
  } catch (const HttpError& e) {
    test::expect_printable_message(e.what());
  }
  for (const auto& r : server.requests()) EXPECT_EQ(r.header("X-Injected"), nullptr);
}

TEST_F(HttpClientFaults, UrlWithCrLfOrSpaceInTheTargetIsRefusedBeforeConnecting) {
  LoopbackServer server;
  for (const std::string target :
       {"/a\r\nX-Injected: yes", "/a HTTP/1.1\r\nX-Injected: yes\r\n\r\nGET /b", "/a\x1b[2J"}) {
    (void)expect_failure({.url = server.url(target)}, {}, HttpErrorKind::InvalidUrl, 1s);
  }
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST_F(HttpClientFaults, ReasonPhraseWithTerminalEscapesIsAProtocolErrorWithAPrintableMessage) {
  LoopbackServer server;
  server.enqueue({.status = 500, .reason = test::kTerminalEscapes});
  (void)expect_failure({.url = server.url("/")}, {}, HttpErrorKind::Protocol, 2s);
}

TEST_F(HttpClientFaults, ResponseHeaderWithTerminalEscapesIsAProtocolErrorWithAPrintableMessage) {
  LoopbackServer server;
  server.enqueue({.headers = {{"X-Amzn-Error", test::kTerminalEscapes}}});
  (void)expect_failure({.url = server.url("/")}, {}, HttpErrorKind::Protocol, 2s);
}

// --- keep-alive --------------------------------------------------------------------------------

TEST_F(HttpClientFaults, KeptAliveConnectionCarriesConsecutiveExchanges) {
  LoopbackServer server;
  server.set_keep_alive(true);
  server.set_handler([](const RecordedRequest& r) { return ScriptedResponse{.body = r.path}; });
  const Stopwatch watch;
  for (const std::string path : {"/one", "/two", "/three"}) {
    EXPECT_EQ(client->send({.url = server.url(path)}, {}).body, path);
  }
  EXPECT_LT(watch.elapsed(), 2s);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(server.connection_count(), 1u);
}

TEST_F(HttpClientFaults, ConnectionTheServerClosedWhileIdleIsNotReused) {
  LoopbackServer server;
  server.set_keep_alive(true);
  server.set_handler([](const RecordedRequest&) { return ScriptedResponse{.body = "ok"}; });
  EXPECT_EQ(client->send({.url = server.url("/a")}, {}).body, "ok");
  server.close_idle_connections();
  std::this_thread::sleep_for(100ms);  // the FIN reaches the client's socket
  const Stopwatch watch;
  EXPECT_EQ(client->send({.url = server.url("/b")}, {}).body, "ok");
  EXPECT_LT(watch.elapsed(), 2s);
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(server.connection_count(), 2u);
}

TEST_F(HttpClientFaults, ReusedConnectionClosedBeforeAnyResponseByteIsRetriedOnceOnANewOne) {
  LoopbackServer server;
  server.set_keep_alive(true);
  std::atomic<int> seen{0};
  // The second request arrives on the kept connection, which the server then drops without a
  // byte (a server closing an idle connection just as the request arrived).
  server.set_handler([&](const RecordedRequest&) {
    if (++seen == 2) return ScriptedResponse{.close_without_response = true};
    return ScriptedResponse{.body = "ok"};
  });
  EXPECT_EQ(client->send({.url = server.url("/a")}, {}).body, "ok");
  const Stopwatch watch;
  EXPECT_EQ(client->send({.url = server.url("/b")}, {}).body, "ok");
  EXPECT_LT(watch.elapsed(), 2s);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].path, "/b");
  EXPECT_EQ(requests[2].path, "/b");
  EXPECT_EQ(server.connection_count(), 2u);
}

TEST_F(HttpClientFaults, StaleRetryIsMadeOnlyOnceThenConnectionClosed) {
  LoopbackServer server;
  server.set_keep_alive(true);
  std::atomic<int> seen{0};
  server.set_handler([&](const RecordedRequest&) {
    if (++seen >= 2) return ScriptedResponse{.close_without_response = true};
    return ScriptedResponse{.body = "ok"};
  });
  EXPECT_EQ(client->send({.url = server.url("/a")}, {}).body, "ok");
  (void)expect_failure({.url = server.url("/b")}, {}, HttpErrorKind::ConnectionClosed, 2s);
  EXPECT_EQ(server.request_count(), 3u);  // /a, /b on the kept connection, /b once more
}

TEST_F(HttpClientFaults, ConnectionWithACutOffBodyIsNotReturnedToThePool) {
  LoopbackServer server;
  server.set_keep_alive(true);
  server.enqueue({.body = "part", .content_length = 100});
  server.enqueue({.body = "whole"});
  (void)expect_failure({.url = server.url("/a")}, {}, HttpErrorKind::ConnectionClosed, 2s);
  EXPECT_EQ(client->send({.url = server.url("/b")}, {}).body, "whole");
  EXPECT_EQ(server.connection_count(), 2u);
}

TEST_F(HttpClientFaults, ConnectionWhoseAnswerTimedOutIsNotReused) {
  LoopbackServer server;
  server.set_keep_alive(true);
  server.enqueue({.body = "late", .delay_before_headers = 600ms});
  server.enqueue({.body = "next"});
  (void)expect_failure({.url = server.url("/a")}, {.total_timeout = 200ms}, HttpErrorKind::Timeout,
                       1500ms);
  // The late answer must never be read as the answer to the next request.
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(client->send({.url = server.url("/b")}, {}).body, "next");
  EXPECT_EQ(server.connection_count(), 2u);
}

}  // namespace
}  // namespace awsauth
