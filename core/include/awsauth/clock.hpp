#pragma once
/// @file clock.hpp
/// The time seam: injected so caching and signing are deterministic in tests.

#include <atomic>
#include <chrono>

#include "awsauth/credentials.hpp"
#include "awsauth/export.hpp"
// Random lived here before it had its own header; code that includes only clock.hpp for it
// keeps compiling.
#include "awsauth/random.hpp"

namespace awsauth {

/// Wall-clock time source.
class AWSAUTH_API Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint now() const = 0;
};

/// The real clock (std::chrono::system_clock).
class AWSAUTH_API SystemClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override;
};

/// A clock that only moves when told to. Thread-safe.
class AWSAUTH_API ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start);
  [[nodiscard]] TimePoint now() const override;
  void set(TimePoint t);
  void advance(std::chrono::nanoseconds d);

 private:
  std::atomic<TimePoint::rep> ticks_;
};

}  // namespace awsauth
