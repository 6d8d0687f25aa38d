#include "awsauth/errors.hpp"

#include <gtest/gtest.h>

#include "awsauth/provider.hpp"

namespace awsauth {
namespace {

TEST(CredentialsError, EachNamedConstructorGivesItsKindProviderAndReason) {
  const struct {
    CredentialsError error;
    ErrorKind kind;
  } cases[] = {
      {CredentialsError::not_configured(provider_names::environment, "no keys"),
       ErrorKind::NotConfigured},
      {CredentialsError::invalid_configuration(provider_names::environment, "no keys"),
       ErrorKind::InvalidConfiguration},
      {CredentialsError::provider_failure(provider_names::environment, "no keys"),
       ErrorKind::ProviderFailure},
      {CredentialsError::non_recoverable(provider_names::environment, "no keys"),
       ErrorKind::NonRecoverable},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.error.kind(), c.kind);
    EXPECT_EQ(c.error.provider(), "env");
    EXPECT_EQ(c.error.reason(), "no keys");
    EXPECT_STREQ(c.error.what(), "env: no keys");
  }
}

TEST(CredentialsError, NamedConstructorsMatchTheConstructorWithTheSameKind) {
  const CredentialsError named =
      CredentialsError::provider_failure(std::string("mine"), "GET failed: timeout");
  const CredentialsError plain(ErrorKind::ProviderFailure, "mine", "GET failed: timeout");
  EXPECT_EQ(named.kind(), plain.kind());
  EXPECT_EQ(named.provider(), plain.provider());
  EXPECT_EQ(named.reason(), plain.reason());
  EXPECT_STREQ(named.what(), plain.what());
}

TEST(CredentialsError, AnEmptyProviderLeavesTheMessageAsTheReason) {
  EXPECT_STREQ(CredentialsError::not_configured("", "nothing here").what(), "nothing here");
}

}  // namespace
}  // namespace awsauth
