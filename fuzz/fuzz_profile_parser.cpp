// The shared config/credentials file parser: any bytes give a ProfileSet or a ProfileParseError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "awsauth/providers/profile/profile_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using awsauth::providers::ProfileFileKind;
  for (const auto kind : {ProfileFileKind::Config, ProfileFileKind::Credentials}) {
    try {
      const auto set = awsauth::providers::parse_profile_file(text, "fuzz", kind);
      (void)awsauth::providers::merge_profile_sets(set, set);
    } catch (const awsauth::providers::ProfileParseError&) {
    }
  }
  return 0;
}
