#pragma once
/// @file log.hpp
/// The library's one log seam: silent unless the application installs a sink.
///
/// awsauth logs only what happens in the background, where no caller sees an exception: a
/// proactive refresh that succeeded or failed, and when the next one is due. Messages never hold
/// a secret (no secret key, no session token; access key ids are not logged either).
///
// clang-format off
/// ```
/// awsauth::set_log_sink([](awsauth::LogLevel level, std::string_view message) {
///   std::cerr << "awsauth " << awsauth::log_level_name(level) << ": " << message << "\n";
/// }, awsauth::LogLevel::Info);
/// ```
// clang-format on

#include <functional>
#include <optional>
#include <string_view>

#include "awsauth/export.hpp"

namespace awsauth {

enum class LogLevel { Debug, Info, Warning, Error };

/// The environment variable the `awsauth` command reads its log level from (a level name as
/// parse_log_level() accepts it; unset or empty: silent).
inline constexpr const char* kLogLevelVariable = "AWSAUTH_LOG";

/// Receives each message at or above the sink's level. Called from awsauth's threads (the
/// refresher), possibly from several at once: it must be thread-safe and must not call back into
/// set_log_sink().
using LogSink = std::function<void(LogLevel level, std::string_view message)>;

/// Installs `sink` for messages at `min_level` and above, process-wide; an empty sink (the
/// default) makes the library silent. Thread-safe; a message being delivered to the previous
/// sink may still arrive there.
AWSAUTH_API void set_log_sink(LogSink sink, LogLevel min_level = LogLevel::Info);

/// "debug", "info", "warning", "error".
[[nodiscard]] AWSAUTH_API std::string_view log_level_name(LogLevel level) noexcept;

/// Parses a level name as log_level_name() spells it (any case); nullopt otherwise. The CLI reads
/// AWSAUTH_LOG with it.
[[nodiscard]] AWSAUTH_API std::optional<LogLevel> parse_log_level(std::string_view name) noexcept;

/// True when a sink is installed for `level`: lets a caller skip building a message nobody reads.
[[nodiscard]] AWSAUTH_API bool log_enabled(LogLevel level) noexcept;

/// Sends `message` to the sink when log_enabled(level). A sink that throws is ignored.
AWSAUTH_API void log(LogLevel level, std::string_view message) noexcept;

}  // namespace awsauth
