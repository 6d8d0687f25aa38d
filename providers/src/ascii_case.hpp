#pragma once
// Internal: ASCII case folding for configuration values, URL schemes, profile names and header
// names. Only A-Z fold, whatever the process locale (what std::tolower does in the "C" locale).

#include <algorithm>
#include <string>
#include <string_view>

namespace awsauth::providers::detail {

[[nodiscard]] inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `s` with A-Z folded to a-z.
[[nodiscard]] inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

/// Equal ignoring ASCII case.
[[nodiscard]] inline bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

}  // namespace awsauth::providers::detail
