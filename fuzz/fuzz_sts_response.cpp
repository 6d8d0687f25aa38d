// STS XML answers (AssumeRole*, ErrorResponse, GetCallerIdentity) and ARNs: a value, nullopt or
// StsParseError, never a Poco exception or a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "awsauth/providers/detail/sts_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace p = awsauth::providers;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)p::parse_sts_credentials(text);
  } catch (const p::StsParseError&) {
  }
  (void)p::parse_sts_error(text);
  try {
    (void)p::parse_caller_identity_arn(text);
  } catch (const p::StsParseError&) {
  }
  (void)p::account_id_from_arn(text);
  return 0;
}
