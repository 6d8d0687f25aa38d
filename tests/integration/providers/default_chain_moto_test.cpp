// The default chain's STS steps against a real moto_server on 127.0.0.1 with signature
// checking on: expiry-driven refresh through the cache (injected clock), and roles whose
// credential_source is the real container / instance metadata provider on loopback.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "awsauth/caching.hpp"
#include "awsauth/context.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/environment_provider.hpp"
#include "awsauth/providers/sts/sts_client.hpp"
#include "fake_imds.hpp"
#include "loopback_server.hpp"
#include "moto_server.hpp"
#include "sts/sts_profile.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// The real client, counting the AssumeRole calls that pass through it.
class CountingHttpClient final : public HttpClient {
 public:
  HttpResponse send(const HttpRequest& request, const HttpOptions& options) override {
    if (request.body.find("Action=AssumeRole&") != std::string::npos) ++assume_role_calls;
    return real_->send(request, options);
  }
  std::atomic<int> assume_role_calls{0};

 private:
  std::shared_ptr<HttpClient> real_ = make_poco_http_client();
};

class DefaultChainAgainstMoto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    moto_ = new test::MotoServer();
    alice_ = new test::MotoUser(moto_->create_user("chain-alice"));
    role_ = new std::string(moto_->create_role("chain-role"));
    // What a container endpoint or IMDS hands out: temporary credentials of a role.
    const std::string task_role = moto_->create_role("chain-task-role");
    ProfileFiles files;
    Profile p;
    p.name = "task";
    for (const auto& [k, v] :
         std::map<std::string, std::string>{{"role_arn", task_role},
                                            {"credential_source", "Environment"},
                                            {"role_session_name", "task"}}) {
      p.properties[k] = ProfileValue{v, "config", 1};
    }
    files.merged.profiles["task"] = p;
    Context c;
    c.environment =
        std::make_shared<MapEnvironment>(std::map<std::string, std::string, std::less<>>{
            {"AWS_ACCESS_KEY_ID", alice_->access_key_id},
            {"AWS_SECRET_ACCESS_KEY", alice_->secret_access_key},
            {"AWS_REGION", "us-east-1"},
            {"AWS_ENDPOINT_URL_STS", moto_->url()}});
    c.files = std::make_shared<MapFileSystem>();
    c.clock = std::make_shared<SystemClock>();
    c.random = std::make_shared<SystemRandom>();
    c.http = make_poco_http_client();
    StsProviderOptions options;
    options.named_source = [c](const NamedSource&) -> std::shared_ptr<CredentialsProvider> {
      return std::make_shared<EnvironmentProvider>(c);
    };
    task_ = new CredentialsPtr(make_assume_role_profile_provider(c, files, "task", options)->get());
  }
  static void TearDownTestSuite() {
    delete task_;
    delete role_;
    delete alice_;
    delete moto_;
  }
  void SetUp() override { moto_->require_signatures(true); }

  Context context() {
    Context c = test::loopback_context(env, files);
    c.http = http;
    return c;
  }
  std::string caller_arn(const Credentials& credentials) {
    StsClientSettings settings;
    settings.endpoint = {moto_->url(), "us-east-1"};
    return StsClient(context(), settings).caller_identity_arn(credentials);
  }
  // A credentials document (container and IMDS share the field names) for the task role.
  static std::string task_document() {
    const Credentials& t = **task_;
    return R"({"Code":"Success","AccessKeyId":")" + t.access_key_id() + R"(","SecretAccessKey":")" +
           t.secret_access_key().reveal() + R"(","Token":")" + t.session_token().reveal() +
           R"(","Expiration":")" + format_iso8601(*t.expiration()) + R"("})";
  }

  static inline test::MotoServer* moto_ = nullptr;
  static inline test::MotoUser* alice_ = nullptr;
  static inline std::string* role_ = nullptr;
  static inline CredentialsPtr* task_ = nullptr;
  std::shared_ptr<MapEnvironment> env =
      std::make_shared<MapEnvironment>(std::map<std::string, std::string, std::less<>>{
          {"HOME", "/home/test"},
          {"AWS_EC2_METADATA_DISABLED", "true"},
          {"AWS_REGION", "us-east-1"},
          {"AWS_ENDPOINT_URL_STS", moto_ ? moto_->url() : ""}});
  std::shared_ptr<MapFileSystem> files = std::make_shared<MapFileSystem>();
  std::shared_ptr<CountingHttpClient> http = std::make_shared<CountingHttpClient>();
};

