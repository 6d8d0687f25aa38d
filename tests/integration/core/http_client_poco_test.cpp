// The default (Poco) HttpClient against the loopback harness: every fault ends with the right
// HttpError kind within its deadline, never a hang.
#include <gtest/gtest.h>

#include <chrono>

#include "awsauth/context.hpp"
#include "loopback_server.hpp"
#include "loopback_tls_server.hpp"

namespace awsauth {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::ScriptedResponse;
using Steady = std::chrono::steady_clock;

class PocoHttpClient : public ::testing::Test {
 protected:
  std::shared_ptr<HttpClient> client = make_poco_http_client();

  // Sends and expects an HttpError of `kind` no later than `bound` after the start.
  HttpError expect_failure(const HttpRequest& request, const HttpOptions& options,
                           HttpErrorKind kind, std::chrono::milliseconds bound) {
    const auto start = Steady::now();
    try {
      (void)client->send(request, options);
    } catch (const HttpError& e) {
      const auto took = Steady::now() - start;
      EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(kind)) << e.what();
      EXPECT_LT(took, bound) << e.what();
      return e;
    }
    ADD_FAILURE() << "expected an HttpError";
    return HttpError(kind, "", "");
  }
};

TEST_F(PocoHttpClient, SendsMethodPathHeadersBodyAndReturnsTheResponse) {
  LoopbackServer server;
  server.enqueue({.status = 201, .headers = {{"X-Answer", "42"}}, .body = "created"});
  const auto response = client->send({.method = "PUT",
                                      .url = server.url("/latest/api/token?x=1"),
                                      .headers = {{"X-Ttl", "21600"}},
                                      .body = "payload"},
                                     {});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "created");
  ASSERT_NE(find_header(response.headers, "x-answer"), nullptr);
  EXPECT_EQ(*find_header(response.headers, "x-answer"), "42");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/latest/api/token?x=1");
  EXPECT_EQ(requests[0].body, "payload");
  ASSERT_NE(requests[0].header("X-Ttl"), nullptr);
  EXPECT_EQ(*requests[0].header("X-Ttl"), "21600");
}

TEST_F(PocoHttpClient, ErrorStatusesAreResponsesNotExceptions) {
  LoopbackServer server;
  server.enqueue({.status = 404, .body = "nope"});
  const auto response = client->send({.url = server.url("/missing")}, {});
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "nope");
}

TEST_F(PocoHttpClient, ConnectAddressRoutesToThatAddressButHostHeaderKeepsTheName) {
  LoopbackServer server;
  server.enqueue({.body = "ok"});
  const auto url = "http://metadata.example.invalid:" + std::to_string(server.port()) + "/";
  const auto response = client->send({.url = url}, {.connect_address = "127.0.0.1"});
  EXPECT_EQ(response.body, "ok");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_NE(requests[0].header("Host"), nullptr);
  EXPECT_EQ(*requests[0].header("Host"),
            "metadata.example.invalid:" + std::to_string(server.port()));
}

TEST_F(PocoHttpClient, ProxyReceivesTheAbsoluteUrl) {
  LoopbackServer proxy;
  proxy.enqueue({.body = "via proxy"});
  const auto response =
      client->send({.url = "http://sts.example.invalid/path?Action=X"}, {.proxy = proxy.url("")});
  EXPECT_EQ(response.body, "via proxy");
  ASSERT_EQ(proxy.request_count(), 1u);
  const auto target = proxy.requests()[0].target;  // Poco spells out the default port
  EXPECT_TRUE(target == "http://sts.example.invalid/path?Action=X" ||
              target == "http://sts.example.invalid:80/path?Action=X")
      << target;
}

TEST_F(PocoHttpClient, ConnectionRefusedIsConnectFailedAtOnce) {
  const auto url = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/x";
  expect_failure({.url = url}, {}, HttpErrorKind::ConnectFailed, 1s);
}

TEST_F(PocoHttpClient, DelayBeforeHeadersPastTheDeadlineIsTimeout) {
  LoopbackServer server;
  server.enqueue({.body = "late", .delay_before_headers = 3s});
  expect_failure({.url = server.url("/slow")}, {.total_timeout = 300ms}, HttpErrorKind::Timeout,
                 900ms);
}

TEST_F(PocoHttpClient, AcceptedButNeverAnsweredIsTimeout) {
  LoopbackServer server;
  server.enqueue({.never_answer = true});
  expect_failure({.url = server.url("/")}, {.total_timeout = 300ms}, HttpErrorKind::Timeout, 900ms);
}

