#pragma once
// Internal: how the metadata providers name an HTTP answer in their error messages.

#include <string>

#include "awsauth/http.hpp"

namespace awsauth::providers::detail {

/// "HTTP 404" or "HTTP 404 Not Found" (with the reason phrase when the peer sent one).
[[nodiscard]] inline std::string status_text(const HttpResponse& r) {
  std::string s = "HTTP " + std::to_string(r.status);
  if (!r.reason.empty()) s += " " + r.reason;
  return s;
}

}  // namespace awsauth::providers::detail
