// The Poco HttpClient sending a streamed request body (HttpRequest::body_source): the bytes and
// Content-Length on the wire, a source that delivers fewer or more bytes than declared or
// throws, the total deadline between pieces (a slow source, a peer that stops reading), and the
// keep-alive pool (a streamed body is never sent on a pooled connection, so it is never
// replayed). Every test bounds its time; nothing leaves 127.0.0.1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

#include "awsauth/context.hpp"
#include "fault_checks.hpp"
#include "loopback_server.hpp"

namespace awsauth {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;
using test::Stopwatch;
using ::testing::HasSubstr;

std::string random_bytes(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  std::mt19937 gen(seed);
  for (char& c : s) c = static_cast<char>(gen() & 0xff);
  return s;
}

// A source over `data` that hands out short pieces of random sizes (1..max_piece bytes), as a
// file or socket may; records the largest capacity it was asked to fill and how often it was
// called.
struct ShortReadSource {
  const std::string* data;
  std::size_t max_piece;
  std::size_t at = 0;
  std::mt19937 gen{11};
  std::size_t* largest_request;
  int* calls;

  std::size_t operator()(char* out, std::size_t capacity) {
    ++*calls;
    *largest_request = std::max(*largest_request, capacity);
    const std::size_t left = data->size() - at;
    const std::size_t n =
        std::min({capacity, left, static_cast<std::size_t>(1 + gen() % max_piece)});
    std::memcpy(out, data->data() + at, n);
    at += n;
    return n;
  }
};

// A source of `n` zero bytes, then (when `extra`) more than it declared.
HttpBodySource zeros(std::uint64_t n, bool extra = false) {
  auto left = std::make_shared<std::uint64_t>(extra ? n + 10 : n);
  return [left](char* out, std::size_t capacity) {
    const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, *left));
    std::memset(out, 0, k);
    *left -= k;
    return k;
  };
}

class HttpClientStreamedBody : public ::testing::Test {
 protected:
  std::shared_ptr<HttpClient> client = make_poco_http_client();

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

TEST_F(HttpClientStreamedBody, ArrivesByteForByteWithItsContentLengthFromShortReads) {
  LoopbackServer server;
  server.enqueue({.status = 201, .body = "stored"});
  const std::string body = random_bytes((std::size_t{3} << 20) + 17, 5);  // 3 MiB and a bit
  std::size_t largest = 0;
  int calls = 0;
  HttpRequest request{.method = "PUT", .url = server.url("/bucket/key")};
  request.body_source = ShortReadSource{&body, 40000, 0, {}, &largest, &calls};
  request.body_length = body.size();
  const HttpResponse response = client->send(request, {});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "stored");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].body.size(), body.size());
  EXPECT_TRUE(requests[0].body == body) << "the streamed bytes differ from the source's";
  ASSERT_NE(requests[0].header("Content-Length"), nullptr);
  EXPECT_EQ(*requests[0].header("Content-Length"), std::to_string(body.size()));
  EXPECT_EQ(requests[0].header("Transfer-Encoding"), nullptr);
  EXPECT_LE(largest, std::size_t{64} << 10) << "pieces are at most 64 KiB";
  EXPECT_GT(calls, 3 * 1024 * 1024 / 40000) << "the short reads were all taken";
}

TEST_F(HttpClientStreamedBody, StreamedBodyReplacesTheInMemoryBody) {
  LoopbackServer server;
  server.enqueue({.body = "ok"});
  HttpRequest request{.method = "POST", .url = server.url("/"), .body = "in memory"};
  const std::string streamed = "streamed";
  std::size_t largest = 0;
  int calls = 0;
  request.body_source = ShortReadSource{&streamed, 3, 0, {}, &largest, &calls};
  request.body_length = streamed.size();
  EXPECT_EQ(client->send(request, {}).body, "ok");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].body, "streamed");
}

TEST_F(HttpClientStreamedBody, EmptyStreamedBodySendsContentLengthZero) {
  LoopbackServer server;
  server.enqueue({.body = "ok"});
  HttpRequest request{.method = "PUT", .url = server.url("/")};
  request.body_source = zeros(0);
  request.body_length = 0;
  EXPECT_EQ(client->send(request, {}).body, "ok");
  ASSERT_EQ(server.requests().size(), 1u);
  ASSERT_NE(server.requests()[0].header("Content-Length"), nullptr);
  EXPECT_EQ(*server.requests()[0].header("Content-Length"), "0");
  EXPECT_EQ(server.requests()[0].body, "");
}

TEST_F(HttpClientStreamedBody, SourceEndingEarlyFailsAtOnceNamingTheUrlAndTheCounts) {
  LoopbackServer server;
  server.enqueue({.body = "never"});
  HttpRequest request{.method = "PUT", .url = server.url("/bucket/short?secret=1")};
  request.body_source = zeros(100000);
  request.body_length = 200000;
  const std::string message =
      expect_failure(request, {.total_timeout = 10s}, HttpErrorKind::BodySource, 2s);
  EXPECT_THAT(message, HasSubstr("/bucket/short"));
  EXPECT_THAT(message, HasSubstr("100000 of 200000 bytes"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("secret")));
  EXPECT_EQ(server.request_count(), 0u) << "a cut-off request must not reach the server whole";
}

