#include "awsauth/static_provider.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "awsauth/caching.hpp"
#include "awsauth/chain.hpp"

namespace awsauth {
namespace {

CredentialsPtr keys(std::string provider_name = {}) {
  return make_credentials({.access_key_id = "AKIDSTATIC",
                           .secret_access_key = SecretString("s"),
                           .provider_name = std::move(provider_name)});
}

TEST(StaticCredentialsProvider, ReturnsTheSameSnapshotEveryTime) {
  const auto credentials = keys();
  StaticCredentialsProvider provider(credentials);
  EXPECT_EQ(provider.get(), credentials);
  EXPECT_EQ(provider.get(), credentials);
}

TEST(StaticCredentialsProvider, IsNamedStaticWhenTheCredentialsNameNoSource) {
  EXPECT_EQ(StaticCredentialsProvider(keys()).name(), "static");
  EXPECT_EQ(StaticCredentialsProvider(keys()).name(), provider_names::static_keys);
}

TEST(StaticCredentialsProvider, TakesTheCredentialsProviderNameWhenGivenNoName) {
  EXPECT_EQ(StaticCredentialsProvider(keys("env")).name(), "env");
}

TEST(StaticCredentialsProvider, AGivenNameWinsAndLeavesTheCredentialsAsTheyAre) {
  StaticCredentialsProvider provider(keys("env"), "my-vault");
  EXPECT_EQ(provider.name(), "my-vault");
  EXPECT_EQ(provider.get()->provider_name(), "env");
}

TEST(StaticCredentialsProvider, RefusesNullCredentials) {
  EXPECT_THROW(StaticCredentialsProvider(nullptr), std::invalid_argument);
}

TEST(StaticCredentialsProvider, AChainStampsItsNameOnCredentialsThatHaveNone) {
  ChainProvider chain({std::make_shared<StaticCredentialsProvider>(keys(), "fixed")});
  EXPECT_EQ(chain.get()->provider_name(), "fixed");
  EXPECT_EQ(chain.winner_name(), "fixed");
}

TEST(StaticCredentialsProvider, ServesThroughACache) {
  CachingProvider cache(std::make_shared<StaticCredentialsProvider>(keys()));
  EXPECT_EQ(cache.get()->access_key_id(), "AKIDSTATIC");
}

}  // namespace
}  // namespace awsauth
