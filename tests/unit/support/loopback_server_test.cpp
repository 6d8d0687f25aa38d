// Checks the test harness itself with a raw socket client, so provider tests can trust it.
#include "loopback_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace awsauth::test {
namespace {

// Sends raw bytes to 127.0.0.1:port and reads until the peer closes (2 s receive timeout).
std::string raw_exchange(std::uint16_t port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "<refused>";
  }
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[1024];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

TEST(LoopbackServer, PlaysQueuedResponsesInOrderAndRecordsRequests) {
  LoopbackServer server;
  server.enqueue({.status = 200, .headers = {{"X-Test", "1"}}, .body = "first"});
  server.enqueue({.status = 503, .body = "second"});
  const auto a = raw_exchange(server.port(),
                              "PUT /latest/api/token?x=1 HTTP/1.1\r\nHost: h\r\n"
                              "X-Aws-Ec2-Metadata-Token-Ttl-Seconds: 21600\r\n"
                              "Content-Length: 4\r\n\r\nbody");
  const auto b = raw_exchange(server.port(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(a.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << a;
  EXPECT_NE(a.find("X-Test: 1\r\n"), std::string::npos);
  EXPECT_NE(a.find("\r\n\r\nfirst"), std::string::npos);
  EXPECT_EQ(b.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << b;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].path, "/latest/api/token");
  EXPECT_EQ(requests[0].query, "x=1");
  EXPECT_EQ(requests[0].body, "body");
  ASSERT_NE(requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"), nullptr);
  EXPECT_EQ(*requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
}

TEST(LoopbackServer, HandlerScriptsAnswersFromTheRequest) {
  LoopbackServer server([](const RecordedRequest& r) {
    return ScriptedResponse{.status = r.method == "PUT" ? 200 : 401, .body = r.path};
  });
  EXPECT_NE(raw_exchange(server.port(), "PUT /tok HTTP/1.1\r\n\r\n").find("200 OK"),
            std::string::npos);
  EXPECT_NE(raw_exchange(server.port(), "GET /x HTTP/1.1\r\n\r\n").find("401"), std::string::npos);
}

TEST(LoopbackServer, CutOffBodyDeclaresMoreThanItSendsThenCloses) {
  LoopbackServer server;
  server.enqueue({.body = "abc", .content_length = 100});
  const auto out = raw_exchange(server.port(), "GET / HTTP/1.1\r\n\r\n");
  EXPECT_NE(out.find("Content-Length: 100\r\n"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 3), "abc");
}

TEST(LoopbackServer, StopsPromptlyWhileHoldingAnUnansweredConnection) {
  auto server = std::make_unique<LoopbackServer>();
  server->enqueue({.never_answer = true});
  std::thread client(
      [port = server->port()] { (void)raw_exchange(port, "GET / HTTP/1.1\r\n\r\n"); });
  ASSERT_TRUE(server->wait_for_requests(1, std::chrono::seconds(2)));
  const auto start = std::chrono::steady_clock::now();
  server.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  client.join();
}

TEST(LoopbackServer, ClosedPortRefusesConnections) {
  EXPECT_EQ(raw_exchange(closed_port(), "GET / HTTP/1.1\r\n\r\n"), "<refused>");
}

}  // namespace
}  // namespace awsauth::test
