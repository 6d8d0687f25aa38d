#include "awsauth/clock.hpp"

namespace awsauth {

TimePoint SystemClock::now() const { return std::chrono::system_clock::now(); }

ManualClock::ManualClock(TimePoint start) : ticks_(start.time_since_epoch().count()) {}

TimePoint ManualClock::now() const { return TimePoint(TimePoint::duration(ticks_.load())); }

void ManualClock::set(TimePoint t) { ticks_.store(t.time_since_epoch().count()); }

void ManualClock::advance(std::chrono::nanoseconds d) {
  ticks_.fetch_add(std::chrono::duration_cast<TimePoint::duration>(d).count());
}

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
