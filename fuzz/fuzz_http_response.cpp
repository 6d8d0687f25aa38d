// The HTTP/1.1 response parser behind the Poco client: head, framing and chunked body, fed in
// two pieces split at the first input byte's value. Only ParseError may escape; a decoder never
// consumes more than it is given.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http_response_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace h = awsauth::http_parse;
  if (size == 0) return 0;
  const std::size_t split = data[0];
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const auto end = h::find_head_end(input);
    if (!end) return 0;
    if (*end > input.size()) std::abort();
    const auto head = h::parse_response_head(input.substr(0, *end));
    const auto framing = h::body_framing(head, "GET");
    input.remove_prefix(*end);
    if (framing.kind == h::BodyFraming::Kind::Chunked) {
      h::ChunkedDecoder decoder;
      std::string out;
      const std::string_view first = input.substr(0, split), second = input.substr(first.size());
      const std::size_t used = decoder.feed(first, out);
      if (used > first.size() || (used < first.size() && !decoder.done())) std::abort();
      if (!decoder.done() && decoder.feed(second, out) > second.size()) std::abort();
      if (out.size() > input.size()) std::abort();
    }
  } catch (const h::ParseError&) {
  }
  return 0;
}
