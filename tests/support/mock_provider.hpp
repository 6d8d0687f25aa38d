#pragma once
/// @file mock_provider.hpp
/// GoogleMock double of CredentialsProvider, as a user would write it for their own source.

#include <gmock/gmock.h>

#include "awsauth/provider.hpp"

namespace awsauth::test {

class MockProvider : public CredentialsProvider {
 public:
  MOCK_METHOD(CredentialsPtr, get, (), (override));
  MOCK_METHOD(std::string, name, (), (const, override));
};

/// Credentials for tests: `key` as access key id, a fixed secret, optional expiry and source.
inline CredentialsPtr test_credentials(std::string key, std::string provider = "",
                                       std::optional<TimePoint> expiration = std::nullopt) {
  return make_credentials({.access_key_id = std::move(key),
                           .secret_access_key = SecretString("test-secret"),
                           .expiration = expiration,
                           .provider_name = std::move(provider)});
}

}  // namespace awsauth::test