TEST_F(PocoHttpClient, TrickledBodyIsCutOffAtTheTotalDeadlineNotPerRead) {
  LoopbackServer server;
  // 40 bytes at one per 100 ms: each read succeeds well within any per-read timeout, but the
  // whole body would take 4 s.
  server.enqueue({.body = std::string(40, 'x'), .trickle_interval = 100ms});
  expect_failure({.url = server.url("/trickle")}, {.total_timeout = 500ms}, HttpErrorKind::Timeout,
                 1200ms);
}

TEST_F(PocoHttpClient, BodyCutOffBeforeContentLengthIsConnectionClosed) {
  LoopbackServer server;
  server.enqueue({.body = "partial", .content_length = 1000});
  expect_failure({.url = server.url("/cut")}, {}, HttpErrorKind::ConnectionClosed, 2s);
}

TEST_F(PocoHttpClient, ClosedWithoutResponseIsConnectionClosed) {
  LoopbackServer server;
  server.enqueue({.close_without_response = true});
  expect_failure({.url = server.url("/")}, {}, HttpErrorKind::ConnectionClosed, 2s);
}

TEST_F(PocoHttpClient, DeclaredBodyOverTheCapIsResponseTooLarge) {
  LoopbackServer server;
  server.enqueue({.body = std::string(5000, 'a')});
  expect_failure({.url = server.url("/big")}, {.max_response_bytes = 1024},
                 HttpErrorKind::ResponseTooLarge, 2s);
}

TEST_F(PocoHttpClient, UndeclaredBodyOverTheCapIsResponseTooLarge) {
  LoopbackServer server;
  server.enqueue({.headers = {{"Transfer-Encoding", "chunked"}, {"Content-Length", ""}}});
  server.set_handler([](const test::RecordedRequest&) {
    std::string chunked;
    for (int i = 0; i < 10; ++i) chunked += "200\r\n" + std::string(512, 'b') + "\r\n";
    chunked += "0\r\n\r\n";
    // An explicit (empty-valued) Content-Length header entry suppresses the harness's own.
    return ScriptedResponse{.headers = {{"Transfer-Encoding", "chunked"}}, .body = chunked};
  });
  expect_failure({.url = server.url("/chunked")}, {.max_response_bytes = 2048},
                 HttpErrorKind::ResponseTooLarge, 2s);
}

TEST_F(PocoHttpClient, BodyExactlyAtTheCapIsAccepted) {
  LoopbackServer server;
  server.enqueue({.body = std::string(1024, 'c')});
  EXPECT_EQ(client->send({.url = server.url("/")}, {.max_response_bytes = 1024}).body.size(),
            1024u);
}

TEST_F(PocoHttpClient, TlsToAPlainTextServerIsTlsError) {
  LoopbackServer server;
  server.set_greeting("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  const auto url = "https://127.0.0.1:" + std::to_string(server.port()) + "/";
  expect_failure({.url = url}, {.total_timeout = 2s}, HttpErrorKind::Tls, 2500ms);
}

TEST_F(PocoHttpClient, InvalidUrlIsInvalidUrl) {
  expect_failure({.url = "ftp://127.0.0.1/x"}, {}, HttpErrorKind::InvalidUrl, 1s);
  expect_failure({.url = "not a url"}, {}, HttpErrorKind::InvalidUrl, 1s);
}

TEST_F(PocoHttpClient, ErrorMessageNamesTheUrlWithoutQueryOrHeaderValues) {
  const auto url = "http://127.0.0.1:" + std::to_string(test::closed_port()) +
                   "/creds?X-Amz-Security-Token=SECRETTOKEN";
  const auto e = expect_failure({.url = url, .headers = {{"Authorization", "SECRETHEADER"}}}, {},
                                HttpErrorKind::ConnectFailed, 1s);
  const std::string message = e.what();
  EXPECT_NE(message.find("/creds"), std::string::npos) << message;
  EXPECT_EQ(message.find("SECRETTOKEN"), std::string::npos) << message;
  EXPECT_EQ(message.find("SECRETHEADER"), std::string::npos) << message;
}

}  // namespace
}  // namespace awsauth

namespace awsauth {
namespace {
TEST_F(PocoHttpClient, TlsHandshakeNobodyAnswersIsTimeoutAtTheDeadline) {
  LoopbackServer server;  // reads the ClientHello forever waiting for an HTTP request
  const auto url = "https://127.0.0.1:" + std::to_string(server.port()) + "/";
  expect_failure({.url = url}, {.total_timeout = 400ms}, HttpErrorKind::Timeout, 1200ms);
}
}  // namespace
}  // namespace awsauth

