#pragma once
// Internal: the retry quota of a standard-mode STS client (botocore/retries/quota.py and
// standard.RetryQuotaChecker): a token bucket shared by every call of one client, so a client
// facing a broken or overloaded STS stops multiplying its traffic by its attempt count.

#include <algorithm>
#include <mutex>

namespace awsauth::providers::detail {

class RetryQuota {
 public:
  static constexpr int initial_capacity = 500;
  /// A retry costs 5 tokens, 10 after a timeout; a call that succeeds returns what its last
  /// retry took, or 1 when it needed none.
  static constexpr int retry_cost = 5;
  static constexpr int timeout_retry_cost = 10;
  static constexpr int no_retry_increment = 1;

  /// Takes `amount` tokens; false (taking none) when fewer are left.
  [[nodiscard]] bool acquire(int amount) {
    std::lock_guard lock(mutex_);
    if (amount > available_) return false;
    available_ -= amount;
    return true;
  }
  /// Gives `amount` back, never above the initial capacity.
  void release(int amount) {
    std::lock_guard lock(mutex_);
    available_ = std::min(initial_capacity, available_ + amount);
  }
  [[nodiscard]] int available() const {
    std::lock_guard lock(mutex_);
    return available_;
  }

 private:
  mutable std::mutex mutex_;
  int available_ = initial_capacity;
};

}  // namespace awsauth::providers::detail
