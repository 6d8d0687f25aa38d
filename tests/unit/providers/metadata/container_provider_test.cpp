#include <gtest/gtest.h>

#include "awsauth/providers/metadata/container.hpp"
#include "expect_credentials_error.hpp"
#include "instance_metadata_fake_http.hpp"
#include "metadata/container_config.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using test::FixedResolver;
using test::http_response;
using test::ScriptedHttpClient;

const std::string kDocument =
    R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"c-secret","Token":"c-session",)"
    R"("AccountId":"123456789012","Expiration":"2030-06-01T12:00:00Z"})";

struct ContainerFixture : ::testing::Test {
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();
  std::shared_ptr<MapFileSystem> files = std::make_shared<MapFileSystem>();
  std::shared_ptr<ScriptedHttpClient> http = std::make_shared<ScriptedHttpClient>();
  std::shared_ptr<FixedResolver> resolver =
      std::make_shared<FixedResolver>(std::map<std::string, std::vector<std::string>>{
          {"creds.local", {"127.0.0.1"}},
          {"private.example", {"10.1.2.3"}},
          {"mixed.example", {"127.0.0.1", "10.1.2.3"}},
          {"pod-identity.example", {"169.254.170.23", "fd00:ec2::23"}},
      });

  ContainerProvider provider(ContainerProviderOptions options = {}) {
    Context c = test::in_memory_context(env, files, 0.0);
    c.http = http;
    c.resolver = resolver;
    options.backoff = std::chrono::milliseconds(1);
    return ContainerProvider(c, options);
  }

  static ErrorKind error_kind_of(ContainerProvider& p, std::string* message = nullptr) {
    return test::error_kind_of(p, "container-role", message);
  }
};

TEST_F(ContainerFixture, RelativeUriFetchesFromTheEcsAgentAddress) {
  env->set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
  http->expect("GET", "http://169.254.170.2/v2/credentials/abc", http_response(200, kDocument));
  auto p = provider();
  const auto creds = p.get();
  EXPECT_EQ(creds->access_key_id(), "ASIACONTAINER");
  EXPECT_EQ(creds->secret_access_key().reveal(), "c-secret");
  EXPECT_EQ(creds->session_token().reveal(), "c-session");
  EXPECT_EQ(creds->account_id(), "123456789012");
  EXPECT_EQ(creds->expiration(), parse_iso8601("2030-06-01T12:00:00Z"));
  EXPECT_EQ(creds->provider_name(), "container-role");
  const auto sent = http->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].options.connect_address, "169.254.170.2");
  EXPECT_EQ(sent[0].options.total_timeout, std::chrono::milliseconds(2000));
  EXPECT_TRUE(sent[0].options.proxy.empty());
  EXPECT_EQ(*find_header(sent[0].request.headers, "Accept"), "application/json");
  EXPECT_EQ(find_header(sent[0].request.headers, "Authorization"), nullptr);
}

TEST_F(ContainerFixture, FullUriNameResolvingToLoopbackIsAcceptedAndConnectsToThatAddress) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://creds.local:8080/get");
  http->expect("GET", "http://creds.local:8080/get", http_response(200, kDocument));
  auto p = provider();
  EXPECT_EQ(p.get()->access_key_id(), "ASIACONTAINER");
  EXPECT_EQ(http->sent()[0].options.connect_address, "127.0.0.1");
}

TEST_F(ContainerFixture, FullUriNameResolvingToAPrivateAddressIsRefused) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://private.example/creds");
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::InvalidConfiguration);
  EXPECT_NE(message.find("10.1.2.3"), std::string::npos) << message;
  EXPECT_NE(message.find("private.example"), std::string::npos) << message;
  EXPECT_TRUE(http->sent().empty());
}

TEST_F(ContainerFixture, FullUriNameWithOneAllowedAndOneDisallowedAddressIsRefused) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://mixed.example/creds");
  auto p = provider();
  EXPECT_EQ(error_kind_of(p), ErrorKind::InvalidConfiguration);
  EXPECT_TRUE(http->sent().empty());
}

TEST_F(ContainerFixture, FullUriToPodIdentityAddressesIsAccepted) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://pod-identity.example/v1/credentials");
  http->expect("GET", "http://pod-identity.example/v1/credentials", http_response(200, kDocument));
  auto p = provider();
  (void)p.get();
  EXPECT_EQ(http->sent()[0].options.connect_address, "169.254.170.23");
}

TEST_F(ContainerFixture, PlainHttpIpLiteralOutsideTheAllowedSetIsRefusedWithoutResolving) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.168.0.10/creds");
  auto p = provider();
  EXPECT_EQ(error_kind_of(p), ErrorKind::InvalidConfiguration);
  EXPECT_EQ(resolver->calls(), 0);
}

TEST_F(ContainerFixture, HttpsMayGoAnywhereAndIsNotPinned) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://private.example/creds");
  http->expect("GET", "https://private.example/creds", http_response(200, kDocument));
  auto p = provider();
  (void)p.get();
  EXPECT_FALSE(http->sent()[0].options.connect_address.has_value());
  EXPECT_EQ(resolver->calls(), 0);
}

