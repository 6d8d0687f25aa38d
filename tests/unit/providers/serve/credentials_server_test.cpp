// CredentialsServer on 127.0.0.1 in front of fixed and failing providers: what it serves, what
// it refuses, and that refusals never carry credentials.

#include "awsauth/providers/serve/credentials_server.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/credentials.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/http.hpp"
#include "awsauth/static_provider.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
const TimePoint kNow = TimePoint(std::chrono::seconds(1767225600));  // 2026-01-01T00:00:00Z

class FailingProvider final : public CredentialsProvider {
 public:
  CredentialsPtr get() override {
    throw CredentialsError(ErrorKind::ProviderFailure, "broker", "the broker is down");
  }
  std::string name() const override { return "broker"; }
};

HttpResponse fetch(const CredentialsServer& server, const std::string& token,
                   const std::string& body = "") {
  HttpRequest request;
  request.url = server.url();
  request.headers.emplace_back("Authorization", token);
  request.body = body;
  return make_poco_http_client()->send(request, {});
}

std::shared_ptr<CredentialsProvider> fixed(std::optional<TimePoint> expiration,
                                           std::string token = "TOKEN-1") {
  return std::make_shared<StaticCredentialsProvider>(
      make_credentials({.access_key_id = "ASIAEXAMPLE",
                        .secret_access_key = SecretString("SECRET-1"),
                        .session_token = SecretString(std::move(token)),
                        .expiration = expiration,
                        .provider_name = "fixed"}));
}

TEST(CredentialsServer, ServesTheContainerJsonWithTheCredentialsExpiry) {
  CredentialsServer server(fixed(kNow + 1h));
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()) + "/credentials");
  const auto response = fetch(server, server.token());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body,
            "{\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"SECRET-1\",\"Token\":"
            "\"TOKEN-1\",\"Expiration\":\"2026-01-01T01:00:00Z\"}");
  EXPECT_EQ(server.served(), 1u);
}

TEST(CredentialsServer, CredentialsWithoutExpiryGetASyntheticOneAnHourAhead) {
  auto clock = std::make_shared<ManualClock>(kNow);
  CredentialsServer server(fixed(std::nullopt), {}, clock);
  const auto response = fetch(server, server.token());
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("\"Expiration\":\"2026-01-01T01:00:00Z\""), std::string::npos)
      << response.body;
}

TEST(CredentialsServer, LongTermKeysAreRefusedWithoutCredentials) {
  CredentialsServer server(fixed(kNow + 1h, ""));
  const auto response = fetch(server, server.token());
  EXPECT_EQ(response.status, 503);
  EXPECT_NE(response.body.find("LongTermCredentials"), std::string::npos);
  EXPECT_EQ(response.body.find("SECRET-1"), std::string::npos);
  EXPECT_EQ(response.body.find("ASIAEXAMPLE"), std::string::npos);
}

TEST(CredentialsServer, AFailingSourceIsA503WithItsMessage) {
  CredentialsServer server(std::make_shared<FailingProvider>());
  const auto response = fetch(server, server.token());
  EXPECT_EQ(response.status, 503);
  EXPECT_NE(response.body.find("the broker is down"), std::string::npos) << response.body;
  EXPECT_EQ(server.refused(), 1u);
}

TEST(CredentialsServer, ARequestWithABodyIsRefused) {
  CredentialsServer server(fixed(kNow + 1h));
  const auto response = fetch(server, server.token(), std::string(100, 'x'));
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.body.find("SECRET-1"), std::string::npos);
}

TEST(CredentialsServer, EachServerHasItsOwnRandomToken) {
  CredentialsServer a(fixed(kNow + 1h));
  CredentialsServer b(fixed(kNow + 1h));
  EXPECT_EQ(a.token().size(), 64u);
  EXPECT_NE(a.token(), b.token());
  EXPECT_NE(a.port(), b.port());
  EXPECT_EQ(fetch(a, b.token()).status, 401);
}

TEST(CredentialsServer, StopsAcceptingAfterStop) {
  CredentialsServer server(fixed(kNow + 1h));
  ASSERT_EQ(fetch(server, server.token()).status, 200);
  server.stop();
  EXPECT_THROW(fetch(server, server.token()), HttpError);
  server.stop();  // idempotent
}

}  // namespace
}  // namespace awsauth::providers
