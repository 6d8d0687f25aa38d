#pragma once
/// @file chain.hpp
/// A provider that tries other providers in order and sticks with the first that answers.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"

namespace awsauth {

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

  /// The providers, in the order they are tried.
  [[nodiscard]] const Providers& providers() const noexcept { return providers_; }

 private:
  CredentialsPtr scan();

  const Providers providers_;
  const std::string name_;
  mutable std::mutex mutex_;  // guards winner_ only; providers are called outside it
  std::shared_ptr<CredentialsProvider> winner_;
};

}  // namespace awsauth
