#include "loopback_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace awsauth::test {

namespace {

constexpr int kPollSliceMs = 50;  // how often blocked waits look at the stop flag
constexpr std::size_t kMaxHeaderBytes = std::size_t{64} * 1024;
constexpr auto kRequestReadDeadline = std::chrono::seconds(10);

const char* standard_reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  const auto last = s.find_last_not_of(" \t\r");
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

int bind_loopback(bool listen_too, std::uint16_t* port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      (listen_too && ::listen(fd, 64) != 0)) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("cannot listen on 127.0.0.1: " + why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

LoopbackServer::LoopbackServer() : LoopbackServer(Handler{}) {}

LoopbackServer::LoopbackServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = bind_loopback(true, &port_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

LoopbackServer::~LoopbackServer() { stop(); }

void LoopbackServer::enqueue(ScriptedResponse response) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(response));
}

void LoopbackServer::set_handler(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

void LoopbackServer::set_greeting(std::string bytes) {
  std::lock_guard lock(mutex_);
  greeting_ = std::move(bytes);
}

std::string LoopbackServer::url(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
}

std::vector<RecordedRequest> LoopbackServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t LoopbackServer::request_count() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

bool LoopbackServer::wait_for_requests(std::size_t n, std::chrono::milliseconds deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, deadline, [&] { return requests_.size() >= n; });
}

void LoopbackServer::stop() {
  if (stopping_.exchange(true)) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    // Wake every worker blocked in recv/send on an open connection.
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  changed_.notify_all();
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
  ::close(listen_fd_);
}

void LoopbackServer::accept_loop() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollSliceMs) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    connections_.fetch_add(1);
    std::lock_guard lock(mutex_);
    if (stopping_.load()) {
      ::close(fd);
      break;
    }
    open_fds_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

bool LoopbackServer::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return !changed_.wait_for(lock, d, [&] { return stopping_.load(); });
}

bool LoopbackServer::send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

ScriptedResponse LoopbackServer::answer(const RecordedRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    handler = handler_;
    if (!handler) {
      changed_.notify_all();
      if (next_queued_ < queue_.size()) return queue_[next_queued_++];
      return ScriptedResponse{.status = 404, .body = "no scripted response"};
    }
  }
  changed_.notify_all();
  try {
    return handler(request);
  } catch (const std::exception& e) {
    // A failing handler must not take the test process down with it: answer 500 instead.
    return ScriptedResponse{.status = 500, .body = std::string("handler threw: ") + e.what()};
  }
}

bool LoopbackServer::read_request(int fd, std::string& data, RecordedRequest& request) {
  const auto give_up = std::chrono::steady_clock::now() + kRequestReadDeadline;
  char buf[4096];
  // Read one whole request (headers, then Content-Length bytes of body).
  std::size_t header_end = std::string::npos;
  std::size_t body_length = 0;
  bool complete = false;
  while (!stopping_.load() && std::chrono::steady_clock::now() < give_up) {
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end == std::string::npos && data.size() > kMaxHeaderBytes) break;
      if (header_end != std::string::npos) {
        std::string lower = data.substr(0, header_end);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const auto at = lower.find("\r\ncontent-length:");
        if (at != std::string::npos) {
          body_length = std::stoul(lower.substr(at + 17, lower.find("\r\n", at + 2) - at - 17));
        }
      }
    }
    if (header_end != std::string::npos && data.size() >= header_end + 4 + body_length) {
      complete = true;
      break;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, kPollSliceMs) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    if (data.empty()) mark_idle(fd, false);
    data.append(buf, static_cast<std::size_t>(n));
  }
  if (!complete) return false;

  const std::string head = data.substr(0, header_end);
  std::size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const auto sp1 = request_line.find(' ');
  const auto sp2 = request_line.rfind(' ');
  request.method = request_line.substr(0, sp1);
  request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  const auto q = request.target.find('?');
  request.path = request.target.substr(0, q);
  request.query = q == std::string::npos ? "" : request.target.substr(q + 1);
  while (line_end != std::string::npos && line_end < head.size()) {
    const auto next = head.find("\r\n", line_end + 2);
    const std::string line = head.substr(
        line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      request.headers.emplace_back(line.substr(0, colon), trim(line.substr(colon + 1)));
    }
    line_end = next;
  }
  request.body = data.substr(header_end + 4, body_length);
  data.erase(0, header_end + 4 + body_length);  // a pipelined next request stays
  return true;
}

