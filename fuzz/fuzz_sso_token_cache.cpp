// The AWS CLI's SSO token cache file (providers/src/sso/sso_token_cache.cpp) and the JSON
// cache document under it (providers/src/sso/json_cache_file.cpp): only CredentialsError
// (InvalidConfiguration, provider `sso`) escapes SsoTokenCache::parse, and only
// std::invalid_argument JsonCacheDocument::parse. Properties: a parsed document round-trips
// (serialize, parse again: the same members with the same JSON text); a token is only
// accepted with both required members; the error names the file, is terminal-safe and never
// quotes `accessToken`, `refreshToken` or `clientSecret`.
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
  namespace p = awsauth::providers;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto doc = p::JsonCacheDocument::parse(text);
    const auto again = p::JsonCacheDocument::parse(doc.serialize());
    if (again.keys() != doc.keys()) std::abort();
    for (const auto& key : doc.keys()) {
      if (again.raw(key) != doc.raw(key)) std::abort();
    }
    // What set_string writes, string() reads back (ASCII: other bytes are escaped as
    // json.dumps escapes them, which decodes to UTF-8, not to the bytes).
    bool ascii = true;
    for (const char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) {
      auto copy = doc;
      copy.set_string("k", text);
      if (copy.string("k") != std::string(text)) std::abort();
    }
  } catch (const std::invalid_argument&) {
  }
  try {
    const auto entry = p::SsoTokenCache::parse("/cache/x.json", text);
    if (!entry.document.has("accessToken") || !entry.document.has("expiresAt")) std::abort();
  } catch (const awsauth::CredentialsError& e) {
    if (e.kind() != awsauth::ErrorKind::InvalidConfiguration || e.provider() != "sso") {
      std::abort();
    }
    const std::string_view message = e.what();
    if (message.find("/cache/x.json") == std::string_view::npos) std::abort();
    if (awsauth::fuzz::has_c0_or_del(message) || awsauth::fuzz::has_c1_sequence(message)) {
      std::abort();
    }
    // No secret member's value is ever quoted.
    try {
      const auto doc = p::JsonCacheDocument::parse(text);
      for (const char* key : {"accessToken", "refreshToken", "clientSecret"}) {
        const auto value = doc.string(key);
        if (!value || value->size() < 8 || message.find(*value) == std::string_view::npos) {
          continue;
        }
        // Found: an echo, unless the message's own words hold the same text. Replace the
        // value and parse again: an echo goes away with it, the message's words do not.
        auto other = doc;
        other.set_string(key, std::string(value->size(), 'Z'));
        try {
          (void)p::SsoTokenCache::parse("/cache/x.json", other.serialize());
        } catch (const awsauth::CredentialsError& again) {
          if (std::string_view(again.what()).find(*value) == std::string_view::npos) std::abort();
        }
      }
    } catch (const std::invalid_argument&) {
    }
  }
  return 0;
}
