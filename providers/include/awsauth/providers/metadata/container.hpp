#pragma once
/// @file container.hpp
/// Credentials from the container credentials endpoint: ECS task roles
/// (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) and EKS Pod Identity or any local credentials
/// server (AWS_CONTAINER_CREDENTIALS_FULL_URI). See docs/metadata.md.

#include <chrono>
#include <memory>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"

namespace awsauth::providers {

/// Limits of one fetch. The defaults are botocore's ContainerMetadataFetcher's timeout and
/// attempt count, with a shorter pause between attempts than its 1 s.
struct AWSAUTH_API ContainerProviderOptions {
  /// Bound of one whole HTTP exchange (connect, send, every body byte).
  std::chrono::milliseconds timeout{2000};
  /// Attempts per fetch; 5xx answers, unreadable bodies and transport errors are retried.
  int attempts = 3;
  /// Pause before the second attempt; doubled before each later one.
  std::chrono::milliseconds backoff{100};
};

/// GETs the endpoint with `Accept: application/json` and, when configured, the authorization
/// token verbatim in `Authorization` (re-read from its file on every fetch, since it rotates).
/// Plain-http endpoints are checked against the allowed addresses on the resolver's answers and
/// the connection is made to the checked address. Never through a proxy. Credentials carry
/// provider name "container-role", the Expiration and, when sent, the AccountId.
///
/// Errors (CredentialsError, provider "container-role"): NotConfigured when neither URI
/// variable is set; InvalidConfiguration for a malformed URI, a refused address or a token with
/// CR/LF; NonRecoverable for a 4xx answer (not retried; 429 is a ProviderFailure);
/// ProviderFailure when the attempts run out (5xx, unreadable body, timeouts, refused
/// connections). Messages name the URL and the status or error, never the token.
///
/// Thread-safe; keeps no credentials (wrap it in a CachingProvider).
class AWSAUTH_API ContainerProvider final : public CredentialsProvider {
 public:
  explicit ContainerProvider(Context context, ContainerProviderOptions options = {});

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override;

 private:
  Context context_;
  ContainerProviderOptions options_;
};

}  // namespace awsauth::providers
