#pragma once
// Internal: reading an environment variable the way botocore does.

#include <optional>
#include <string>
#include <string_view>

#include "awsauth/environment.hpp"

namespace awsauth::providers::detail {

/// The variable's value; nullopt when it is unset or set to the empty string (botocore treats
/// an empty variable as absent).
[[nodiscard]] inline std::optional<std::string> non_empty_env(const Environment& env,
                                                              std::string_view name) {
  auto value = env.get(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

}  // namespace awsauth::providers::detail
