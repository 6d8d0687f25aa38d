#pragma once
/// @file chain.hpp
/// A provider that tries other providers in order and sticks with the first that answers.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "awsauth/errors.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"

namespace awsauth {

/// What happened to one provider during a chain's resolution.
enum class ChainOutcome {
  Won,            ///< supplied the credentials
  NotConfigured,  ///< said ErrorKind::NotConfigured and was passed over
  Failed,         ///< failed in a way that stopped the chain (any other kind, any exception)
  NotTried,       ///< after the winner or the failure, or no resolution has run yet
};

/// Short lowercase name of an outcome: "won", "not configured", "failed", "not tried".
[[nodiscard]] AWSAUTH_API const char* to_string(ChainOutcome outcome) noexcept;

/// One provider of a chain and what its last resolution made of it.
struct AWSAUTH_API ChainTraceEntry {
  std::string provider;  ///< the provider's name()
  ChainOutcome outcome = ChainOutcome::NotTried;
  /// The error's kind, for NotConfigured and Failed (ProviderFailure for a non-CredentialsError
  /// exception); ErrorKind::NotConfigured otherwise, where it means nothing.
  ErrorKind kind = ErrorKind::NotConfigured;
  /// The provider's reason as it gave it (CredentialsError::reason(), or what() for another
  /// exception): never a secret. Empty for Won and NotTried.
  std::string reason;
};

/// Every provider of a chain, in order, with the outcome of the chain's last resolution (the
/// last scan of the providers, successful or not). Before any resolution every entry is
/// NotTried.
struct AWSAUTH_API ChainTrace {
  std::vector<ChainTraceEntry> entries;

  /// The entry that won, or nullptr when none did.
  [[nodiscard]] const ChainTraceEntry* winner() const noexcept;
};

/// Tries its providers in order until one supplies credentials, like botocore's
/// `CredentialResolver`:
///
/// - a provider that throws `CredentialsError` with `ErrorKind::NotConfigured` is passed over and
///   the next one is tried;
/// - any other error (or any other exception) stops the search: the chain throws
///   `NoCredentialsError` carrying that error's kind and every provider tried so far with its
///   reason, so a broken configuration is reported instead of silently skipped;
/// - when every provider is passed over, it throws `NoCredentialsError` with kind
///   `NotConfigured` listing each provider and why.
///
/// The first provider that succeeds becomes the *winner*: later `get()` calls go to it alone,
/// so a process never switches credential source silently (botocore refreshes only the
/// provider that resolved). Errors from the winner propagate unchanged. `reset()` forgets the
/// winner so the next `get()` scans again.
///
/// Credentials whose `provider_name()` is empty are stamped with the supplying provider's
/// `name()`, so a cache in front of the chain knows where they came from.
///
/// Each resolution (each scan of the providers) records a ChainTrace, read with trace(): which
/// provider won, which were passed over and why, which failed. A get() that goes to the winner
/// records nothing, so the fast path is unchanged.
///
/// Thread-safe. The chain does not cache: put a CachingProvider in front of it.
class AWSAUTH_API ChainProvider final : public CredentialsProvider {
 public:
  using Providers = std::vector<std::shared_ptr<CredentialsProvider>>;

  /// `providers` must not contain nulls (std::invalid_argument). `name` appears in errors.
  explicit ChainProvider(Providers providers, std::string name = "chain");

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override { return name_; }

  /// Forgets the winner; the next get() tries every provider again from the first.
  void reset();

  /// The `name()` of the provider that supplied credentials, once one has.
  [[nodiscard]] std::optional<std::string> winner_name() const;

  /// The outcome of the last resolution for every provider, in order (all NotTried before the
  /// first one). A success keeps the reasons of the providers passed over before the winner; a
  /// failure lists what NoCredentialsError::attempts() lists, plus the providers not reached.
  /// Later get() calls that go to the winner, and reset(), leave it as it is.
  [[nodiscard]] ChainTrace trace() const;

  /// The providers, in the order they are tried.
  [[nodiscard]] const Providers& providers() const noexcept { return providers_; }

 private:
  CredentialsPtr scan();

  const Providers providers_;
  const std::string name_;
  void record(ChainTrace trace);

  mutable std::mutex mutex_;  // guards winner_ and trace_; providers are called outside it
  std::shared_ptr<CredentialsProvider> winner_;
  ChainTrace trace_;
};

}  // namespace awsauth
