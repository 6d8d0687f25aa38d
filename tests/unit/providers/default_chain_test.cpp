// The default chain over in-memory files and variables: order, profile selection, static keys
// from one file at a time, and the errors botocore raises before any provider runs.

#include "awsauth/providers/default_chain.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "test_context.hpp"

namespace awsauth::providers {
namespace {

class DefaultChainTest : public ::testing::Test {
 protected:
  test::TestContext t;

  CredentialsPtr get(std::optional<std::string> profile = std::nullopt) {
    return DefaultChain(t.context(), {.profile = std::move(profile)}).get();
  }
  CredentialsError error(std::optional<std::string> profile = std::nullopt) {
    try {
      (void)get(std::move(profile));
    } catch (const CredentialsError& e) {
      return e;
    }
    ADD_FAILURE() << "expected an error";
    return CredentialsError(ErrorKind::NotConfigured, "", "");
  }
  void env_keys() {
    t.env->set("AWS_ACCESS_KEY_ID", "AKIDENV");
    t.env->set("AWS_SECRET_ACCESS_KEY", "envsecret");
  }
};

TEST_F(DefaultChainTest, ProvidersAreInBotocoreOrder) {
  DefaultChain chain(t.context());
  std::vector<std::string> names;
  for (const auto& p : chain.chain().providers()) names.push_back(p->name());
  EXPECT_EQ(names,
            (std::vector<std::string>{"env", "assume-role", "assume-role-with-web-identity", "sso",
                                      "shared-credentials-file", "login", "custom-process",
                                      "config-file", "container-role", "iam-role"}));
}

TEST_F(DefaultChainTest, ExplicitProfileLeavesTheEnvironmentProviderOut) {
  DefaultChain chain(t.context(), {.profile = "dev"});
  EXPECT_EQ(chain.chain().providers().front()->name(), "assume-role");
}

TEST_F(DefaultChainTest, EnvironmentKeysWinOverFiles) {
  env_keys();
  t.credentials("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
  EXPECT_EQ(get()->provider_name(), "env");
}

TEST_F(DefaultChainTest, ExplicitProfileIgnoresEnvironmentKeys) {
  env_keys();
  t.credentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
  const auto c = get("dev");
  EXPECT_EQ(c->access_key_id(), "AKIDDEV");
  EXPECT_EQ(c->provider_name(), "shared-credentials-file");
}

TEST_F(DefaultChainTest, AwsProfileDoesNotDisableEnvironmentKeys) {
  env_keys();
  t.env->set("AWS_PROFILE", "dev");
  t.credentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
  EXPECT_EQ(get()->provider_name(), "env");
}

TEST_F(DefaultChainTest, AwsDefaultProfileWinsOverAwsProfile) {
  t.env->set("AWS_DEFAULT_PROFILE", "a");
  t.env->set("AWS_PROFILE", "b");
  t.credentials(
      "[a]\naws_access_key_id = AKIDA\naws_secret_access_key = s\n"
      "[b]\naws_access_key_id = AKIDB\naws_secret_access_key = s\n");
  EXPECT_EQ(get()->access_key_id(), "AKIDA");
  EXPECT_EQ(get("b")->access_key_id(), "AKIDB");
}

TEST_F(DefaultChainTest, NamedMissingProfileIsAnErrorEvenWithEnvironmentKeys) {
  env_keys();
  t.env->set("AWS_PROFILE", "missing");
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_NE(std::string(e.what()).find("'missing'"), std::string::npos);
  EXPECT_NE(std::string(e.what()).find("AWS_PROFILE"), std::string::npos);
}

TEST_F(DefaultChainTest, UnnamedDefaultProfileMayBeAbsent) {
  env_keys();
  EXPECT_EQ(get()->provider_name(), "env");
}

TEST_F(DefaultChainTest, NothingAnywhereListsEveryProviderTried) {
  try {
    (void)get();
    FAIL();
  } catch (const NoCredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotConfigured);
    ASSERT_EQ(e.attempts().size(), 10U);
    EXPECT_EQ(e.attempts()[8].provider, "container-role");
    EXPECT_EQ(e.attempts()[9].provider, "iam-role");
    EXPECT_NE(e.attempts()[9].reason.find("AWS_EC2_METADATA_DISABLED"), std::string::npos)
        << e.attempts()[9].reason;
  }
}

TEST_F(DefaultChainTest, CredentialsFileSectionWinsOverConfigFile) {
  t.config("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n");
  t.credentials("[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = s\n");
  const auto c = get();
  EXPECT_EQ(c->access_key_id(), "AKIDCREDS");
  EXPECT_EQ(c->provider_name(), "shared-credentials-file");
}

TEST_F(DefaultChainTest, ConfigFileKeysAreUsedWithTokenAndAccount) {
  t.config(
      "[profile dev]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n"
      "aws_session_token = tok\naws_account_id = 111122223333\n");
  const auto c = get("dev");
  EXPECT_EQ(c->provider_name(), "config-file");
  EXPECT_EQ(c->session_token().reveal(), "tok");
  EXPECT_EQ(c->account_id(), "111122223333");
}

TEST_F(DefaultChainTest, LegacySecurityTokenInFileIsReadWhenSessionTokenAbsent) {
  t.credentials(
      "[default]\naws_access_key_id = A\naws_secret_access_key = s\n"
      "aws_security_token = legacy\n");
  EXPECT_EQ(get()->session_token().reveal(), "legacy");
}

TEST_F(DefaultChainTest, KeysDoNotCombineAcrossFiles) {
  // Key in the credentials file, secret only in the config file: botocore raises
  // PartialCredentialsError from the credentials-file provider.
  t.credentials("[default]\naws_access_key_id = AKID\n");
  t.config("[default]\naws_secret_access_key = s\n");
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_NE(std::string(e.what()).find("aws_secret_access_key is missing"), std::string::npos);
}

TEST_F(DefaultChainTest, SecretWithoutKeyInAFileIsPassedOver) {
  t.credentials("[default]\naws_secret_access_key = s\n");
  t.config("[default]\naws_access_key_id = AKIDC\naws_secret_access_key = c\n");
  EXPECT_EQ(get()->provider_name(), "config-file");
}

TEST_F(DefaultChainTest, MalformedFileFailsNamingFileAndLineEvenWithEnvironmentKeys) {
  env_keys();
  t.config("[default]\nregion = us-east-1\nthis is not a property\n");
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_NE(std::string(e.what()).find("/home/test/.aws/config:3"), std::string::npos) << e.what();
}

TEST_F(DefaultChainTest, FileLocationsComeFromVariablesWithTildeExpanded) {
  t.env->set("AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds");
  t.files->put("/home/test/elsewhere/creds",
               "[default]\naws_access_key_id = AKIDELSEWHERE\naws_secret_access_key = s\n");
  EXPECT_EQ(get()->access_key_id(), "AKIDELSEWHERE");
}

TEST_F(DefaultChainTest, SsoRoleProfileWithoutATokenFailsClearlyInsteadOfFallingThrough) {
  t.config(
      "[profile corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
      "sso_account_id = 111122223333\nsso_role_name = Dev\n"
      "aws_access_key_id = AKID\naws_secret_access_key = s\n");
  const auto e = error("corp");
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  const std::string what = e.what();
  EXPECT_NE(what.find("/home/test/.aws/sso/cache/"), std::string::npos) << what;
  EXPECT_NE(what.find("aws sso login --profile corp"), std::string::npos) << what;
}

TEST_F(DefaultChainTest, SsoKeysWithoutAnAccountOrRoleAreNotAnSsoCredentialProfile) {
  // botocore's SSOProvider takes a profile only for sso_account_id / sso_role_name: a profile
  // that only names a start URL or a session (for tokens) falls through to its keys.
  t.config(
      "[profile corp]\nsso_start_url = https://example.awsapps.com/start\n"
      "aws_access_key_id = AKIDCORP\naws_secret_access_key = s\n");
  const auto credentials = get("corp");
  EXPECT_EQ(credentials->access_key_id(), "AKIDCORP");
  EXPECT_EQ(credentials->provider_name(), "config-file");
}

TEST_F(DefaultChainTest, LoginSessionProfileWithoutItsCacheFileSaysToRunAwsLogin) {
  t.config("[profile web]\nlogin_session = arn:aws:iam::1:user/x\n");
  const auto e = error("web");
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  const std::string what = e.what();
  EXPECT_NE(what.find("login_session"), std::string::npos) << what;
  EXPECT_NE(what.find("/home/test/.aws/login/cache/"), std::string::npos) << what;
  EXPECT_NE(what.find("run `aws login --profile web`"), std::string::npos) << what;
}

TEST_F(DefaultChainTest, FilesAreReadOncePerChain) {
  t.credentials("[default]\naws_access_key_id = AKID1\naws_secret_access_key = s\n");
  DefaultChain chain(t.context());
  EXPECT_EQ(chain.get()->access_key_id(), "AKID1");
  t.credentials("[default]\naws_access_key_id = AKID2\naws_secret_access_key = s\n");
  EXPECT_EQ(chain.get()->access_key_id(), "AKID1");
}

TEST_F(DefaultChainTest, ExplicitProfileIgnoresEnvironmentWebIdentityVariables) {
  // The token file does not exist: whenever the web identity step runs, it fails loudly.
  t.env->set("AWS_WEB_IDENTITY_TOKEN_FILE", "/nowhere/token");
  t.env->set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web");
  t.env->set("AWS_REGION", "us-east-1");
  t.credentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
  EXPECT_EQ(get("dev")->provider_name(), "shared-credentials-file");

  t.env->set("AWS_PROFILE", "dev");  // not explicit: the variables count (botocore)
  const auto e = error();
  EXPECT_NE(std::string(e.what()).find("assume-role-with-web-identity"), std::string::npos)
      << e.what();
  EXPECT_NE(std::string(e.what()).find("/nowhere/token"), std::string::npos) << e.what();
}

TEST_F(DefaultChainTest, RoleProfileIsTriedBeforeTheCredentialsFile) {
  // The role's source has no environment keys: the assume-role step must fail (it owns this
  // profile) instead of the chain falling through to the file's keys.
  t.env->set("AWS_REGION", "us-east-1");
  t.credentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
  t.config(
      "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
      "credential_source = environment\n");
  const auto e = error("dev");
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
  const std::string what = e.what();
  EXPECT_NE(what.find("assume-role"), std::string::npos) << what;
  EXPECT_NE(what.find("credential_source = environment"), std::string::npos) << what;
}

TEST_F(DefaultChainTest, SourceProfileKeysDoNotCombineAcrossFiles) {
  t.env->set("AWS_REGION", "us-east-1");
  t.credentials("[base]\naws_access_key_id = AKIDBASE\n");
  t.config(
      "[profile base]\naws_secret_access_key = s\n"
      "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n");
  const auto e = error("dev");
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_NE(std::string(e.what()).find("aws_secret_access_key is missing"), std::string::npos)
      << e.what();
}

TEST_F(DefaultChainTest, SourceProfileWithOnlyASecretIsAClearError) {
  t.env->set("AWS_REGION", "us-east-1");
  t.credentials("[base]\naws_secret_access_key = s\n");
  t.config(
      "[profile base]\nregion = us-east-1\n"
      "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n");
  const auto e = error("dev");
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_NE(std::string(e.what()).find("profile `base` sets only the secret"), std::string::npos)
      << e.what();
}

TEST_F(DefaultChainTest, DefaultCredentialsProviderCachesTheChainsAnswer) {
  t.credentials("[default]\naws_access_key_id = AKID1\naws_secret_access_key = s\n");
  auto provider = make_default_credentials_provider(t.context());
  EXPECT_EQ(provider->get()->access_key_id(), "AKID1");
  EXPECT_EQ(provider->get()->provider_name(), "shared-credentials-file");
  EXPECT_EQ(provider->stats().source_calls, 1U);
}

}  // namespace
}  // namespace awsauth::providers

namespace awsauth::providers {
namespace {

TEST(DefaultChainConcurrency, ManyThreadsShareOneReadOfTheFilesAndGetTheSameKeys) {
  test::TestContext t;
  t.credentials("[default]\naws_access_key_id = AKIDT\naws_secret_access_key = s\n");
  DefaultChain chain(t.context());
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 50; ++j) {
        if (chain.get()->access_key_id() == "AKIDT") ++good;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), 400);
  EXPECT_EQ(chain.winner_name(), "shared-credentials-file");
}

}  // namespace
}  // namespace awsauth::providers
