#pragma once
// Internal: a provider that builds its real provider on the first get() and keeps it.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "awsauth/provider.hpp"

namespace awsauth::providers::detail {

/// Builds its target on the first get() (when the shared profile files may be read) and then
/// always delegates to that one object: a chain step and a credential_source using it share its
/// state, and the chain's sticky winner never switches sources behind the caller's back. A build
/// that throws is retried on the next get().
class LazyProvider final : public CredentialsProvider {
 public:
  using Build = std::function<std::shared_ptr<CredentialsProvider>()>;
  LazyProvider(std::string name, Build build) : name_(std::move(name)), build_(std::move(build)) {}

  [[nodiscard]] CredentialsPtr get() override {
    std::shared_ptr<CredentialsProvider> target;
    {
      std::lock_guard lock(mutex_);
      if (!built_) built_ = build_();
      target = built_;
    }
    return target->get();
  }
  [[nodiscard]] std::string name() const override { return name_; }

 private:
  std::string name_;
  Build build_;
  std::mutex mutex_;
  std::shared_ptr<CredentialsProvider> built_;
};

}  // namespace awsauth::providers::detail
