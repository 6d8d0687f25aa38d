// The event stream decoders (signer/src/event_stream*.cpp) over arbitrary bytes. The first
// byte picks how many cut points follow (0-7), each one byte: the piece sizes the streaming
// decoder is fed. Properties, besides no crash and no out-of-bounds read:
//  - only EventStreamError escapes;
//  - the streaming decoder fed in those pieces gives the same messages, the same error (kind
//    and stream offset) and the same leftover as when fed everything at once;
//  - every message it gives re-encodes to exactly the bytes it was read from, and decodes
//    alone (decode_message) to the same message;
//  - when decode_message accepts the whole input, it re-encodes to the same bytes and the
//    streaming decoder gives that one message and nothing else.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/signer/event_stream.hpp"

namespace {

using awsauth::signer::EventStreamDecoder;
using awsauth::signer::EventStreamError;
using awsauth::signer::EventStreamLimits;
using awsauth::signer::EventStreamMessage;

// Small limits so that the limit checks are reached with -max_len inputs; sometimes the
// defaults.
EventStreamLimits limits_for(std::size_t size) {
  if (size % 2 == 0) return {};
  return {.max_headers_bytes = 512, .max_payload_bytes = 1024};
}

struct Outcome {
  std::vector<EventStreamMessage> messages;
  std::vector<std::uint64_t> ends;  // stream offset after each message
  std::optional<std::pair<awsauth::signer::EventStreamErrorKind, std::uint64_t>> error;
  std::size_t leftover = 0;
};

Outcome stream(std::string_view bytes, const std::vector<std::size_t>& pieces,
               const EventStreamLimits& limits) {
  EventStreamDecoder decoder(limits);
  Outcome out;
  std::size_t at = 0;
  const auto drain = [&] {
    EventStreamMessage m;
    while (decoder.next(m)) {
      out.messages.push_back(m);
      out.ends.push_back(decoder.consumed());
    }
  };
  try {
    for (std::size_t piece : pieces) {
      const std::size_t n = std::min(piece, bytes.size() - at);
      decoder.feed(bytes.substr(at, n));
      at += n;
      drain();
    }
    decoder.feed(bytes.substr(at));
    drain();
  } catch (const EventStreamError& e) {
    out.error = std::make_pair(e.kind(), e.offset());
  }
  out.leftover = decoder.buffered();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t cuts = data[0] % 8;
  if (size < 1 + cuts) return 0;
  std::vector<std::size_t> pieces;
  for (std::size_t i = 0; i < cuts; ++i) pieces.push_back(data[1 + i]);
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1 + cuts, size - 1 - cuts);
  const EventStreamLimits limits = limits_for(size);

  const Outcome whole = stream(bytes, {}, limits);
  const Outcome split = stream(bytes, pieces, limits);
  if (whole.messages != split.messages || whole.ends != split.ends || whole.error != split.error) {
    std::abort();
  }
  // Without an error, the leftover is what followed the last whole message.
  if (!whole.error && whole.leftover != split.leftover) std::abort();

  std::uint64_t begin = 0;
  for (std::size_t i = 0; i < whole.messages.size(); ++i) {
    const std::string_view span = bytes.substr(begin, whole.ends[i] - begin);
    std::string again;
    awsauth::signer::encode_message(whole.messages[i], again, limits);
    if (again != span) std::abort();
    if (awsauth::signer::decode_message(span, limits) != whole.messages[i]) std::abort();
    begin = whole.ends[i];
  }

  EventStreamMessage one;
  try {
    awsauth::signer::decode_message(bytes, one, limits);
  } catch (const EventStreamError&) {
    return 0;
  }
  std::string again;
  awsauth::signer::encode_message(one, again, limits);
  if (again != bytes) std::abort();
  if (whole.messages.size() != 1 || whole.messages[0] != one || whole.error ||
      whole.leftover != 0) {
    std::abort();
  }
  return 0;
}
