// The AWS CLI's JSON cache files (SSO tokens, client registrations): any bytes give a document
// or std::invalid_argument; a parsed document serializes to text that parses back to the same
// members; a token file gives an SsoTokenCacheEntry or a CredentialsError whose message is one
// printable line that never quotes a token or secret.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "awsauth/errors.hpp"
#include "awsauth/providers/sso/json_cache_file.hpp"
#include "awsauth/providers/sso/sso_token_cache.hpp"
#include "printable_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using awsauth::providers::JsonCacheDocument;
  try {
    const JsonCacheDocument doc = JsonCacheDocument::parse(text);
    const std::string written = doc.serialize();
    const JsonCacheDocument again = JsonCacheDocument::parse(written);
    if (again.keys() != doc.keys()) std::abort();
    for (const auto& key : doc.keys()) {
      if (again.raw(key) != doc.raw(key)) std::abort();
    }
    if (again.serialize() != written) std::abort();
  } catch (const std::invalid_argument&) {
  }
  try {
    (void)awsauth::providers::SsoTokenCache::parse("/fuzz/token.json", text);
  } catch (const awsauth::CredentialsError& e) {
    const std::string_view message = e.what();
    if (awsauth::fuzz::has_c0_or_del(message) || awsauth::fuzz::has_c1_sequence(message)) {
      std::abort();
    }
    // No secret member's value is ever quoted.
    try {
      const JsonCacheDocument doc = JsonCacheDocument::parse(text);
      for (const char* key : {"accessToken", "refreshToken", "clientSecret"}) {
        const auto value = doc.string(key);
        if (value && value->size() >= 8 && message.find(*value) != std::string_view::npos) {
          std::abort();
        }
      }
    } catch (const std::invalid_argument&) {
    }
  }
  return 0;
}
