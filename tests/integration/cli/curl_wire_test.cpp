// `awsauth curl` and `awsauth sign` against a capture server (issue 11): the request line
// carries the path the signer signed, header injection and unusable URLs are usage errors,
// server text reaches the terminal printable, and no secret of a URL or a token is echoed.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>

#include "awsauth/signer/canonical.hpp"
#include "awsauth/signer/settings.hpp"
#include "cli_run.hpp"
#include "loopback_server.hpp"

namespace awsauth {
namespace {

using namespace std::chrono_literals;
using test::CliResult;
using test::LoopbackServer;
using test::run_cli;

const std::map<std::string, std::string> kKeys = {
    {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
    {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
    {"AWS_SESSION_TOKEN", "SESSIONTOKENVALUE1234"},
    {"AWS_REGION", "us-east-1"},
    {"AWS_CONFIG_FILE", "/nonexistent/config"},
    {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}};

// The line after `from` in `text` (the -v output names each block on a line of its own).
std::string line_after(const std::string& text, const std::string& from, int skip = 0) {
  auto pos = text.find(from);
  if (pos == std::string::npos) return {};
  pos = text.find('\n', pos) + 1;
  for (int i = 0; i < skip; ++i) pos = text.find('\n', pos) + 1;
  return text.substr(pos, text.find('\n', pos) - pos);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

bool has_control_bytes(const std::string& text) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  }
  return false;
}

struct PathCase {
  std::string path;     // as given on the command line
  std::string s3_wire;  // the request line's path for S3 (its canonical URI)
  std::string wire;     // for services that double-encode (the path, normalized)
};

TEST(CurlWire, RequestLineCarriesTheSignedPathForS3AndOtherServices) {
  const std::vector<PathCase> cases = {
      {"/a%2Fb", "/a%2Fb", "/a%2Fb"},
      {"/%7Euser", "/%7Euser", "/%7Euser"},
      {"/%41bc", "/%41bc", "/%41bc"},
      {"/k%3Dv", "/k%3Dv", "/k%3Dv"},
      {"/a%20b", "/a%20b", "/a%20b"},
      {"/a+b", "/a%2Bb", "/a+b"},  // S3 reads `+` in a path as itself: %2B is the same key
      {"/caf%C3%A9", "/caf%C3%A9", "/caf%C3%A9"},
      {"/d/./e/../f", "/d/./e/../f", "/d/f"}};
  for (const std::string service : {"s3", "execute-api"}) {
    const auto settings = signer::SigningSettings::for_service("us-east-1", service);
    for (const auto& c : cases) {
      LoopbackServer server;
      const CliResult r =
          run_cli({"curl", "-v", "--service", service, server.url(c.path)}, kKeys, 20s);
      ASSERT_EQ(r.exit_code, 3) << r.err;  // the capture server answers 404
      ASSERT_EQ(server.requests().size(), 1u) << service << " " << c.path;
      const std::string sent = server.requests()[0].path;
      EXPECT_EQ(sent, service == "s3" ? c.s3_wire : c.wire) << service << " " << c.path;
      // What the service recomputes from the request line is what was signed.
      const std::string signed_uri = line_after(r.err, "* canonical request:", 1);
      EXPECT_EQ(signer::canonical_uri(sent, settings), signed_uri) << service << " " << c.path;
      // S3's canonical URI is the path on the wire (no second encoding).
      if (service == "s3") {
        EXPECT_EQ(signed_uri, sent);
      }
    }
  }
}

TEST(CurlWire, RawUtf8PathIsSentAsItIsSigned) {
  for (const std::string service : {"s3", "execute-api"}) {
    const auto settings = signer::SigningSettings::for_service("us-east-1", service);
    LoopbackServer server;
    const CliResult r =
        run_cli({"curl", "-v", "--service", service, server.url("/caf\xc3\xa9")}, kKeys, 20s);
    ASSERT_EQ(server.requests().size(), 1u) << r.err;
    const std::string sent = server.requests()[0].path;
    EXPECT_EQ(signer::canonical_uri(sent, settings), line_after(r.err, "* canonical request:", 1))
        << service;
  }
}

TEST(CurlWire, HeaderWithCrLfIsAUsageErrorAndNothingIsSent) {
  LoopbackServer server;
  const CliResult r = run_cli(
      {"curl", "--service", "sts", "-H", "X-A: a\r\nX-Injected: yes", server.url("/")}, kKeys);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("X-A"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("X-Injected"), std::string::npos) << r.err;
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST(CurlWire, SignRefusesHeaderInjectionInEveryFormat) {
  for (const std::string format : {"curl", "headers", "json"}) {
    const CliResult r = run_cli(
        {"sign", "--method", "GET", "--url", "https://example.com/", "--region", "us-east-1",
         "--service", "sts", "-H", "X-A: a\r\nX-Injected: yes", "--format", format},
        kKeys);
    EXPECT_EQ(r.exit_code, 2) << format << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(CurlWire, SignRefusesASessionTokenThatWouldSplitAHeader) {
  auto env = kKeys;
  env["AWS_SESSION_TOKEN"] = "tok\nX-Injected: yes";
  const CliResult r = run_cli({"sign", "--method", "GET", "--url", "https://example.com/",
                               "--region", "us-east-1", "--service", "sts", "--format", "curl"},
                              env);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.find("X-Injected"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("X-Amz-Security-Token"), std::string::npos) << r.err;
}

TEST(CurlWire, UrlWithAnInvalidEscapeIsAUsageErrorNamedOnce) {
  const CliResult r = run_cli({"curl", "--service", "sts", "http://127.0.0.1:9/a%zz"}, kKeys);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(count(r.err, "127.0.0.1:9"), 1u) << r.err;
  EXPECT_NE(r.err.find("%zz"), std::string::npos) << r.err;
}

TEST(CurlWire, ServiceErrorTextIsPrintableAndTheTokenRedacted) {
  LoopbackServer server;
  server.enqueue({.status = 400,
                  .headers = {{"Content-Type", "application/x-amz-json-1.1"}},
                  .body = R"({"__type":"Bad\u001b[2J\u001b]0;owned\u0007",)"
                          R"("message":"token SESSIONTOKENVALUE1234 is not valid\r\nnext"})"});
  const CliResult r = run_cli({"curl", "--service", "sts", server.url("/")}, kKeys);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_FALSE(has_control_bytes(r.err)) << r.err;
  EXPECT_NE(r.err.find("Bad\\x1b[2J"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("SESSIONTOKENVALUE1234"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("<redacted>"), std::string::npos) << r.err;
}

TEST(CurlWire, TransportErrorShowsNoUserInfoOrQuery) {
  const std::string url = "http://user:hunter2@127.0.0.1:" + std::to_string(test::closed_port()) +
                          "/x?X-Amz-Signature=abcdef";
  const CliResult r = run_cli({"curl", "--service", "sts", url}, kKeys);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("X-Amz-Signature"), std::string::npos) << r.err;
  EXPECT_EQ(count(r.err, "127.0.0.1:"), 1u) << r.err;
}

TEST(CurlWire, OneConnectionPerRequest) {
  LoopbackServer server;
  server.enqueue({.status = 200, .body = "ok"});
  const CliResult r = run_cli({"curl", "--service", "sts", server.url("/")}, kKeys);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok");
  EXPECT_EQ(server.connection_count(), 1u);
}

}  // namespace
}  // namespace awsauth
