#pragma once
/// @file environment_provider.hpp
/// Credentials from environment variables (`env` in botocore).

#include <string>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"

namespace awsauth::providers {

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (the legacy
/// `AWS_SECURITY_TOKEN` only when `AWS_SESSION_TOKEN` is unset or empty: botocore prefers the
/// legacy name, the other SDKs the standard one), `AWS_CREDENTIAL_EXPIRATION` (ISO-8601) and
/// `AWS_ACCOUNT_ID`. A variable set to "" counts as unset, as in botocore.
///
/// NotConfigured when neither key variable is set; InvalidConfiguration when only one of the
/// key id and the secret is set, or the expiration is not a timestamp. Variables are read on
/// every `get()`, so a refresh sees new values.
class AWSAUTH_API EnvironmentProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(Context context);

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override;

 private:
  Context context_;
};

}  // namespace awsauth::providers
