// Expectations on a failing get(); see expect_credentials_error.hpp.
#include "expect_credentials_error.hpp"

#include <gtest/gtest.h>

namespace awsauth::test {

ErrorKind error_kind_of(CredentialsProvider& provider, std::string_view provider_name,
                        std::string* message) {
  try {
    (void)provider.get();
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.provider(), provider_name);
    if (message) *message = e.what();
    return e.kind();
  }
  ADD_FAILURE() << "expected a CredentialsError";
  return ErrorKind::NotConfigured;
}

std::string expect_error_within(CredentialsProvider& provider, ErrorKind kind,
                                std::chrono::milliseconds bound, std::string_view provider_name,
                                std::string_view secret) {
  const auto start = std::chrono::steady_clock::now();
  try {
    (void)provider.get();
  } catch (const CredentialsError& e) {
    EXPECT_LT(std::chrono::steady_clock::now() - start, bound) << e.what();
    EXPECT_EQ(to_string(e.kind()), std::string(to_string(kind))) << e.what();
    EXPECT_EQ(e.provider(), provider_name);
    EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos);
    return e.what();
  }
  ADD_FAILURE() << "expected a CredentialsError";
  return {};
}

}  // namespace awsauth::test
