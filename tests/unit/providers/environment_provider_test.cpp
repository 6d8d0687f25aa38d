#include "awsauth/providers/environment_provider.hpp"

#include <gtest/gtest.h>

#include "test_context.hpp"

namespace awsauth::providers {
namespace {

class EnvironmentProviderTest : public ::testing::Test {
 protected:
  test::TestContext t;
  CredentialsPtr get() { return EnvironmentProvider(t.context()).get(); }
  ErrorKind error_kind() {
    try {
      (void)get();
    } catch (const CredentialsError& e) {
      EXPECT_EQ(e.provider(), "env");
      return e.kind();
    }
    ADD_FAILURE() << "expected an error";
    return ErrorKind::NonRecoverable;
  }
};

TEST_F(EnvironmentProviderTest, ReadsKeyAndSecretAsLongTermCredentialsNamedEnv) {
  t.env->set("AWS_ACCESS_KEY_ID", "AKIDENV");
  t.env->set("AWS_SECRET_ACCESS_KEY", "secret");
  const auto c = get();
  EXPECT_EQ(c->access_key_id(), "AKIDENV");
  EXPECT_EQ(c->secret_access_key().reveal(), "secret");
  EXPECT_FALSE(c->has_session_token());
  EXPECT_FALSE(c->expiration());
  EXPECT_EQ(c->provider_name(), "env");
}

TEST_F(EnvironmentProviderTest, PrefersSessionTokenOverLegacySecurityToken) {
  t.env->set("AWS_ACCESS_KEY_ID", "AKID");
  t.env->set("AWS_SECRET_ACCESS_KEY", "secret");
  t.env->set("AWS_SESSION_TOKEN", "session");
  t.env->set("AWS_SECURITY_TOKEN", "legacy");
  EXPECT_EQ(get()->session_token().reveal(), "session");
}

TEST_F(EnvironmentProviderTest, FallsBackToLegacySecurityTokenWhenSessionTokenUnsetOrEmpty) {
  t.env->set("AWS_ACCESS_KEY_ID", "AKID");
  t.env->set("AWS_SECRET_ACCESS_KEY", "secret");
  t.env->set("AWS_SECURITY_TOKEN", "legacy");
  EXPECT_EQ(get()->session_token().reveal(), "legacy");
  t.env->set("AWS_SESSION_TOKEN", "");
  EXPECT_EQ(get()->session_token().reveal(), "legacy");
}

TEST_F(EnvironmentProviderTest, ReadsExpirationAndAccountId) {
  t.env->set("AWS_ACCESS_KEY_ID", "AKID");
  t.env->set("AWS_SECRET_ACCESS_KEY", "secret");
  t.env->set("AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z");
  t.env->set("AWS_ACCOUNT_ID", "123456789012");
  const auto c = get();
  ASSERT_TRUE(c->expiration());
  EXPECT_EQ(format_iso8601(*c->expiration()), "2030-01-02T03:04:05Z");
  EXPECT_EQ(c->account_id(), "123456789012");
}

TEST_F(EnvironmentProviderTest, BadExpirationIsInvalidConfiguration) {
  t.env->set("AWS_ACCESS_KEY_ID", "AKID");
  t.env->set("AWS_SECRET_ACCESS_KEY", "secret");
  t.env->set("AWS_CREDENTIAL_EXPIRATION", "tomorrow");
  EXPECT_EQ(error_kind(), ErrorKind::InvalidConfiguration);
}

TEST_F(EnvironmentProviderTest, NothingSetIsNotConfigured) {
  EXPECT_EQ(error_kind(), ErrorKind::NotConfigured);
}

TEST_F(EnvironmentProviderTest, EmptyVariablesCountAsUnset) {
  t.env->set("AWS_ACCESS_KEY_ID", "");
  t.env->set("AWS_SECRET_ACCESS_KEY", "");
  EXPECT_EQ(error_kind(), ErrorKind::NotConfigured);
}

TEST_F(EnvironmentProviderTest, KeyWithoutSecretIsAnErrorNotAFallThrough) {
  t.env->set("AWS_ACCESS_KEY_ID", "AKID");
  EXPECT_EQ(error_kind(), ErrorKind::InvalidConfiguration);
}

TEST_F(EnvironmentProviderTest, SecretWithoutKeyIsAnError) {
  t.env->set("AWS_SECRET_ACCESS_KEY", "secret");
  EXPECT_EQ(error_kind(), ErrorKind::InvalidConfiguration);
}

TEST_F(EnvironmentProviderTest, ErrorsNeverContainTheSecret) {
  t.env->set("AWS_SECRET_ACCESS_KEY", "very-secret-value");
  try {
    (void)get();
    FAIL();
  } catch (const CredentialsError& e) {
    EXPECT_EQ(std::string(e.what()).find("very-secret-value"), std::string::npos);
  }
}

}  // namespace
}  // namespace awsauth::providers
