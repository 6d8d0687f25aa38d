// awsauth curl's reading of a service's error body (XML or JSON, x-amzn-ErrorType fallback):
// never throws, whatever the body. The first input line is the x-amzn-ErrorType header.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "service_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto lf = text.find('\n');
  awsauth::HttpResponse response;
  response.status = 400;
  if (lf != std::string_view::npos) {
    response.headers.emplace_back("x-amzn-ErrorType", std::string(text.substr(0, lf)));
    response.body = std::string(text.substr(lf + 1));
  } else {
    response.body = std::string(text);
  }
  (void)awsauth::cli::parse_service_error(response);
  return 0;
}
