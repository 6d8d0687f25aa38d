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

ChainProvider::ChainProvider(Providers providers, std::string name)
    : providers_(std::move(providers)), name_(std::move(name)) {
  for (const auto& provider : providers_) {
    if (!provider) {
      throw std::invalid_argument("ChainProvider: null provider in the chain '" + name_ + "'");
    }
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
  std::vector<ProviderAttempt> attempts;
  attempts.reserve(providers_.size());
  for (const auto& provider : providers_) {
    try {
      auto credentials = stamp(provider->get(), *provider);
      std::lock_guard lock(mutex_);
      winner_ = provider;
      return credentials;
    } catch (const CredentialsError& e) {
      attempts.push_back({provider->name(), e.kind(), e.reason()});
      if (e.kind() != ErrorKind::NotConfigured) {
        throw NoCredentialsError(e.kind(), name_, std::move(attempts));
      }
    } catch (const std::exception& e) {
      // A user's provider may throw anything; it still stops the chain, with its reason kept.
      attempts.push_back({provider->name(), ErrorKind::ProviderFailure, e.what()});
      throw NoCredentialsError(ErrorKind::ProviderFailure, name_, std::move(attempts));
    }
  }
  throw NoCredentialsError(ErrorKind::NotConfigured, name_, std::move(attempts));
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
