#pragma once
/// @file errors.hpp
/// Errors are values that steer: their kind decides what a chain or a cache does next.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/export.hpp"

namespace awsauth {

/// What a failure means for whoever asked.
enum class ErrorKind {
  /// This source is not set up here (no variables, no file, no profile key): a chain tries the
  /// next provider.
  NotConfigured,
  /// The source is set up but its configuration is wrong (a malformed file, a key without a
  /// secret, an unsupported profile type): stop and tell the user; retrying will not help.
  InvalidConfiguration,
  /// The source is set up and failed this time (network error, timeout, 5xx, unreadable
  /// answer): stop; a later attempt may succeed, and a cache may keep serving what it has.
  ProviderFailure,
  /// The source answered "no" in a way retrying cannot change (AccessDenied, an invalid web
  /// identity token): stop; a cache remembers it for a short while instead of hammering.
  NonRecoverable,
};

/// Short lowercase name of a kind ("not configured", "invalid configuration", ...).
[[nodiscard]] AWSAUTH_API const char* to_string(ErrorKind kind) noexcept;

/// The one exception type credential providers throw. Its message never contains a secret.
class AWSAUTH_API CredentialsError : public std::runtime_error {
 public:
  /// `provider` is the name of the provider that failed (see provider.hpp); `reason` says what
  /// was wrong and, where it helps, what the user can do (file and line, URL and status).
  CredentialsError(ErrorKind kind, std::string provider, std::string reason);

  /// Named constructors, one per kind, so a provider says what happened in one call:
  /// `throw CredentialsError::not_configured(provider_names::environment, "no AWS_... set");`
  /// (smithy-rs `CredentialsError::not_loaded`). `provider` takes the `provider_names`
  /// constants as they are.
  [[nodiscard]] static CredentialsError not_configured(std::string_view provider,
                                                       std::string reason);
  [[nodiscard]] static CredentialsError invalid_configuration(std::string_view provider,
                                                              std::string reason);
  [[nodiscard]] static CredentialsError provider_failure(std::string_view provider,
                                                         std::string reason);
  [[nodiscard]] static CredentialsError non_recoverable(std::string_view provider,
                                                        std::string reason);

  [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& provider() const noexcept { return provider_; }
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  ErrorKind kind_;
  std::string provider_;
  std::string reason_;
};

/// One provider a chain tried, and why it did not supply credentials.
struct AWSAUTH_API ProviderAttempt {
  std::string provider;
  ErrorKind kind;
  std::string reason;
};

/// Thrown by a chain when no provider supplied credentials (every one said NotConfigured), or
/// when one failed in a way that stops the chain. `attempts()` lists every provider tried, in
/// order, with its reason; `kind()` is the kind of the error that ended the search
/// (NotConfigured when every provider was passed over).
class AWSAUTH_API NoCredentialsError : public CredentialsError {
 public:
  NoCredentialsError(ErrorKind kind, std::string chain_name, std::vector<ProviderAttempt> attempts);

  [[nodiscard]] const std::vector<ProviderAttempt>& attempts() const noexcept { return attempts_; }

 private:
  std::vector<ProviderAttempt> attempts_;
};

}  // namespace awsauth
