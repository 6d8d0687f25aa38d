// ISO-8601 and X-Amz-Date parsing. Property: whatever parses formats back to a string that
// parses to the same instant (for format_iso8601's whole seconds).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "awsauth/credentials.hpp"
#include "awsauth/signer/signer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto t = awsauth::parse_iso8601(text)) {
    const auto whole = std::chrono::floor<std::chrono::seconds>(*t);
    const auto again = awsauth::parse_iso8601(awsauth::format_iso8601(whole));
    if (!again || *again != whole) std::abort();
  }
  if (const auto t = awsauth::signer::parse_amz_date(text)) {
    const auto again = awsauth::signer::parse_amz_date(awsauth::signer::format_amz_date(*t));
    if (!again || *again != *t) std::abort();
  }
  return 0;
}
