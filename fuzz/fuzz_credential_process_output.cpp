// credential_process's JSON output, and the command-line splitter that runs it: any bytes give a
// value or std::invalid_argument.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "awsauth/credentials.hpp"
#include "awsauth/providers/profile/credential_process.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto init = awsauth::providers::parse_credential_process_output(text);
    try {
      (void)awsauth::make_credentials(std::move(init));
    } catch (const std::invalid_argument&) {  // e.g. an empty access key
    }
  } catch (const std::invalid_argument&) {
  }
  try {
    (void)awsauth::providers::split_command_line(text);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
