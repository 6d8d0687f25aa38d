// Regression tests for issue 11 in the providers, against loopback peers with the real HTTP
// client: a metadata token cannot inject a header, server text reaches messages printable, a
// role name cannot change the URL fetched, and URLs and tokens are never echoed whole.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/metadata/container.hpp"
#include "awsauth/providers/metadata/instance_metadata.hpp"
#include "expect_credentials_error.hpp"
#include "fake_imds.hpp"
#include "loopback_server.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;

constexpr const char* kListing = test::kImdsListingPath;

bool has_control_bytes(const std::string& text) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::shared_ptr<MapEnvironment> imds_env(const LoopbackServer& server) {
  auto env = std::make_shared<MapEnvironment>();
  env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("/"));
  env->set("AWS_METADATA_SERVICE_TIMEOUT", "1");
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "1");
  return env;
}

std::string imds_error(LoopbackServer& server) {
  InstanceMetadataProvider provider(
      test::loopback_context(imds_env(server), std::make_shared<MapFileSystem>(), 0.0));
  return test::expect_error_within(provider, ErrorKind::ProviderFailure, 5s, "iam-role",
                                   "Injected");
}

TEST(ImdsSafety, TokenWithCrLfIsRefusedAndNeverSentAsAHeader) {
  test::FakeImds imds{.token = "tok\r\nX-Injected: yes"};
  LoopbackServer server(imds.handler());
  const std::string message = imds_error(server);
  EXPECT_NE(message.find("session token"), std::string::npos) << message;
  for (const auto& r : server.requests()) {
    EXPECT_EQ(r.header("X-Injected"), nullptr);
    EXPECT_EQ(r.header("X-aws-ec2-metadata-token"), nullptr);
  }
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(ImdsSafety, DocumentCodeAndMessageReachTheMessagePrintable) {
  test::FakeImds imds{.role = "role", .token = "token"};
  imds.document_body = [] {
    return R"({"Code":"Bad\u001b[2J","Message":"no\r\nway\u0007\u001b]0;title\u0007"})";
  };
  LoopbackServer server(imds.handler());
  InstanceMetadataProvider provider(
      test::loopback_context(imds_env(server), std::make_shared<MapFileSystem>(), 0.0));
  const std::string message =
      test::expect_error_within(provider, ErrorKind::NonRecoverable, 5s, "iam-role", "token");
  EXPECT_FALSE(has_control_bytes(message)) << message;
  EXPECT_NE(message.find("Bad\\x1b[2J"), std::string::npos) << message;
}

TEST(ImdsSafety, RoleNameIsPercentEncodedInTheUrl) {
  // The document is served only at the unencoded path, which a correct client never asks for.
  test::FakeImds imds{.role = "role?x=1#frag", .token = "token"};
  LoopbackServer server(imds.handler());
  (void)imds_error(server);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  // `=` is one of IAM's role-name characters and stays; `?` and `#` would cut the path.
  EXPECT_EQ(requests[2].target, std::string(kListing) + "role%3Fx=1%23frag");
}

TEST(ContainerSafety, FullUriSecretsAreNotEchoed) {
  LoopbackServer server;
  server.enqueue({.status = 500, .reason = "Broken\x1b[2J"});
  auto env = std::make_shared<MapEnvironment>();
  const std::string authority = server.url("").substr(std::string("http://").size());
  // User info is refused outright; the message must not quote it or the query.
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
           "http://agent:hunter2@" + authority + "/creds?signature=s3cr3tq");
  ContainerProvider with_user(test::loopback_context(env, std::make_shared<MapFileSystem>()),
                              {.timeout = 1s, .attempts = 1, .backoff = 1ms});
  std::string message = test::expect_error_within(with_user, ErrorKind::InvalidConfiguration, 5s,
                                                  "container-role", "hunter2");
  EXPECT_EQ(message.find("s3cr3tq"), std::string::npos) << message;

  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/creds?signature=s3cr3tq"));
  ContainerProvider with_query(test::loopback_context(env, std::make_shared<MapFileSystem>()),
                               {.timeout = 1s, .attempts = 1, .backoff = 1ms});
  message = test::expect_error_within(with_query, ErrorKind::ProviderFailure, 5s, "container-role",
                                      "s3cr3tq");
  EXPECT_FALSE(has_control_bytes(message)) << message;
  EXPECT_NE(message.find("/creds"), std::string::npos) << message;
}

TEST(StsSafety, EndpointUserInfoAndEchoedTokenNeverReachTheMessage) {
  LoopbackServer sts;
  sts.enqueue({.status = 403,
               .body = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                       "<Message>token SOURCETOKEN9876 is not\r\nallowed</Message></Error>"
                       "</ErrorResponse>"});
  auto env = std::make_shared<MapEnvironment>(std::map<std::string, std::string, std::less<>>{
      {"HOME", "/home/test"}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  const std::string authority = sts.url("").substr(std::string("http://").size());
  env->set("AWS_ENDPOINT_URL_STS", "http://ops:hunter2@" + authority);
  auto files = std::make_shared<MapFileSystem>();
  files->put("/home/test/.aws/config",
             "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
             "source_profile = base\nregion = us-east-1\n");
  files->put("/home/test/.aws/credentials",
             "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n"
             "aws_session_token = SOURCETOKEN9876\n");
  auto provider =
      make_default_credentials_provider(test::loopback_context(env, files), {.profile = "role"});
  std::string message;
  try {
    (void)provider->get();
    ADD_FAILURE() << "expected an error";
  } catch (const CredentialsError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("AccessDenied"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_EQ(message.find("SOURCETOKEN9876"), std::string::npos) << message;
  EXPECT_NE(message.find("<redacted>"), std::string::npos) << message;
  // The chain lists one provider a line; STS's own line break (XML reads CRLF as LF) stays
  // escaped within its line.
  EXPECT_NE(message.find("not\\x0aallowed"), std::string::npos) << message;
  EXPECT_EQ(message.find('\r'), std::string::npos) << message;
}

}  // namespace
}  // namespace awsauth::providers
