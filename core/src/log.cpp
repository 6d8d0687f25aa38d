#include "awsauth/log.hpp"

#include <atomic>
#include <memory>
#include <mutex>

#include "awsauth/detail/ascii.hpp"

namespace awsauth {
namespace {

// The sink behind a mutex, its level in an atomic: log_enabled() is one load, and a silent
// library (no sink) never takes the mutex.
struct SinkSlot {
  std::mutex mutex;
  std::shared_ptr<const LogSink> sink;
  // One past Error: nothing is enabled.
  std::atomic<int> min_level{static_cast<int>(LogLevel::Error) + 1};
};

SinkSlot& slot() {
  static SinkSlot* const kSlot = new SinkSlot;  // never destroyed: logging during exit works
  return *kSlot;
}

}  // namespace

void set_log_sink(LogSink sink, LogLevel min_level) {
  auto& s = slot();
  std::shared_ptr<const LogSink> installed;
  if (sink) installed = std::make_shared<const LogSink>(std::move(sink));
  std::lock_guard lock(s.mutex);
  s.sink = std::move(installed);
  s.min_level.store(s.sink ? static_cast<int>(min_level) : static_cast<int>(LogLevel::Error) + 1,
                    std::memory_order_release);
}

std::string_view log_level_name(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warning:
      return "warning";
    case LogLevel::Error:
      return "error";
  }
  return "unknown";
}

std::optional<LogLevel> parse_log_level(std::string_view name) noexcept {
  for (const LogLevel level :
       {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error}) {
    if (detail::ascii_iequals(name, log_level_name(level))) return level;
  }
  return std::nullopt;
}

bool log_enabled(LogLevel level) noexcept {
  return static_cast<int>(level) >= slot().min_level.load(std::memory_order_acquire);
}

void log(LogLevel level, std::string_view message) noexcept {
  if (!log_enabled(level)) return;
  auto& s = slot();
  std::shared_ptr<const LogSink> sink;
  {
    std::lock_guard lock(s.mutex);
    sink = s.sink;
  }
  if (!sink) return;
  try {
    (*sink)(level, message);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a logger must not break the refresher
  }
}

}  // namespace awsauth
