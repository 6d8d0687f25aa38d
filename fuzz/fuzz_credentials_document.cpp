// The IMDS / container credentials JSON document: parsed, checked, and turned into credentials
// when complete; only UnreadableDocument (or make_credentials' invalid_argument) may escape.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "metadata/credentials_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace d = awsauth::providers::detail;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto doc = d::parse_credentials_document(text);
    if (d::missing_required_fields(doc).empty()) {
      try {
        (void)d::to_credentials(doc, "fuzz");
      } catch (const std::invalid_argument&) {
      }
    }
  } catch (const d::UnreadableDocument&) {
  }
  return 0;
}
