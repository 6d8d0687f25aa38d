#include "awsauth/errors.hpp"

#include "awsauth/provider.hpp"

namespace awsauth {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::NotConfigured:
      return "not configured";
    case ErrorKind::InvalidConfiguration:
      return "invalid configuration";
    case ErrorKind::ProviderFailure:
      return "provider failure";
    case ErrorKind::NonRecoverable:
      return "non-recoverable";
  }
  return "unknown";
}

CredentialsError::CredentialsError(ErrorKind kind, std::string provider, std::string reason)
    : std::runtime_error(provider.empty() ? reason : provider + ": " + reason),
      kind_(kind),
      provider_(std::move(provider)),
      reason_(std::move(reason)) {}

CredentialsError CredentialsError::not_configured(std::string_view provider, std::string reason) {
  return {ErrorKind::NotConfigured, std::string(provider), std::move(reason)};
}

CredentialsError CredentialsError::invalid_configuration(std::string_view provider,
                                                         std::string reason) {
  return {ErrorKind::InvalidConfiguration, std::string(provider), std::move(reason)};
}

CredentialsError CredentialsError::provider_failure(std::string_view provider, std::string reason) {
  return {ErrorKind::ProviderFailure, std::string(provider), std::move(reason)};
}

CredentialsError CredentialsError::non_recoverable(std::string_view provider, std::string reason) {
  return {ErrorKind::NonRecoverable, std::string(provider), std::move(reason)};
}

namespace {

std::string describe_attempts(ErrorKind kind, const std::vector<ProviderAttempt>& attempts) {
  if (attempts.empty()) {
    return "no credential providers are configured";
  }
  // Passed over by every provider, or stopped by one that is set up but failed.
  std::string text = kind == ErrorKind::NotConfigured ? "no credentials found; tried:"
                                                      : "credentials could not be resolved; tried:";
  for (const auto& a : attempts) {
    // The user's words first, then the name `--format json` reports as ProviderName.
    text.append("\n  ").append(provider_label(a.provider)).append(": ").append(a.reason);
  }
  return text;
}

}  // namespace

NoCredentialsError::NoCredentialsError(ErrorKind kind, std::string chain_name,
                                       std::vector<ProviderAttempt> attempts)
    : CredentialsError(kind, std::move(chain_name), describe_attempts(kind, attempts)),
      attempts_(std::move(attempts)) {}

}  // namespace awsauth