// The whole-request deadline covers the status line and headers too (issue 3): Poco's own
// header reading has only a per-read timeout, which a byte-at-a-time server never trips.
namespace awsauth {
namespace {
TEST_F(PocoHttpClient, TrickledHeadersAreCutOffAtTheTotalDeadline) {
  LoopbackServer server;
  // About 60 head bytes at one per 100 ms: every read succeeds quickly, the head takes 6 s.
  server.enqueue({.body = "ok", .trickle_interval = 100ms, .trickle_headers = true});
  expect_failure({.url = server.url("/trickle-head")}, {.total_timeout = 500ms},
                 HttpErrorKind::Timeout, 1200ms);
}

TEST_F(PocoHttpClient, TrickledHeadersWithinTheDeadlineAreParsed) {
  LoopbackServer server;
  server.enqueue({.headers = {{"X-A", "1"}},
                  .body = "done",
                  .trickle_interval = 1ms,
                  .trickle_headers = true});
  const auto response = client->send({.url = server.url("/")}, {.total_timeout = 5s});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.reason, "OK");
  EXPECT_EQ(response.body, "done");
  ASSERT_NE(find_header(response.headers, "x-a"), nullptr);
  EXPECT_EQ(*find_header(response.headers, "x-a"), "1");
}

// A chunked body with an empty Content-Length entry (which suppresses the harness's own).
ScriptedResponse chunked(std::string body, std::chrono::milliseconds trickle = 0ms) {
  return {.headers = {{"Transfer-Encoding", "chunked"}, {"Content-Length", ""}},
          .body = std::move(body),
          .trickle_interval = trickle};
}

TEST_F(PocoHttpClient, ChunkedBodyIsDecoded) {
  LoopbackServer server;
  server.enqueue(chunked("5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"));
  EXPECT_EQ(client->send({.url = server.url("/")}, {}).body, "hello, world");
}

TEST_F(PocoHttpClient, TrickledChunkedBodyIsCutOffAtTheTotalDeadline) {
  LoopbackServer server;
  server.enqueue(chunked("20\r\n" + std::string(32, 'z') + "\r\n0\r\n\r\n", 100ms));
  expect_failure({.url = server.url("/chunks")}, {.total_timeout = 500ms}, HttpErrorKind::Timeout,
                 1200ms);
}

TEST_F(PocoHttpClient, ChunkedBodyCutOffIsConnectionClosed) {
  LoopbackServer server;
  server.enqueue(chunked("10\r\nshort"));
  expect_failure({.url = server.url("/")}, {}, HttpErrorKind::ConnectionClosed, 2s);
}

TEST_F(PocoHttpClient, MalformedChunkSizeIsProtocolError) {
  LoopbackServer server;
  server.enqueue(chunked("zz\r\nhello\r\n0\r\n\r\n"));
  expect_failure({.url = server.url("/")}, {}, HttpErrorKind::Protocol, 2s);
}

TEST_F(PocoHttpClient, NeverAnsweredIsCutOffAtTheTotalDeadlineEvenWithALongConnectTimeout) {
  LoopbackServer server;
  server.enqueue({.never_answer = true});
  expect_failure({.url = server.url("/")}, {.connect_timeout = 10s, .total_timeout = 400ms},
                 HttpErrorKind::Timeout, 1000ms);
}

TEST_F(PocoHttpClient, GarbageInsteadOfAStatusLineIsProtocolError) {
  LoopbackServer server;
  server.set_greeting("SSH-2.0-OpenSSH_9.0\r\n\r\n");
  expect_failure({.url = server.url("/")}, {}, HttpErrorKind::Protocol, 2s);
}

TEST_F(PocoHttpClient, HeadersWithoutAnEndAreCappedAsProtocolError) {
  LoopbackServer server;
  server.set_greeting("HTTP/1.1 200 OK\r\n" + std::string(70 * 1024, 'h'));
  expect_failure({.url = server.url("/")}, {}, HttpErrorKind::Protocol, 2s);
}

TEST_F(PocoHttpClient, HttpsWithTheCaBundleSucceedsAndAnUntrustedCertificateIsTls) {
  test::LoopbackTlsServer server;
  const auto response =
      client->send({.url = server.url()}, {.total_timeout = 5s, .ca_bundle = server.ca_file()});
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("s_server"), std::string::npos) << response.body.substr(0, 200);

  // The system store does not know the throwaway CA.
  expect_failure({.url = server.url()}, {.total_timeout = 5s}, HttpErrorKind::Tls, 5s);
}
}  // namespace
}  // namespace awsauth
