#pragma once
// Internal: the one check on credential values that arrive from outside (a metadata service,
// STS, a credential_process program) before they become Credentials.

#include <algorithm>
#include <string>
#include <string_view>

namespace awsauth::providers::detail {

/// True when `value` is only visible ASCII (0x21..0x7E), as every access key id, secret key and
/// session token AWS issues is. The key id and the token go into request headers
/// (Authorization, X-Amz-Security-Token) of whatever HTTP client the signer's caller uses: a CR
/// or LF there would end the header and start another, an ESC would reach logs and terminals.
[[nodiscard]] inline bool is_credential_text(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

/// "" when every value passes is_credential_text(); otherwise a reason naming the offending
/// fields (never quoting them: two of the three are secrets), e.g. "its AccessKeyId, Token hold
/// characters that are not visible ASCII".
[[nodiscard]] inline std::string unsendable_credential_fields(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  std::string names;
  for (const auto& [name, value] : fields) {
    if (is_credential_text(value)) continue;
    if (!names.empty()) names += ", ";
    names += name;
  }
  if (names.empty()) return names;
  return "its " + names + (names.find(',') == std::string::npos ? " holds" : " hold") +
         " characters that are not visible ASCII (control characters or spaces); refusing "
         "credentials that cannot be sent in a header";
}

}  // namespace awsauth::providers::detail
