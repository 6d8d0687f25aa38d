#pragma once
/// @file loopback_server.hpp
/// A scripted HTTP/1.1 server on 127.0.0.1 for tests of anything that speaks HTTP (the Poco
/// client, IMDS, the container endpoint, STS-like peers), with fault injection.
///
/// Usage:
/// ```
///   awsauth::test::LoopbackServer server;                 // listens on 127.0.0.1:<free port>
///   server.enqueue({.status = 200, .body = "hello"});      // answers, in order
///   server.enqueue({.status = 500});                       // then this one
///   auto response = client.send({.url = server.url("/latest/api/token")}, {});
///   EXPECT_EQ(server.requests()[0].path, "/latest/api/token");
/// ```
/// or script behaviour from the request:
/// ```
///   LoopbackServer server([](const RecordedRequest& r) -> ScriptedResponse {
///     if (r.method == "PUT") return {.body = "token"};
///     return {.status = 401};
///   });
/// ```
/// By default every response carries `Connection: close` and the connection is closed after
/// it, so each request arrives on its own connection; `set_keep_alive(true)` keeps connections
/// open for further requests (HTTP/1.1 persistent connections), so a test can count how many
/// connections a client opened for several exchanges (`connection_count()`). When neither a handler
/// nor a queued response is available the server answers 404 with body "no scripted response".
///
/// Faults (fields of ScriptedResponse): `delay_before_headers`, `trickle_interval` (body sent
/// one byte at a time; with `trickle_headers` the head too), `content_length` larger than the body
/// (the body is cut off and the connection closed), `never_answer` (the request is read and then
/// nothing is sent until the client gives up or the server stops), `close_without_response`;
/// `set_greeting()` makes the server speak first. For "connection refused" use `closed_port()`.
///
/// Every wait inside the server watches the stop flag, so `stop()` (and the destructor) return
/// within about 100 ms even while a connection is being trickled or held unanswered. All
/// members are thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "awsauth/http.hpp"

namespace awsauth::test {

/// One request as the server received it.
struct RecordedRequest {
  std::string method;
  std::string target;   ///< the request-target as sent: path plus `?query`
  std::string path;     ///< target without the query
  std::string query;    ///< without the `?`; empty when none
  HttpHeaders headers;  ///< as received, in order, names as sent
  std::string body;

  /// Case-insensitive header lookup; nullptr when absent.
  [[nodiscard]] const std::string* header(std::string_view name) const {
    return find_header(headers, name);
  }
};

/// What the server does with one request.
struct ScriptedResponse {
  int status = 200;
  std::string reason;   ///< empty: the standard phrase for `status` ("OK", "Not Found", ...)
  HttpHeaders headers;  ///< extra headers; Content-Length is added unless present here
  std::string body;
  /// Wait this long after reading the request before sending anything.
  std::chrono::milliseconds delay_before_headers{0};
  /// When non-zero, send the body one byte at a time with this pause before each byte.
  std::chrono::milliseconds trickle_interval{0};
  /// With a non-zero `trickle_interval`, send the status line and headers one byte at a time
  /// too (a server that outlasts any per-read timeout before the body even starts).
  bool trickle_headers = false;
  /// Declared Content-Length; when larger than `body`, the body is cut off: the server sends
  /// what it has and closes the connection.
  std::optional<std::size_t> content_length;
  /// Read the request, then send nothing and keep the connection open until the client closes
  /// it or the server stops.
  bool never_answer = false;
  /// Read the request, then close the connection without a byte of response.
  bool close_without_response = false;
};

class LoopbackServer {
 public:
  using Handler = std::function<ScriptedResponse(const RecordedRequest&)>;

  /// Starts listening on 127.0.0.1 on a free port; answers from the queue (see enqueue()).
  LoopbackServer();
  /// Starts listening; every request is answered by `handler` (called on a server thread; it
  /// may block, but should watch its own deadlines).
  explicit LoopbackServer(Handler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  /// Queues a response for the next request that has no handler to answer it.
  void enqueue(ScriptedResponse response);
  /// Replaces the handler (nullptr: back to the queue).
  void set_handler(Handler handler);

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  /// `http://127.0.0.1:<port>` followed by `path_and_query` (which should start with `/`).
  [[nodiscard]] std::string url(const std::string& path_and_query = "/") const;

  /// Copies of every request received so far, in arrival order.
  [[nodiscard]] std::vector<RecordedRequest> requests() const;
  [[nodiscard]] std::size_t request_count() const;
  /// Waits until at least `n` requests arrived; false when `deadline` passed first.
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds deadline) const;
  /// Number of TCP connections accepted so far (including ones that never sent a request).
  [[nodiscard]] std::size_t connection_count() const noexcept { return connections_.load(); }

  /// Bytes sent on every new connection before the request is read (a server that speaks
  /// first, e.g. plain-text garbage to a client expecting a TLS handshake). Empty: none.
  void set_greeting(std::string bytes);

  /// Keep connections open after each response (no `Connection: close`), for connections
  /// accepted from now on. A cut-off or faulty response still ends its connection.
  void set_keep_alive(bool keep_alive);

  /// Closes every kept-alive connection that is waiting for its next request (what a server
  /// does to idle connections after its keep-alive timeout). Connections in the middle of a
  /// request or response are left alone.
  void close_idle_connections();

  /// Stops accepting, drops every open connection and joins all threads. Idempotent.
  void stop();

 private:
  void accept_loop();
  void serve(int fd);
  /// Reads one whole request from `fd` (bytes past it stay in `data`); false when the peer
  /// closed, the server stops, or no whole request came within the read deadline.
  bool read_request(int fd, std::string& data, RecordedRequest& request);
  /// Sends `response`; true when the connection may carry another request.
  bool respond(int fd, const ScriptedResponse& response, bool keep_open);
  ScriptedResponse answer(const RecordedRequest& request);
  /// Sleeps up to `d`; returns false when the server is stopping.
  bool pause(std::chrono::milliseconds d);
  bool send_all(int fd, const char* data, std::size_t size);
  /// Marks `fd` idle (between requests) or busy; `answered`: a request's answer is complete.
  void mark_idle(int fd, bool idle, bool answered = false);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connections_{0};

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  Handler handler_;
  std::string greeting_;
  bool keep_alive_ = false;
  std::vector<ScriptedResponse> queue_;
  std::size_t next_queued_ = 0;
  std::vector<RecordedRequest> requests_;
  std::vector<int> open_fds_;
  std::vector<int> idle_fds_;  ///< kept-alive connections between requests
  std::size_t answered_ = 0;   ///< requests whose answer is complete (sent, or given up)
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

/// A loopback port with nothing listening on it: connecting is refused at once.
[[nodiscard]] std::uint16_t closed_port();

}  // namespace awsauth::test
