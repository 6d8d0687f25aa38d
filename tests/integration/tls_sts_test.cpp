// TLS for STS on loopback: certificates made with openssl at test time, served by
// `openssl s_server` on 127.0.0.1. An untrusted certificate is refused; the same server is
// accepted once its CA comes from AWS_CA_BUNDLE.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "awsauth/context.hpp"
#include "awsauth/providers/sts_http_options.hpp"
#include "moto_server.hpp"

namespace awsauth::providers {
namespace {

class LoopbackTlsServer {
 public:
  LoopbackTlsServer() {
    dir_ = std::filesystem::temp_directory_path() /
           ("awsauth_tls_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    const std::string d = dir_.string();
    test::run_command(
        "cd " + d + " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem "
        "-days 1 -subj /CN=awsauth-test-ca 2>/dev/null && "
        "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
        "-subj /CN=127.0.0.1 2>/dev/null && "
        "printf 'subjectAltName=IP:127.0.0.1,DNS:127.0.0.1\\n' > ext.cnf && "
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-out server.pem -days 1 -extfile ext.cnf 2>/dev/null");
    {
      Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
      port_ = probe.address().port();
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string accept = "127.0.0.1:" + std::to_string(port_);
      const std::string cert = d + "/server.pem", key = d + "/server.key";
      ::freopen("/dev/null", "w", stdout);
      ::freopen("/dev/null", "w", stderr);
      ::execlp("openssl", "openssl", "s_server", "-accept", accept.c_str(), "-cert", cert.c_str(),
               "-key", key.c_str(), "-www", "-quiet", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Ready when the port accepts connections (deadline 10 s).
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
    throw std::runtime_error("openssl s_server did not start");
  }
  ~LoopbackTlsServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  [[nodiscard]] std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/"; }
  [[nodiscard]] std::string ca_file() const { return (dir_ / "ca.pem").string(); }

 private:
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST(StsTls, UntrustedCertificateIsRefusedAndCustomCaBundleIsAccepted) {
  LoopbackTlsServer server;
  auto http = make_poco_http_client();

  MapEnvironment plain;
  HttpOptions system_store = sts_http_options(plain, nullptr, server.url());
  EXPECT_TRUE(system_store.ca_bundle.empty());
  try {
    (void)http->send({.method = "GET", .url = server.url()}, system_store);
    FAIL() << "a certificate from an unknown CA was accepted";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), HttpErrorKind::Tls) << e.what();
  }

  MapEnvironment with_bundle;
  with_bundle.set("AWS_CA_BUNDLE", server.ca_file());
  HttpOptions trusted = sts_http_options(with_bundle, nullptr, server.url());
  EXPECT_EQ(trusted.ca_bundle, server.ca_file());
  auto response = http->send({.method = "GET", .url = server.url()}, trusted);
  EXPECT_EQ(response.status, 200);
}

TEST(StsTls, ProfileCaBundleIsUsedWhenTheEnvironmentHasNone) {
  Profile p;
  p.name = "dev";
  p.properties["ca_bundle"] = ProfileValue{"~/certs/ca.pem", "config", 4};
  MapEnvironment env;
  env.set("HOME", "/home/u");
  EXPECT_EQ(sts_http_options(env, &p, "https://sts.us-east-1.amazonaws.com").ca_bundle,
            "/home/u/certs/ca.pem");
}

TEST(StsTls, HttpsProxyIsUsedForStsUnlessNoProxyMatches) {
  MapEnvironment env({{"HTTPS_PROXY", "http://127.0.0.1:3128"},
                      {"NO_PROXY", "localhost,.internal.example"}});
  EXPECT_EQ(sts_http_options(env, nullptr, "https://sts.us-east-1.amazonaws.com").proxy,
            "http://127.0.0.1:3128");
  EXPECT_EQ(sts_http_options(env, nullptr, "https://sts.internal.example").proxy, "");
  EXPECT_EQ(sts_http_options(env, nullptr, "http://127.0.0.1:5000").proxy, "")
      << "HTTPS_PROXY does not apply to http:// endpoints";
  EXPECT_TRUE(no_proxy_matches("*", "anything", 443));
  EXPECT_TRUE(no_proxy_matches("127.0.0.1:5000", "127.0.0.1", 5000));
  EXPECT_FALSE(no_proxy_matches("127.0.0.1:5000", "127.0.0.1", 5001));
}

}  // namespace
}  // namespace awsauth::providers
