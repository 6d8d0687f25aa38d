#pragma once
/// @file expect_credentials_error.hpp
/// Expectations on a provider's get() that must fail with a CredentialsError.

#include <chrono>
#include <string>
#include <string_view>

#include "awsauth/errors.hpp"
#include "awsauth/provider.hpp"

namespace awsauth::test {

/// Calls `provider.get()` and expects a CredentialsError naming `provider_name`; returns its
/// kind and, through `message`, its text. Records a test failure (and returns NotConfigured)
/// when get() succeeds.
ErrorKind error_kind_of(CredentialsProvider& provider, std::string_view provider_name,
                        std::string* message = nullptr);

/// Calls `provider.get()` and expects a CredentialsError of `kind` from `provider_name` within
/// `bound`, whose message does not contain `secret`; returns the message ("" on success).
std::string expect_error_within(CredentialsProvider& provider, ErrorKind kind,
                                std::chrono::milliseconds bound, std::string_view provider_name,
                                std::string_view secret);

}  // namespace awsauth::test