bool LoopbackServer::respond(int fd, const ScriptedResponse& response, bool keep_open) {
  char buf[4096];
  if (response.never_answer) {
    // Hold the connection until the client hangs up or the server stops.
    while (!stopping_.load()) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, kPollSliceMs) > 0 && ::recv(fd, buf, sizeof buf, 0) <= 0) break;
    }
    return false;
  }
  if (response.close_without_response || !pause(response.delay_before_headers)) return false;
  std::string head_out =
      "HTTP/1.1 " + std::to_string(response.status) + " " +
      (response.reason.empty() ? standard_reason(response.status) : response.reason) + "\r\n";
  for (const auto& [k, v] : response.headers)
    head_out.append(k).append(": ").append(v).append("\r\n");
  if (!find_header(response.headers, "Content-Length")) {
    head_out += "Content-Length: " +
                std::to_string(response.content_length.value_or(response.body.size())) + "\r\n";
  }
  head_out += keep_open ? "\r\n" : "Connection: close\r\n\r\n";
  if (response.trickle_headers && response.trickle_interval.count() > 0) {
    for (char c : head_out) {
      if (!pause(response.trickle_interval) || !send_all(fd, &c, 1)) return false;
    }
  } else if (!send_all(fd, head_out.data(), head_out.size())) {
    return false;
  }
  if (response.trickle_interval.count() > 0) {
    for (char c : response.body) {
      if (!pause(response.trickle_interval) || !send_all(fd, &c, 1)) return false;
    }
  } else if (!send_all(fd, response.body.data(), response.body.size())) {
    return false;
  }
  // A cut-off body (content_length larger than the body) ends the connection.
  return keep_open &&
         response.content_length.value_or(response.body.size()) == response.body.size();
}

void LoopbackServer::serve(int fd) {
  std::string greeting;
  bool keep_alive = false;
  {
    std::lock_guard lock(mutex_);
    greeting = greeting_;
    keep_alive = keep_alive_;
  }
  if (!greeting.empty()) send_all(fd, greeting.data(), greeting.size());
  std::string data;
  RecordedRequest request;
  while (read_request(fd, data, request)) {
    const ScriptedResponse response = answer(request);
    const bool open = respond(fd, response, keep_alive);
    mark_idle(fd, open && data.empty(), /*answered=*/true);
    if (!open) break;
    request = RecordedRequest{};
  }
  std::lock_guard lock(mutex_);
  idle_fds_.erase(std::remove(idle_fds_.begin(), idle_fds_.end(), fd), idle_fds_.end());
  open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

void LoopbackServer::set_keep_alive(bool keep_alive) {
  std::lock_guard lock(mutex_);
  keep_alive_ = keep_alive;
}

void LoopbackServer::mark_idle(int fd, bool idle, bool answered) {
  std::lock_guard lock(mutex_);
  idle_fds_.erase(std::remove(idle_fds_.begin(), idle_fds_.end(), fd), idle_fds_.end());
  if (idle) idle_fds_.push_back(fd);
  if (answered) {
    ++answered_;
    changed_.notify_all();
  }
}

void LoopbackServer::close_idle_connections() {
  std::unique_lock lock(mutex_);
  // The client may have read the last answer before its worker marked the connection idle:
  // wait (bounded) until every request received so far has been answered and marked.
  changed_.wait_for(lock, std::chrono::seconds(2), [&] { return answered_ >= requests_.size(); });
  // shutdown() sends the FIN at once and wakes the worker, which then closes the descriptor.
  for (int fd : idle_fds_) ::shutdown(fd, SHUT_RDWR);
  idle_fds_.clear();
}

std::uint16_t closed_port() {
  std::uint16_t port = 0;
  ::close(bind_loopback(false, &port));
  return port;
}

}  // namespace awsauth::test
