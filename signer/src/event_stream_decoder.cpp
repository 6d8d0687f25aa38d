// EventStreamDecoder: messages out of a byte stream that arrives in pieces. Bytes are kept in
// one buffer until their message is whole; each message is decoded in place (no copy of its
// bytes), and the consumed front of the buffer is dropped once it is at least half of it, so
// a long stream costs amortized O(1) moves per byte.

#include "awsauth/signer/event_stream.hpp"
#include "event_stream_frame.hpp"

namespace awsauth::signer {

EventStreamDecoder::EventStreamDecoder(EventStreamLimits limits) : limits_(limits) {}

void EventStreamDecoder::feed(std::string_view bytes) {
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ > 0 && start_ >= buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(bytes);
}

bool EventStreamDecoder::next(EventStreamMessage& out) {
  if (failed_) throw *failed_;
  const std::string_view pending = std::string_view(buffer_).substr(start_);
  if (pending.size() < kEventStreamPreludeSize) return false;
  try {
    // The prelude is checked before its message is waited for, so a corrupt or oversized
    // length fails now instead of holding the stream until gigabytes arrive.
    const auto prelude = event_stream::check_prelude(pending, consumed_, limits_);
    if (pending.size() < prelude.total_length) return false;
    event_stream::decode_at(pending.substr(0, prelude.total_length), consumed_, limits_, true, out);
    start_ += prelude.total_length;
    consumed_ += prelude.total_length;
  } catch (const EventStreamError& e) {
    failed_ = e;
    throw;
  }
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return true;
}

void EventStreamDecoder::finish() const {
  if (failed_) throw *failed_;
  if (buffered() == 0) return;
  throw EventStreamError(EventStreamErrorKind::truncated, consumed_ + buffered(),
                         "event stream ended inside a message: " + std::to_string(buffered()) +
                             " bytes of the message at byte " + std::to_string(consumed_) +
                             " arrived before the end of the stream");
}

}  // namespace awsauth::signer
