#pragma once
/// @file serve/credentials_server.hpp
/// A credentials endpoint on 127.0.0.1 that speaks the container-credentials protocol, so every
/// AWS SDK and CLI on the host can use one cache (what `awsauth serve` runs; docs/serve.md).
///
// clang-format off
/// ```
/// awsauth::RefreshPolicy policy;
/// policy.proactive = awsauth::RefreshPolicy::Proactive{};
/// auto cache = std::make_shared<awsauth::CachingProvider>(chain, policy);
/// awsauth::providers::CredentialsServer server(cache);
/// // give the other processes these two variables:
/// //   AWS_CONTAINER_CREDENTIALS_FULL_URI=server.url()
/// //   AWS_CONTAINER_AUTHORIZATION_TOKEN=server.token()
/// ```
// clang-format on

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "awsauth/clock.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"

namespace awsauth::providers {

struct AWSAUTH_API CredentialsServerOptions {
  /// The port on 127.0.0.1; 0: a free port chosen by the system (see CredentialsServer::port()).
  std::uint16_t port = 0;
  /// Credentials without an expiry are served as expiring this long from the request: the
  /// protocol requires an `Expiration`, and SDKs refresh 15 minutes (botocore) before it, so it
  /// must be well above that.
  std::chrono::seconds synthetic_lifetime{3600};
  /// Requests handled at once; more wait in the accept queue.
  int max_threads = 8;
  /// Connections waiting beyond that; further ones are refused by the system.
  int max_queued = 512;
};

/// Serves `provider`'s credentials at `http://127.0.0.1:PORT/credentials` to callers that send
/// the random token in `Authorization` (the container-credentials protocol: what botocore's
/// ContainerProvider, every AWS SDK and awsauth's ContainerProvider read from
/// AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN).
///
/// - 200 with `{"AccessKeyId","SecretAccessKey","Token","Expiration"}` (and `"AccountId"` when
///   known) for a GET of the path with the right token;
/// - 401 for a missing or wrong token (compared in constant time), 404 for another path, 405
///   for another method, 413 for a request with a body; none of them carries credentials;
/// - 503 when the provider fails (its message, which never holds a secret) or returns long-term
///   keys (no session token), which are never handed out: a process on the host could keep
///   them forever.
///
/// Listens from construction until stop() or destruction. Thread-safe; each request calls
/// `provider->get()`, so put a CachingProvider (ideally with proactive refresh) in front of
/// anything slow.
class AWSAUTH_API CredentialsServer {
 public:
  /// Binds 127.0.0.1 and starts serving; throws std::runtime_error naming the address when it
  /// cannot bind (the port is taken), std::invalid_argument for a null provider.
  explicit CredentialsServer(std::shared_ptr<CredentialsProvider> provider,
                             CredentialsServerOptions options = {},
                             std::shared_ptr<const Clock> clock = nullptr);
  ~CredentialsServer();
  CredentialsServer(const CredentialsServer&) = delete;
  CredentialsServer& operator=(const CredentialsServer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;
  /// `http://127.0.0.1:PORT/credentials`: the value of AWS_CONTAINER_CREDENTIALS_FULL_URI.
  [[nodiscard]] std::string url() const;
  /// The value of AWS_CONTAINER_AUTHORIZATION_TOKEN: 32 random bytes (getrandom), hex. A secret:
  /// whoever has it gets the credentials.
  [[nodiscard]] const std::string& token() const noexcept;

  /// Stops accepting and waits for requests in progress. Idempotent.
  void stop();

  /// Requests answered with credentials, and refused ones (any 4xx/5xx).
  [[nodiscard]] std::uint64_t served() const noexcept;
  [[nodiscard]] std::uint64_t refused() const noexcept;

  /// The path credentials are served on.
  static constexpr const char* kPath = "/credentials";

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace awsauth::providers
