// A port whose connects time out; see unaccepting_port.hpp.
#include "unaccepting_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace awsauth::test {

namespace {

constexpr int kMaxFillers = 16;
constexpr int kSettleMs = 200;  // a loopback handshake completes in microseconds

// Starts a non-blocking connect to `addr`; true when it completed within kSettleMs.
bool connects(int fd, const sockaddr_in& addr) {
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) return true;
  if (errno != EINPROGRESS) {
    throw std::runtime_error(std::string("UnacceptingPort: connect: ") + std::strerror(errno));
  }
  pollfd p{fd, POLLOUT, 0};
  if (::poll(&p, 1, kSettleMs) <= 0) return false;
  int error = 0;
  socklen_t len = sizeof error;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
  if (error != 0) {
    throw std::runtime_error(std::string("UnacceptingPort: connect: ") + std::strerror(error));
  }
  return true;
}

}  // namespace

UnacceptingPort::UnacceptingPort() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("UnacceptingPort: socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  // Backlog 0: the queue holds one established connection (Linux allows backlog + 1).
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 0) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string why = std::strerror(errno);
    ::close(listen_fd_);
    throw std::runtime_error("UnacceptingPort: cannot listen on 127.0.0.1: " + why);
  }
  port_ = ntohs(addr.sin_port);
  // Connect until one connect stays pending: from then on the queue is full and SYNs to the
  // port go unanswered. That pending connect is the probe proving it.
  for (int i = 0; i < kMaxFillers; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) break;
    fillers_.push_back(fd);
    if (!connects(fd, addr)) return;
  }
  for (int fd : fillers_) ::close(fd);
  ::close(listen_fd_);
  throw std::runtime_error(
      "UnacceptingPort: every connect was accepted by the kernel; cannot make connects time out "
      "on this system");
}

UnacceptingPort::~UnacceptingPort() {
  for (int fd : fillers_) ::close(fd);
  ::close(listen_fd_);
}

std::string UnacceptingPort::url(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
}

}  // namespace awsauth::test
