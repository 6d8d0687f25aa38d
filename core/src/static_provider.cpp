#include "awsauth/static_provider.hpp"

#include <stdexcept>
#include <utility>

namespace awsauth {

StaticCredentialsProvider::StaticCredentialsProvider(CredentialsPtr credentials, std::string name)
    : credentials_(std::move(credentials)), name_(std::move(name)) {
  if (!credentials_) {
    throw std::invalid_argument("StaticCredentialsProvider: null credentials");
  }
  if (name_.empty()) name_ = credentials_->provider_name();
  if (name_.empty()) name_ = std::string(provider_names::static_keys);
}

CredentialsPtr StaticCredentialsProvider::get() { return credentials_; }

std::string StaticCredentialsProvider::name() const { return name_; }

}  // namespace awsauth
