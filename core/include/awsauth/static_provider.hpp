#pragma once
/// @file static_provider.hpp
/// Fixed credentials as a provider: what you hand a signer, a cache or a test when the keys
/// are already known (aws-credential-types implements `ProvideCredentials` for `Credentials`).

#include <string>

#include "awsauth/credentials.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"

namespace awsauth {

/// A provider that always returns the same credentials snapshot. It never fails and never
/// refreshes: credentials that expire stay expired (wrap a refreshing source in a
/// CachingProvider instead). Safe to call from any number of threads.
///
/// ```
/// auto provider = std::make_shared<awsauth::StaticCredentialsProvider>(
///     awsauth::make_credentials({.access_key_id = "AKID...",
///                                .secret_access_key = awsauth::SecretString(secret)}));
/// ```
class AWSAUTH_API StaticCredentialsProvider final : public CredentialsProvider {
 public:
  /// `credentials` must not be null (std::invalid_argument). `name` is what `name()` reports;
  /// empty means the credentials' own `provider_name()`, or `provider_names::static_keys`
  /// ("static") when they have none. The credentials are returned as given: their
  /// `provider_name()` is not rewritten (a chain stamps an empty one with `name()`).
  explicit StaticCredentialsProvider(CredentialsPtr credentials, std::string name = {});

  /// The credentials given to the constructor, the same pointer every time.
  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override;

 private:
  CredentialsPtr credentials_;
  std::string name_;
};

}  // namespace awsauth
