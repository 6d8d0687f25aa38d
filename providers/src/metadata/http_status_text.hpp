#pragma once
// Internal: how the metadata providers name an HTTP answer in their error messages.

#include <string>

#include "awsauth/http.hpp"
#include "awsauth/printable.hpp"

namespace awsauth::providers::detail {

/// "HTTP 404" or "HTTP 404 Not Found" (with the reason phrase when the peer sent one, made
/// printable: it is the server's text).
[[nodiscard]] inline std::string status_text(const HttpResponse& r) {
  // Appends, not `"HTTP " + ...`: GCC 12 -O2 warns -Wrestrict on those (PR105651).
  std::string s = "HTTP ";
  s.append(std::to_string(r.status));
  if (!r.reason.empty()) s.append(1, ' ').append(printable(r.reason, 128));
  return s;
}

}  // namespace awsauth::providers::detail
