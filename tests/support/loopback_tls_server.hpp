#pragma once
/// @file loopback_tls_server.hpp
/// An https peer on 127.0.0.1 for tests: a throwaway CA and a server certificate for
/// IP:127.0.0.1 are made with the `openssl` command at construction, and `openssl s_server -www`
/// serves them on a free port (it answers any GET with `HTTP/1.0 200 ok` and an HTML status
/// page, then closes). The directory and the process are removed by the destructor.

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace awsauth::test {

class LoopbackTlsServer {
 public:
  /// Throws std::runtime_error when openssl fails or the server does not listen within 10 s.
  LoopbackTlsServer();
  ~LoopbackTlsServer();
  LoopbackTlsServer(const LoopbackTlsServer&) = delete;
  LoopbackTlsServer& operator=(const LoopbackTlsServer&) = delete;

  /// `https://127.0.0.1:<port>/`
  [[nodiscard]] std::string url() const;
  /// PEM file of the CA that signed the server certificate (a ca_bundle that trusts it).
  [[nodiscard]] std::string ca_file() const { return (dir_ / "ca.pem").string(); }

 private:
  void cleanup();
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace awsauth::test
