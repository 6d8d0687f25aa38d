#pragma once
// The `Name: value` header syntax of `awsauth sign -H` and `awsauth curl -H`.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace awsauth::cli {

/// `line` split at its first colon, name and value trimmed of spaces and tabs (as curl does);
/// nullopt when there is no colon. The caller judges the name.
[[nodiscard]] std::optional<std::pair<std::string, std::string>> split_header_line(
    std::string_view line);

}  // namespace awsauth::cli
