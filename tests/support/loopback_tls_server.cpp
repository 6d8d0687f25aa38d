// openssl-backed https peer for tests; see loopback_tls_server.hpp.
#include "loopback_tls_server.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): kill() is POSIX, not <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "moto_server.hpp"

namespace awsauth::test {

LoopbackTlsServer::LoopbackTlsServer() {
  static std::atomic<int> counter{0};
  dir_ = std::filesystem::temp_directory_path() /
         ("awsauth_https_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::create_directories(dir_);
  const std::string d = dir_.string();
  run_command("cd " + d +
              " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem "
              "-days 1 -subj /CN=awsauth-test-ca 2>/dev/null && "
              "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
              "-subj /CN=127.0.0.1 2>/dev/null && "
              "printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf && "
              "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
              "-out server.pem -days 1 -extfile ext.cnf 2>/dev/null");
  if (!std::filesystem::exists(dir_ / "server.pem")) {
    cleanup();
    throw std::runtime_error("openssl could not make the test certificates in " + d);
  }
  {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = probe.address().port();
  }
  pid_ = ::fork();
  if (pid_ == 0) {
    const std::string accept = "127.0.0.1:" + std::to_string(port_);
    const std::string cert = d + "/server.pem", key = d + "/server.key";
    (void)::freopen("/dev/null", "w", stdout);
    (void)::freopen("/dev/null", "w", stderr);
    ::execlp("openssl", "openssl", "s_server", "-accept", accept.c_str(), "-cert", cert.c_str(),
             "-key", key.c_str(), "-www", "-quiet", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      Poco::Net::StreamSocket s;
      s.connect(Poco::Net::SocketAddress("127.0.0.1", port_), Poco::Timespan(0, 200000));
      return;
    } catch (const Poco::Exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  cleanup();
  throw std::runtime_error("openssl s_server did not start");
}

LoopbackTlsServer::~LoopbackTlsServer() { cleanup(); }

void LoopbackTlsServer::cleanup() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string LoopbackTlsServer::url() const {
  return "https://127.0.0.1:" + std::to_string(port_) + "/";
}

}  // namespace awsauth::test