TEST_F(DefaultChainAgainstMoto, RoleCredentialsAreRefreshedOnlyOnceTheClockEntersTheWindow) {
  files->put("/home/test/.aws/credentials",
             "[base]\naws_access_key_id = " + alice_->access_key_id +
                 "\naws_secret_access_key = " + alice_->secret_access_key + "\n");
  files->put("/home/test/.aws/config",
             "[profile app]\nrole_arn = " + *role_ +
                 "\nsource_profile = base\nrole_session_name = refresh\nduration_seconds = 900\n");
  // The cache's clock is injected; the chain (and so STS signing) keeps the real one.
  auto clock = std::make_shared<ManualClock>(SystemClock().now());
  CachingProvider provider(
      std::make_shared<DefaultChain>(context(), DefaultChainOptions{.profile = "app"}),
      RefreshPolicy{}, clock, std::make_shared<FixedRandom>(0.5));

  const auto first = provider.get();
  ASSERT_TRUE(first->expiration());
  EXPECT_EQ(first->provider_name(), "assume-role");
  EXPECT_EQ(http->assume_role_calls.load(), 1);
  // 900 s credentials: the advisory window is 5 minutes (docs/caching.md).
  const auto refresh_at = *first->expiration() - 5min;

  clock->set(refresh_at - 10s);
  EXPECT_EQ(provider.get()->access_key_id(), first->access_key_id());
  EXPECT_EQ(http->assume_role_calls.load(), 1) << "refreshed before the advisory window";

  clock->set(refresh_at + 10s);
  const auto second = provider.get();
  EXPECT_EQ(http->assume_role_calls.load(), 2) << "no refresh inside the advisory window";
  EXPECT_NE(second->access_key_id(), first->access_key_id());
  EXPECT_THAT(caller_arn(*second), HasSubstr(":assumed-role/chain-role/refresh"));
}

TEST_F(DefaultChainAgainstMoto, EcsContainerSourceFeedsTheRoleThroughTheRealContainerProvider) {
  test::LoopbackServer container(
      [](const test::RecordedRequest&) { return test::ScriptedResponse{.body = task_document()}; });
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url("/creds"));
  files->put("/home/test/.aws/config", "[profile app]\nrole_arn = " + *role_ +
                                           "\ncredential_source = ecscontainer\n"
                                           "role_session_name = from-ecs\n");
  const auto c = make_default_credentials_provider(context(), {.profile = "app"})->get();
  EXPECT_EQ(c->provider_name(), "assume-role");
  EXPECT_THAT(caller_arn(*c), HasSubstr(":assumed-role/chain-role/from-ecs"));
  EXPECT_EQ(container.requests().size(), 1U);
}

TEST_F(DefaultChainAgainstMoto, Ec2InstanceMetadataSourceUsesTheProfilesMetadataEndpoint) {
  test::FakeImds fake_imds{.role = "ec2", .token = "token", .document_body = task_document};
  test::LoopbackServer imds(fake_imds.handler());
  env->unset("AWS_EC2_METADATA_DISABLED");
  // The endpoint comes from the selected profile's ec2_metadata_service_endpoint.
  files->put("/home/test/.aws/config", "[profile app]\nrole_arn = " + *role_ +
                                           "\ncredential_source = Ec2InstanceMetadata\n"
                                           "role_session_name = from-imds\n"
                                           "ec2_metadata_service_endpoint = " +
                                           imds.url("/") + "\n");
  const auto c = make_default_credentials_provider(context(), {.profile = "app"})->get();
  EXPECT_THAT(caller_arn(*c), HasSubstr(":assumed-role/chain-role/from-imds"));
  EXPECT_EQ(imds.requests().size(), 3U);
}

TEST_F(DefaultChainAgainstMoto, EnvironmentSourceWorksWithAnExplicitProfile) {
  env->set("AWS_ACCESS_KEY_ID", alice_->access_key_id);
  env->set("AWS_SECRET_ACCESS_KEY", alice_->secret_access_key);
  files->put("/home/test/.aws/config", "[profile app]\nrole_arn = " + *role_ +
                                           "\ncredential_source = Environment\n"
                                           "role_session_name = from-env\n");
  const auto c = make_default_credentials_provider(context(), {.profile = "app"})->get();
  EXPECT_EQ(c->provider_name(), "assume-role");
  EXPECT_THAT(caller_arn(*c), HasSubstr(":assumed-role/chain-role/from-env"));
}

}  // namespace
}  // namespace awsauth::providers
