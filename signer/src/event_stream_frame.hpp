#pragma once
// The event stream framing's internal pieces, shared by the one-shot decoder, the streaming
// decoder and the signer (which frames its outer messages from headers it encodes itself).

#include <cstdint>
#include <string>
#include <string_view>

#include "awsauth/signer/event_stream.hpp"

namespace awsauth::signer::event_stream {

/// Appends a whole message: prelude, `encoded_headers`, `payload`, message CRC. No limit is
/// checked here.
void append_frame(std::string_view encoded_headers, std::string_view payload, std::string& out);

/// Appends one header; throws EventStreamError for a name or value too long.
void append_header(const EventStreamHeader& header, std::string& out);

struct Prelude {
  std::uint32_t total_length = 0;
  std::uint32_t headers_length = 0;
};

/// Checks the first 12 bytes of `bytes` (there must be 12): the prelude CRC, then the
/// lengths against the framing and `limits`. `base` is the stream offset of bytes[0], for
/// the errors.
Prelude check_prelude(std::string_view bytes, std::uint64_t base, const EventStreamLimits& limits);

/// Decodes the message at the start of `bytes`. With `exact`, bytes after it are an error
/// (length_mismatch); without, they are ignored. Returns the message's total length.
std::uint32_t decode_at(std::string_view bytes, std::uint64_t base, const EventStreamLimits& limits,
                        bool exact, EventStreamMessage& out);

}  // namespace awsauth::signer::event_stream
