#include "awsauth/clock.hpp"

namespace awsauth {

TimePoint SystemClock::now() const { return std::chrono::system_clock::now(); }

ManualClock::ManualClock(TimePoint start) : ticks_(start.time_since_epoch().count()) {}

TimePoint ManualClock::now() const { return TimePoint(TimePoint::duration(ticks_.load())); }

void ManualClock::set(TimePoint t) { ticks_.store(t.time_since_epoch().count()); }

void ManualClock::advance(std::chrono::nanoseconds d) {
  ticks_.fetch_add(std::chrono::duration_cast<TimePoint::duration>(d).count());
}

}  // namespace awsauth
