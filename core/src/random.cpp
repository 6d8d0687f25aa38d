#include "awsauth/random.hpp"

namespace awsauth {

SystemRandom::SystemRandom() : engine_(std::random_device{}()) {}

double SystemRandom::uniform01() {
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

std::uint64_t SystemRandom::next_u64() {
  std::lock_guard lock(mutex_);
  return engine_();
}

}  // namespace awsauth
