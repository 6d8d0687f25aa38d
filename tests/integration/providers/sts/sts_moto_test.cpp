// STS providers against a real moto_server on 127.0.0.1 that verifies SigV4 signatures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "awsauth/context.hpp"
#include "awsauth/providers/sts/web_identity.hpp"
#include "moto_server.hpp"
#include "sts/sts_profile.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class StsAgainstMoto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    moto_ = new test::MotoServer();
    alice_ = new test::MotoUser(moto_->create_user("alice"));
    role_a_ = new std::string(moto_->create_role("role-a"));
    role_b_ = new std::string(moto_->create_role("role-b"));
  }
  static void TearDownTestSuite() {
    delete role_b_;
    delete role_a_;
    delete alice_;
    delete moto_;
  }
  void SetUp() override { moto_->require_signatures(true); }

  // Only loopback: the environment is a map, never the real one.
  Context context(std::map<std::string, std::string, std::less<>> vars = {}) {
    Context c;
    c.clock = std::make_shared<SystemClock>();
    c.random = std::make_shared<SystemRandom>();
    c.http = make_poco_http_client();
    c.environment = std::make_shared<MapEnvironment>(std::move(vars));
    c.files = files_;
    return c;
  }

  static void add(ProfileSet& set, const std::string& name,
                  std::map<std::string, std::string> props) {
    Profile p;
    p.name = name;
    for (auto& [k, v] : props) p.properties[k] = ProfileValue{v, "config", 1};
    set.profiles[name] = p;
  }

  std::string caller_arn(const Context& c, const Credentials& credentials) {
    StsClientSettings settings;
    settings.endpoint = {moto_->url(), "us-east-1"};
    return StsClient(c, settings).caller_identity_arn(credentials);
  }

  static inline test::MotoServer* moto_ = nullptr;
  static inline test::MotoUser* alice_ = nullptr;
  static inline std::string* role_a_ = nullptr;
  static inline std::string* role_b_ = nullptr;
  std::shared_ptr<MapFileSystem> files_ = std::make_shared<MapFileSystem>();
};

TEST_F(StsAgainstMoto, TwoHopRoleChainYieldsTheLastRolesIdentity) {
  ProfileFiles files;
  add(files.merged, "base",
      {{"aws_access_key_id", alice_->access_key_id},
       {"aws_secret_access_key", alice_->secret_access_key}});
  add(files.merged, "mid", {{"role_arn", *role_b_}, {"source_profile", "base"}});
  add(files.merged, "top",
      {{"role_arn", *role_a_},
       {"source_profile", "mid"},
       {"role_session_name", "two-hops"},
       {"region", "us-east-1"},
       {"endpoint_url", moto_->url()}});
  auto c = context();
  auto provider = make_assume_role_profile_provider(c, files, "top", {});
  auto credentials = provider->get();
  EXPECT_EQ(credentials->provider_name(), "assume-role");
  EXPECT_TRUE(credentials->has_session_token());
  EXPECT_EQ(credentials->account_id(), "123456789012");
  EXPECT_THAT(caller_arn(c, *credentials), HasSubstr(":assumed-role/role-a/two-hops"));
}

TEST_F(StsAgainstMoto, CredentialSourceEnvironmentIsFedByEnvironmentKeys) {
  ProfileFiles files;
  add(files.merged, "dev",
      {{"role_arn", *role_a_},
       {"credential_source", "Environment"},
       {"role_session_name", "from-env"}});
  auto c = context({{"AWS_ACCESS_KEY_ID", alice_->access_key_id},
                    {"AWS_SECRET_ACCESS_KEY", alice_->secret_access_key},
                    {"AWS_REGION", "us-east-1"},
                    {"AWS_ENDPOINT_URL_STS", moto_->url()}});
  StsProviderOptions options;
  // The test's stand-in for the built-in environment provider: it reads the same context.
  options.named_source = [c](const NamedSource& s) -> std::shared_ptr<CredentialsProvider> {
    EXPECT_EQ(s.kind, NamedSource::Kind::Environment);
    struct Env final : CredentialsProvider {
      Context c;
      explicit Env(Context ctx) : c(std::move(ctx)) {}
      CredentialsPtr get() override {
        return make_credentials(
            {.access_key_id = *c.environment->get("AWS_ACCESS_KEY_ID"),
             .secret_access_key = SecretString(*c.environment->get("AWS_SECRET_ACCESS_KEY")),
             .provider_name = "env"});
      }
      std::string name() const override { return "env"; }
    };
    return std::make_shared<Env>(c);
  };
  auto credentials = make_assume_role_profile_provider(c, files, "dev", options)->get();
  EXPECT_THAT(caller_arn(c, *credentials), HasSubstr(":assumed-role/role-a/from-env"));
}

TEST_F(StsAgainstMoto, WrongSecretIsRefusedAsSignatureDoesNotMatch) {
  ProfileFiles files;
  add(files.merged, "base",
      {{"aws_access_key_id", alice_->access_key_id}, {"aws_secret_access_key", "not-the-secret"}});
  add(files.merged, "top", {{"role_arn", *role_a_}, {"source_profile", "base"}});
  auto c = context({{"AWS_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL", moto_->url()}});
  try {
    (void)make_assume_role_profile_provider(c, files, "top", {})->get();
    FAIL() << "moto accepted a request signed with the wrong secret";
  } catch (const CredentialsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("SignatureDoesNotMatch"));
    EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("not-the-secret")));
  }
}

TEST_F(StsAgainstMoto, WebIdentityCallIsUnsignedAndRereadsTheTokenFile) {
  moto_->require_signatures(false);
  files_->put("/var/run/token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
  auto c = context({{"AWS_ROLE_ARN", *role_b_},
                    {"AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"},
                    {"AWS_ROLE_SESSION_NAME", "oidc"},
                    {"AWS_REGION", "us-east-1"},
                    {"AWS_ENDPOINT_URL_STS", moto_->url()}});
  auto provider = make_web_identity_chain_provider(c, ProfileFiles{}, "default", {});
  auto credentials = provider->get();
  EXPECT_EQ(credentials->provider_name(), "assume-role-with-web-identity");
  EXPECT_THAT(caller_arn(c, *credentials), HasSubstr(":assumed-role/role-b/oidc"));
  files_->put("/var/run/token", "");  // rotated to an empty file: the next fetch sees it
  EXPECT_THROW((void)provider->get(), CredentialsError);
}

TEST_F(StsAgainstMoto, NoWebIdentitySettingsIsNotConfigured) {
  auto provider = make_web_identity_chain_provider(context(), ProfileFiles{}, "default", {});
  try {
    (void)provider->get();
    FAIL();
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotConfigured);
  }
}

}  // namespace
}  // namespace awsauth::providers