TEST_F(HttpClientStreamedBody, SourceWithBytesLeftAfterTheDeclaredLengthFails) {
  LoopbackServer server;
  server.enqueue({.body = "ok"});
  HttpRequest request{.method = "PUT", .url = server.url("/long")};
  request.body_source = zeros(70000, /*extra=*/true);
  request.body_length = 70000;
  const std::string message =
      expect_failure(request, {.total_timeout = 10s}, HttpErrorKind::BodySource, 2s);
  EXPECT_THAT(message, HasSubstr("more than the declared 70000 bytes"));
  EXPECT_THAT(message, HasSubstr("/long"));
}

TEST_F(HttpClientStreamedBody, SourceThatThrowsFailsWithItsReason) {
  LoopbackServer server;
  HttpRequest request{.method = "PUT", .url = server.url("/throws")};
  int calls = 0;
  request.body_source = [&calls](char* out, std::size_t capacity) -> std::size_t {
    if (++calls == 3) throw std::runtime_error("disk went away");
    std::memset(out, 'x', capacity);
    return capacity;
  };
  request.body_length = std::uint64_t{1} << 20;
  const std::string message =
      expect_failure(request, {.total_timeout = 10s}, HttpErrorKind::BodySource, 2s);
  EXPECT_THAT(message, HasSubstr("disk went away"));
  EXPECT_THAT(message, HasSubstr("131072 of 1048576 bytes"));
}

TEST_F(HttpClientStreamedBody, ContentLengthHeaderThatDiffersIsRefusedBeforeConnecting) {
  LoopbackServer server;
  HttpRequest request{
      .method = "PUT", .url = server.url("/"), .headers = {{"content-length", "9"}}};
  request.body_source = zeros(10);
  request.body_length = 10;
  const std::string message = expect_failure(request, {}, HttpErrorKind::InvalidRequest, 2s);
  EXPECT_THAT(message, HasSubstr("'9'"));
  EXPECT_THAT(message, HasSubstr("10"));
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST_F(HttpClientStreamedBody, ContentLengthHeaderThatMatchesIsSentOnce) {
  LoopbackServer server;
  server.enqueue({.body = "ok"});
  HttpRequest request{
      .method = "PUT", .url = server.url("/"), .headers = {{"Content-Length", "10"}}};
  request.body_source = zeros(10);
  request.body_length = 10;
  EXPECT_EQ(client->send(request, {}).body, "ok");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto count = std::count_if(requests[0].headers.begin(), requests[0].headers.end(),
                                   [](const auto& h) { return h.first == "Content-Length"; });
  EXPECT_EQ(count, 1);
  EXPECT_EQ(requests[0].body, std::string(10, '\0'));
}

TEST_F(HttpClientStreamedBody, SlowSourceIsCutOffAtTheTotalDeadline) {
  LoopbackServer server;
  HttpRequest request{.method = "PUT", .url = server.url("/slow")};
  request.body_source = [](char* out, std::size_t) -> std::size_t {
    std::this_thread::sleep_for(50ms);
    out[0] = 'x';
    return 1;
  };
  request.body_length = 1000;  // 50 s at this pace
  (void)expect_failure(request, {.total_timeout = 400ms}, HttpErrorKind::Timeout, 1500ms);
}

// A peer that accepts the connection and never reads: the socket buffers fill and the send
// blocks; it must end at the total deadline, not hang.
TEST_F(HttpClientStreamedBody, PeerThatStopsReadingIsCutOffAtTheTotalDeadline) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";

  HttpRequest request{.method = "PUT", .url = url};
  request.body_source = zeros(std::uint64_t{1} << 30);  // far more than the socket buffers
  request.body_length = std::uint64_t{1} << 30;
  (void)expect_failure(request, {.total_timeout = 500ms}, HttpErrorKind::Timeout, 2s);
  ::close(fd);
}

TEST_F(HttpClientStreamedBody, IsNeverSentOnAPooledConnectionSoNeverReplayed) {
  LoopbackServer server;
  server.set_keep_alive(true);
  server.set_handler([](const RecordedRequest& r) { return ScriptedResponse{.body = r.path}; });
  EXPECT_EQ(client->send({.url = server.url("/warm")}, {}).body, "/warm");
  ASSERT_EQ(server.connection_count(), 1u);

  int calls = 0;
  std::size_t largest = 0;
  const std::string body = "streamed body";
  HttpRequest request{.method = "PUT", .url = server.url("/put")};
  request.body_source = ShortReadSource{&body, 100, 0, {}, &largest, &calls};
  request.body_length = body.size();
  EXPECT_EQ(client->send(request, {}).body, "/put");
  EXPECT_EQ(server.connection_count(), 2u) << "the idle pooled connection was used";
  // The connection it opened may carry the next (in-memory) request.
  EXPECT_EQ(client->send({.url = server.url("/after")}, {}).body, "/after");
  EXPECT_EQ(server.connection_count(), 2u);
}

TEST_F(HttpClientStreamedBody, FreshConnectionClosedBeforeAResponseIsNotRetried) {
  LoopbackServer server;
  server.enqueue({.close_without_response = true});
  server.enqueue({.body = "second try"});
  int calls = 0;
  std::size_t largest = 0;
  const std::string body(100000, 'b');
  HttpRequest request{.method = "PUT", .url = server.url("/")};
  request.body_source = ShortReadSource{&body, 65536, 0, {}, &largest, &calls};
  request.body_length = body.size();
  (void)expect_failure(request, {}, HttpErrorKind::ConnectionClosed, 2s);
  EXPECT_EQ(server.request_count(), 1u);
}

}  // namespace
}  // namespace awsauth
