#include "awsauth/providers/sts/retry_config.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <string>

#include "awsauth/errors.hpp"
#include "awsauth/providers/profile/profile_properties.hpp"

namespace awsauth::providers {
namespace {

/// One setting's text and where it was written, for error messages.
struct Setting {
  std::string value;
  std::string origin;  ///< "AWS_X" or "k in file:line (profile `p`)"
};

// botocore's config chain: the variable when it is set at all (even to ""), else the profile.
std::optional<Setting> pick(const Environment& env, std::string_view variable,
                            const Profile* profile, std::string_view key) {
  if (auto v = env.get(variable)) return Setting{*v, std::string(variable)};
  if (profile != nullptr) {
    if (const ProfileValue* v = profile->find(key)) {
      return Setting{v->value, std::string(key) + " in " + v->file + ":" + std::to_string(v->line) +
                                   " (profile `" + profile->name + "`)"};
    }
  }
  return std::nullopt;
}

// Python's int(): surrounding whitespace and one sign allowed, then decimal digits.
std::optional<long long> parse_int(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string_view::npos) return std::nullopt;
  text = text.substr(first, text.find_last_not_of(" \t\r\n\f\v") - first + 1);
  bool negative = false;
  if (text.front() == '+' || text.front() == '-') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size()) return std::nullopt;
  if (error == std::errc::result_out_of_range)
    return negative ? -1 : std::numeric_limits<long long>::max();
  return negative ? -value : value;
}

}  // namespace

std::string_view to_string(RetryMode mode) noexcept {
  return mode == RetryMode::Standard ? "standard" : "legacy";
}

RetryConfig resolve_retry_config(const Environment& env, const Profile* selected_profile,
                                 const RetryOverrides& overrides, std::string_view provider) {
  RetryConfig config;
  if (overrides.mode) {
    config.mode = *overrides.mode;
  } else if (const auto mode =
                 pick(env, "AWS_RETRY_MODE", selected_profile, property::retry_mode)) {
    // botocore's Config validation compares the exact text: `Standard` is rejected.
    if (mode->value == "standard" || mode->value == "adaptive") {
      config.mode = RetryMode::Standard;
    } else if (mode->value == "legacy") {
      config.mode = RetryMode::Legacy;
    } else {
      throw CredentialsError::invalid_configuration(
          provider, "`" + mode->value + "` (from " + mode->origin +
                        ") is not a valid retry mode; expected one of: legacy, standard, adaptive");
    }
  }
  config.max_attempts = default_max_attempts(config.mode);
  if (overrides.max_attempts) {
    config.max_attempts = std::max(1, *overrides.max_attempts);
  } else if (const auto n =
                 pick(env, "AWS_MAX_ATTEMPTS", selected_profile, property::max_attempts)) {
    const auto attempts = parse_int(n->value);
    if (!attempts) {
      throw CredentialsError::invalid_configuration(
          provider,
          "max attempts `" + n->value + "` (from " + n->origin +
              ") is not a whole number; expected the total number of attempts, at least 1");
    }
    if (*attempts < 1) {
      throw CredentialsError::invalid_configuration(
          provider,
          "max attempts `" + n->value + "` (from " + n->origin +
              ") must be at least 1: it is the total number of attempts, the first included");
    }
    if (*attempts > std::numeric_limits<int>::max()) {
      throw CredentialsError::invalid_configuration(
          provider, "max attempts `" + n->value + "` (from " + n->origin + ") is too large");
    }
    config.max_attempts = static_cast<int>(*attempts);
  }
  return config;
}

}  // namespace awsauth::providers
