#include "awsauth/chain.hpp"

#include <stdexcept>
#include <utility>

namespace awsauth {

namespace {

// Credentials that do not say where they came from get the supplying provider's name: the
// cache decides static stability by it, and `awsauth creds` reports it.
CredentialsPtr stamp(CredentialsPtr credentials, const CredentialsProvider& from) {
  if (!credentials) {
    throw CredentialsError::provider_failure(from.name(), "provider returned no credentials");
  }
  if (!credentials->provider_name().empty()) {
    return credentials;
  }
  auto fields = credentials->fields();
  fields.provider_name = from.name();
  return make_credentials(std::move(fields));
}

}  // namespace

const char* to_string(ChainOutcome outcome) noexcept {
  switch (outcome) {
    case ChainOutcome::Won:
      return "won";
    case ChainOutcome::NotConfigured:
      return "not configured";
    case ChainOutcome::Failed:
      return "failed";
    case ChainOutcome::NotTried:
      return "not tried";
  }
  return "unknown";
}

const ChainTraceEntry* ChainTrace::winner() const noexcept {
  for (const auto& entry : entries) {
    if (entry.outcome == ChainOutcome::Won) return &entry;
  }
  return nullptr;
}

ChainProvider::ChainProvider(Providers providers, std::string name)
    : providers_(std::move(providers)), name_(std::move(name)) {
  trace_.entries.reserve(providers_.size());
  for (const auto& provider : providers_) {
    if (!provider) {
      throw std::invalid_argument("ChainProvider: null provider in the chain '" + name_ + "'");
    }
    trace_.entries.push_back({.provider = provider->name()});
  }
}

CredentialsPtr ChainProvider::get() {
  std::shared_ptr<CredentialsProvider> winner;
  {
    std::lock_guard lock(mutex_);
    winner = winner_;
  }
  if (winner) {
    // botocore: once resolved, refreshes go to the same source; its errors are the answer.
    return stamp(winner->get(), *winner);
  }
  return scan();
}

CredentialsPtr ChainProvider::scan() {
  // The trace starts as every provider NotTried; each provider reached fills its own entry.
  ChainTrace trace;
  trace.entries.reserve(providers_.size());
  for (const auto& provider : providers_) trace.entries.push_back({.provider = provider->name()});
  std::vector<ProviderAttempt> attempts;
  attempts.reserve(providers_.size());
  for (std::size_t i = 0; i < providers_.size(); ++i) {
    const auto& provider = providers_[i];
    ChainTraceEntry& entry = trace.entries[i];
    try {
      auto credentials = stamp(provider->get(), *provider);
      entry.outcome = ChainOutcome::Won;
      std::lock_guard lock(mutex_);
      winner_ = provider;
      trace_ = std::move(trace);
      return credentials;
    } catch (const CredentialsError& e) {
      attempts.push_back({entry.provider, e.kind(), e.reason()});
      entry.kind = e.kind();
      entry.reason = e.reason();
      if (e.kind() != ErrorKind::NotConfigured) {
        entry.outcome = ChainOutcome::Failed;
        record(std::move(trace));
        throw NoCredentialsError(e.kind(), name_, std::move(attempts));
      }
      entry.outcome = ChainOutcome::NotConfigured;
    } catch (const std::exception& e) {
      // A user's provider may throw anything; it still stops the chain, with its reason kept.
      attempts.push_back({entry.provider, ErrorKind::ProviderFailure, e.what()});
      entry.outcome = ChainOutcome::Failed;
      entry.kind = ErrorKind::ProviderFailure;
      entry.reason = e.what();
      record(std::move(trace));
      throw NoCredentialsError(ErrorKind::ProviderFailure, name_, std::move(attempts));
    }
  }
  record(std::move(trace));
  throw NoCredentialsError(ErrorKind::NotConfigured, name_, std::move(attempts));
}

void ChainProvider::record(ChainTrace trace) {
  std::lock_guard lock(mutex_);
  trace_ = std::move(trace);
}

ChainTrace ChainProvider::trace() const {
  std::lock_guard lock(mutex_);
  return trace_;
}

void ChainProvider::reset() {
  std::lock_guard lock(mutex_);
  winner_.reset();
}

std::optional<std::string> ChainProvider::winner_name() const {
  std::lock_guard lock(mutex_);
  if (!winner_) {
    return std::nullopt;
  }
  return winner_->name();
}

}  // namespace awsauth
