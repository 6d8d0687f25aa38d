// signer::read_service_report over any error body, then explain_rejection of any canonical
// request and string to sign against what it read: never throws; no session token value on
// either side reaches a difference line; the causes are never empty.
// Input: "<our canonical request>\x01<our string to sign>\x01<error body>".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "awsauth/signer/explain.hpp"
#include "awsauth/signer/service_report.hpp"

namespace {

constexpr std::string_view kToken = "x-amz-security-token:";

// No difference line shows the value of an x-amz-security-token line of `text`.
void check_no_token(std::string_view text, const awsauth::signer::Diagnosis& d) {
  std::size_t at = 0;
  while ((at = text.find(kToken, at)) != std::string_view::npos) {
    const auto start = at + kToken.size();
    const auto end = text.find('\n', start);
    const auto value = text.substr(start, end == std::string_view::npos ? end : end - start);
    at = start;
    if (value.size() < 8 || value == "<redacted>") continue;
    for (const auto& l : d.differences) {
      if (l.line == "header x-amz-security-token" &&
          ((l.ours && *l.ours != "<redacted>") || (l.theirs && *l.theirs != "<redacted>"))) {
        std::abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto a = text.find('\x01');
  const auto b = a == std::string_view::npos ? a : text.find('\x01', a + 1);
  std::string_view canonical, string_to_sign, body = text;
  if (b != std::string_view::npos) {
    canonical = text.substr(0, a);
    string_to_sign = text.substr(a + 1, b - a - 1);
    body = text.substr(b + 1);
  }
  const auto report = awsauth::signer::read_service_report(body);
  awsauth::signer::ServiceReport r = report.value_or(awsauth::signer::ServiceReport{});
  const auto d = awsauth::signer::explain_rejection(canonical, string_to_sign, r);
  if (d.causes.empty()) std::abort();
  check_no_token(canonical, d);
  if (r.canonical_request) check_no_token(*r.canonical_request, d);
  return 0;
}
