#pragma once
/// @file unaccepting_port.hpp
/// A loopback port where connecting times out: a listening socket that never accepts, whose
/// accept queue is already full, so the kernel drops every further SYN (Linux answers no SYN
/// while the accept queue of a listener is full and tcp_abort_on_overflow is 0, the default).
/// A client's connect() then neither succeeds nor is refused: it waits until its own timeout.
///
/// Usage:
/// ```
///   awsauth::test::UnacceptingPort port;  // throws when the backlog cannot be filled
///   env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", port.url("/"));
/// ```
/// The constructor checks that a probe connect really stays pending, so a test using it tests
/// a connect timeout, never "connection refused" by accident.

#include <cstdint>
#include <string>
#include <vector>

namespace awsauth::test {

class UnacceptingPort {
 public:
  UnacceptingPort();
  ~UnacceptingPort();
  UnacceptingPort(const UnacceptingPort&) = delete;
  UnacceptingPort& operator=(const UnacceptingPort&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  /// `http://127.0.0.1:<port>` followed by `path_and_query`.
  [[nodiscard]] std::string url(const std::string& path_and_query = "/") const;

 private:
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::vector<int> fillers_;  ///< connections sitting in (or knocking at) the full queue
};

}  // namespace awsauth::test
