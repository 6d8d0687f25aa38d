// default_chain_environment_credentials() against the full default chain over the same
// variables and files: it answers exactly when the chain's answer comes from the environment,
// with the same credentials, and stays silent (nullptr) for everything else.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "awsauth/providers/default_chain.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

struct Case {
  std::string name;
  std::map<std::string, std::string> env;
  std::string config;
  std::string credentials;
  std::optional<std::string> profile;
  bool environment_answers;
};

const std::map<std::string, std::string> kKeys = {{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                                  {"AWS_SECRET_ACCESS_KEY", "envsecret"}};

std::map<std::string, std::string> keys_and(std::map<std::string, std::string> more) {
  more.insert(kKeys.begin(), kKeys.end());
  return more;
}

const std::string kDevKeys = "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n";

std::vector<Case> cases() {
  return {
      {"KeysAlone", kKeys, "", "", std::nullopt, true},
      {"KeysTokenExpiryAndAccount",
       keys_and({{"AWS_SESSION_TOKEN", "tok"},
                 {"AWS_CREDENTIAL_EXPIRATION", "2099-01-01T00:00:00Z"},
                 {"AWS_ACCOUNT_ID", "111122223333"}}),
       "", "", std::nullopt, true},
      {"LegacySecurityToken", keys_and({{"AWS_SECURITY_TOKEN", "legacy"}}), "", "", std::nullopt,
       true},
      {"KeysOverFileKeys", kKeys, "",
       "[default]\naws_access_key_id = F\naws_secret_access_key = s\n", std::nullopt, true},
      {"AwsProfileThatExists", keys_and({{"AWS_PROFILE", "dev"}}), "", kDevKeys, std::nullopt,
       true},
      {"AwsProfileMissing", keys_and({{"AWS_PROFILE", "missing"}}), "", kDevKeys, std::nullopt,
       false},
      {"AwsDefaultProfileEmpty", keys_and({{"AWS_DEFAULT_PROFILE", ""}}), "", "", std::nullopt,
       false},
      {"ExplicitProfile", kKeys, "", kDevKeys, "dev", false},
      {"KeyIdAlone", {{"AWS_ACCESS_KEY_ID", "AKIDENV"}}, "", "", std::nullopt, false},
      {"SecretAlone", {{"AWS_SECRET_ACCESS_KEY", "s"}}, "", "", std::nullopt, false},
      {"EmptyKeyId",
       {{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", "s"}},
       "",
       "",
       std::nullopt,
       false},
      {"NoKeysFileKeys",
       {},
       "",
       "[default]\naws_access_key_id = F\naws_secret_access_key = s\n",
       std::nullopt,
       false},
      {"MalformedConfig", kKeys, "[default]\nnot a property\n", "", std::nullopt, false},
      {"MalformedCredentials", kKeys, "", "[default\n", std::nullopt, false},
      {"ExpiredOnArrival", keys_and({{"AWS_CREDENTIAL_EXPIRATION", "2001-01-01T00:00:00Z"}}), "",
       "", std::nullopt, false},
      {"ExpirationNotATimestamp", keys_and({{"AWS_CREDENTIAL_EXPIRATION", "tomorrow"}}), "", "",
       std::nullopt, false},
  };
}

class DefaultChainEnvironment : public ::testing::TestWithParam<Case> {};

TEST_P(DefaultChainEnvironment, AnswersExactlyWhenTheChainAnswersFromTheEnvironment) {
  const Case& c = GetParam();
  test::TestContext t;
  for (const auto& [name, value] : c.env) t.env->set(name, value);
  if (!c.config.empty()) t.config(c.config);
  if (!c.credentials.empty()) t.credentials(c.credentials);

  const CredentialsPtr fast =
      default_chain_environment_credentials(t.context(), {.profile = c.profile});
  CredentialsPtr full;
  try {
    full = make_default_credentials_provider(t.context(), {.profile = c.profile})->get();
  } catch (const CredentialsError&) {
    // The chain fails: the environment path must not answer either.
  }
  const bool full_from_environment = full && full->provider_name() == "env";
  EXPECT_EQ(full_from_environment, c.environment_answers) << "the case's premise";
  ASSERT_EQ(fast != nullptr, full_from_environment);
  if (!fast) return;
  EXPECT_EQ(fast->access_key_id(), full->access_key_id());
  EXPECT_EQ(fast->secret_access_key(), full->secret_access_key());
  EXPECT_EQ(fast->session_token(), full->session_token());
  EXPECT_EQ(fast->expiration(), full->expiration());
  EXPECT_EQ(fast->account_id(), full->account_id());
  EXPECT_EQ(fast->provider_name(), full->provider_name());
}

INSTANTIATE_TEST_SUITE_P(Inputs, DefaultChainEnvironment, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

// The files it reads, by path.
class RecordingFileSystem final : public FileSystem {
 public:
  [[nodiscard]] std::optional<std::string> read(const std::string& path) const override {
    read_.push_back(path);
    return std::nullopt;
  }
  mutable std::vector<std::string> read_;
};

Context recording_context(const test::TestContext& t,
                          const std::shared_ptr<RecordingFileSystem>& files) {
  Context c = t.context();
  c.files = files;
  return c;
}

TEST(DefaultChainEnvironmentFiles, WithKeysReadsBothSharedFilesAsTheChainDoes) {
  test::TestContext t;
  for (const auto& [name, value] : kKeys) t.env->set(name, value);
  auto files = std::make_shared<RecordingFileSystem>();
  EXPECT_NE(default_chain_environment_credentials(recording_context(t, files)), nullptr);
  EXPECT_EQ(files->read_,
            (std::vector<std::string>{"/home/test/.aws/config", "/home/test/.aws/credentials"}));
}

TEST(DefaultChainEnvironmentFiles, WithoutKeysOrWithAnExplicitProfileReadsNoFile) {
  test::TestContext t;
  auto files = std::make_shared<RecordingFileSystem>();
  EXPECT_EQ(default_chain_environment_credentials(recording_context(t, files)), nullptr);
  for (const auto& [name, value] : kKeys) t.env->set(name, value);
  EXPECT_EQ(default_chain_environment_credentials(recording_context(t, files), {.profile = "dev"}),
            nullptr);
  EXPECT_TRUE(files->read_.empty());
}

}  // namespace
}  // namespace awsauth::providers