TEST_F(ContainerFixture, RelativeUriWinsOverFullUri) {
  env->set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/rel");
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://creds.local/full");
  http->expect("GET", "http://169.254.170.2/rel", http_response(200, kDocument));
  auto p = provider();
  (void)p.get();
}

TEST_F(ContainerFixture, TokenGoesVerbatimInTheAuthorizationHeader) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc==");
  http->expect("GET", "http://127.0.0.1:9/creds", http_response(200, kDocument));
  auto p = provider();
  (void)p.get();
  EXPECT_EQ(*find_header(http->sent()[0].request.headers, "Authorization"), "Basic abc==");
}

TEST_F(ContainerFixture, TokenFileWinsAndIsReReadOnEveryFetch) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-env");
  env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/token");
  files->put("/var/run/token", "first-token\n");
  http->expect("GET", "http://127.0.0.1:9/creds", http_response(200, kDocument));
  http->expect("GET", "http://127.0.0.1:9/creds", http_response(200, kDocument));
  auto p = provider();
  (void)p.get();
  files->put("/var/run/token", "rotated-token");
  (void)p.get();
  const auto sent = http->sent();
  EXPECT_EQ(*find_header(sent[0].request.headers, "Authorization"), "first-token");
  EXPECT_EQ(*find_header(sent[1].request.headers, "Authorization"), "rotated-token");
}

TEST_F(ContainerFixture, TokenWithAnEmbeddedNewlineIsRefusedWithoutQuotingIt) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/token");
  files->put("/var/run/token", "secret-part\r\nX-Injected: 1\n");
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::InvalidConfiguration);
  EXPECT_EQ(message.find("secret-part"), std::string::npos) << message;
  EXPECT_NE(message.find("/var/run/token"), std::string::npos) << message;
  EXPECT_TRUE(http->sent().empty());
}

TEST_F(ContainerFixture, TokenVariableWithATrailingNewlineIsRefused) {
  // Only the file's one trailing newline is forgiven; a header value never holds CR/LF.
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok\n");
  auto p = provider();
  EXPECT_EQ(error_kind_of(p), ErrorKind::InvalidConfiguration);
}

TEST_F(ContainerFixture, MissingTokenFileIsAFailureNamingThePath) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/nope/token");
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::ProviderFailure);
  EXPECT_NE(message.find("/nope/token"), std::string::npos);
}

TEST_F(ContainerFixture, ServerErrorsAreRetriedThreeTimesThenNameUrlAndStatus) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  for (int i = 0; i < 3; ++i) {
    http->expect("GET", "http://127.0.0.1:9/creds", http_response(503, "", "Service Unavailable"));
  }
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::ProviderFailure);
  EXPECT_NE(message.find("http://127.0.0.1:9/creds"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 503"), std::string::npos) << message;
  EXPECT_EQ(http->remaining(), 0u);
}

TEST_F(ContainerFixture, AServerErrorThenAnUnreadableBodyThenSuccess) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  http->expect("GET", "http://127.0.0.1:9/creds", http_response(500));
  http->expect("GET", "http://127.0.0.1:9/creds", http_response(200, "<html>"));
  http->expect("GET", "http://127.0.0.1:9/creds", http_response(200, kDocument));
  auto p = provider();
  EXPECT_EQ(p.get()->access_key_id(), "ASIACONTAINER");
}

TEST_F(ContainerFixture, ClientErrorsAreNotRetried) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  http->expect("GET", "http://127.0.0.1:9/creds", http_response(403, "{}", "Forbidden"));
  auto p = provider();
  std::string message;
  EXPECT_EQ(error_kind_of(p, &message), ErrorKind::NonRecoverable);
  EXPECT_NE(message.find("HTTP 403"), std::string::npos) << message;
  EXPECT_EQ(http->sent().size(), 1u);
}

TEST_F(ContainerFixture, TransportErrorsAreRetried) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  http->expect_error("GET", "http://127.0.0.1:9/creds", HttpErrorKind::ConnectFailed);
  http->expect_error("GET", "http://127.0.0.1:9/creds", HttpErrorKind::Timeout);
  http->expect("GET", "http://127.0.0.1:9/creds", http_response(200, kDocument));
  auto p = provider();
  EXPECT_EQ(p.get()->access_key_id(), "ASIACONTAINER");
}

TEST_F(ContainerFixture, NeitherVariableSetIsNotConfigured) {
  auto p = provider();
  EXPECT_EQ(error_kind_of(p), ErrorKind::NotConfigured);
  EXPECT_TRUE(http->sent().empty());
}

TEST(ContainerAddress, AllowedSetIsLoopbackAndTheThreeAgentAddresses) {
  for (const char* ok : {"127.0.0.1", "127.255.0.9", "::1", "169.254.170.2", "169.254.170.23",
                         "fd00:ec2::23", "fd00:ec2:0:0:0:0:0:23"}) {
    EXPECT_TRUE(is_allowed_container_address(ok)) << ok;
  }
  for (const char* bad : {"10.0.0.1", "169.254.169.254", "169.254.170.3", "::2", "fd00:ec2::254",
                          "localhost", "0.0.0.0", ""}) {
    EXPECT_FALSE(is_allowed_container_address(bad)) << bad;
  }
}

}  // namespace
}  // namespace awsauth::providers
