#pragma once
/// @file random.hpp
/// The randomness seam (refresh jitter, retry backoff, generated session names): injected so
/// tests are deterministic.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>

#include "awsauth/export.hpp"

namespace awsauth {

/// Randomness source (jitter, generated session names).
class AWSAUTH_API Random {
 public:
  virtual ~Random() = default;
  /// A value uniformly distributed in [0, 1).
  [[nodiscard]] virtual double uniform01() = 0;
  /// A uniformly distributed 64-bit value.
  [[nodiscard]] virtual std::uint64_t next_u64() = 0;
};

/// Real randomness: a mutex-guarded 64-bit Mersenne Twister seeded from std::random_device.
class AWSAUTH_API SystemRandom final : public Random {
 public:
  SystemRandom();
  [[nodiscard]] double uniform01() override;
  [[nodiscard]] std::uint64_t next_u64() override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

/// Test double: always returns the same fraction (0.0 = no jitter, 1.0 excluded -> 0.999...).
class AWSAUTH_API FixedRandom final : public Random {
 public:
  explicit FixedRandom(double fraction) : fraction_(fraction) {}
  [[nodiscard]] double uniform01() override { return fraction_; }
  [[nodiscard]] std::uint64_t next_u64() override { return counter_++; }

 private:
  double fraction_;
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace awsauth
