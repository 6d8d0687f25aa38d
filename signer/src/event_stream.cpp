// The event stream framing: encoding a message, and decoding one with every length checked
// against the bytes actually there before it is used (the input may be anything a peer sent).
// The order of the decoder's checks is botocore's (eventstream.py): prelude CRC, then lengths
// and limits, then the message CRC, then the headers; so a flipped bit in a length or a header
// is reported as the CRC it broke, not as whatever the corrupt field then seemed to say.

#include "awsauth/signer/event_stream.hpp"

#include <cstring>
#include <limits>
#include <type_traits>

#include "awsauth/printable.hpp"
#include "awsauth/signer/checksum.hpp"
#include "event_stream_frame.hpp"

namespace awsauth::signer {
namespace {

using Kind = EventStreamErrorKind;

constexpr std::size_t kOverhead = kEventStreamPreludeSize + kEventStreamTrailerSize;

void put_u16(std::uint16_t v, std::string& out) {
  const char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(b, 2);
}

void put_u32_at(std::uint32_t v, char* p) {
  p[0] = static_cast<char>(v >> 24);
  p[1] = static_cast<char>(v >> 16);
  p[2] = static_cast<char>(v >> 8);
  p[3] = static_cast<char>(v);
}

void put_u32(std::uint32_t v, std::string& out) {
  char b[4];
  put_u32_at(v, b);
  out.append(b, 4);
}

void put_u64(std::uint64_t v, std::string& out) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (56 - 8 * i));
  out.append(b, 8);
}

std::uint64_t get_be(const char* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::uint32_t get_u32(const char* p) { return static_cast<std::uint32_t>(get_be(p, 4)); }

std::uint32_t crc_of(std::uint32_t crc, std::string_view bytes) {
  return crc32(crc, bytes.data(), bytes.size());
}

std::string hex32(std::uint32_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) s.push_back(kHex[(v >> shift) & 0xFU]);
  return s;
}

std::string at(std::uint64_t offset) { return " at byte " + std::to_string(offset); }

// `'name'` made printable: a header name comes from the peer.
std::string quoted(std::string_view name) { return "'" + printable(name, 64) + "'"; }

// Fills the prelude left as 12 placeholder bytes at `mark` and appends the message CRC.
void finish_frame(std::string& out, std::size_t mark) {
  const std::size_t total = out.size() - mark + kEventStreamTrailerSize;
  char* p = out.data() + mark;
  put_u32_at(static_cast<std::uint32_t>(total), p);
  // p + 4 holds the headers length already (the caller wrote it).
  put_u32_at(crc32(0, p, 8), p + 8);
  put_u32(crc_of(0, std::string_view(out).substr(mark)), out);
}

void append_value(const EventStreamHeaderValue& value, std::string& out) {
  out.push_back(static_cast<char>(header_type(value)));
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          // The type code is the value.
        } else if constexpr (std::is_same_v<T, std::int8_t>) {
          out.push_back(static_cast<char>(v));
        } else if constexpr (std::is_same_v<T, std::int16_t>) {
          put_u16(static_cast<std::uint16_t>(v), out);
        } else if constexpr (std::is_same_v<T, std::int32_t>) {
          put_u32(static_cast<std::uint32_t>(v), out);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          put_u64(static_cast<std::uint64_t>(v), out);
        } else if constexpr (std::is_same_v<T, EventStreamBytes>) {
          put_u16(static_cast<std::uint16_t>(v.bytes.size()), out);
          out.append(v.bytes);
        } else if constexpr (std::is_same_v<T, std::string>) {
          put_u16(static_cast<std::uint16_t>(v.size()), out);
          out.append(v);
        } else if constexpr (std::is_same_v<T, EventStreamTimestamp>) {
          put_u64(
              static_cast<std::uint64_t>(static_cast<std::int64_t>(v.time_since_epoch().count())),
              out);
        } else {
          static_assert(std::is_same_v<T, EventStreamUuid>);
          out.append(reinterpret_cast<const char*>(v.data()), v.size());
        }
      },
      value);
}

std::size_t value_size(const EventStreamHeaderValue& value) {
  if (const auto* b = std::get_if<EventStreamBytes>(&value)) return b->bytes.size();
  if (const auto* s = std::get_if<std::string>(&value)) return s->size();
  return 0;
}

// Reads the value of type `type` starting at `p` (the byte after the type code) into `value`
// (reusing its buffer when it already holds that alternative) and sets `next` past it; false
// when the section ends first.
bool read_value(std::uint8_t type, const char* p, const char* end, EventStreamHeaderValue& value,
                const char*& next) {
  const auto need = [&](std::size_t n) { return static_cast<std::size_t>(end - p) >= n; };
  switch (static_cast<EventStreamHeaderType>(type)) {
    case EventStreamHeaderType::bool_true:
    case EventStreamHeaderType::bool_false:
      value = type == 0;
      next = p;
      return true;
    case EventStreamHeaderType::byte:
      if (!need(1)) return false;
      value = static_cast<std::int8_t>(static_cast<unsigned char>(*p));
      next = p + 1;
      return true;
    case EventStreamHeaderType::int16:
      if (!need(2)) return false;
      value = static_cast<std::int16_t>(static_cast<std::uint16_t>(get_be(p, 2)));
      next = p + 2;
      return true;
    case EventStreamHeaderType::int32:
      if (!need(4)) return false;
      value = static_cast<std::int32_t>(get_u32(p));
      next = p + 4;
      return true;
    case EventStreamHeaderType::int64:
      if (!need(8)) return false;
      value = static_cast<std::int64_t>(get_be(p, 8));
      next = p + 8;
      return true;
    case EventStreamHeaderType::timestamp:
      if (!need(8)) return false;
      value =
          EventStreamTimestamp(std::chrono::milliseconds(static_cast<std::int64_t>(get_be(p, 8))));
      next = p + 8;
      return true;
    case EventStreamHeaderType::uuid: {
      if (!need(16)) return false;
      EventStreamUuid u;
      std::memcpy(u.data(), p, u.size());
      value = u;
      next = p + 16;
      return true;
    }
    case EventStreamHeaderType::byte_array:
    case EventStreamHeaderType::string: {
      // The caller checked the length field and the length (read_header).
      const auto n = static_cast<std::size_t>(get_be(p, 2));
      if (type == static_cast<std::uint8_t>(EventStreamHeaderType::string)) {
        if (auto* s = std::get_if<std::string>(&value)) {
          s->assign(p + 2, n);
        } else {
          value = std::string(p + 2, n);
        }
      } else {
        if (auto* b = std::get_if<EventStreamBytes>(&value)) {
          b->bytes.assign(p + 2, n);
        } else {
          value = EventStreamBytes{std::string(p + 2, n)};
        }
      }
      next = p + 2 + n;
      return true;
    }
  }
  return false;
}

// Decodes the header at `p` (inside [begin, end), the headers section; `base` is the stream
// offset of `begin`) into `header`; returns where the next one starts.
const char* read_header(const char* begin, const char* p, const char* end, std::uint64_t base,
                        EventStreamHeader& header) {
  const auto offset = [&](const char* q) { return base + static_cast<std::uint64_t>(q - begin); };
  const std::size_t name_length = static_cast<unsigned char>(*p);
  // The name and the type byte must both be inside the section.
  if (static_cast<std::size_t>(end - p) < 1 + name_length + 1) {
    throw EventStreamError(
        Kind::header_truncated, offset(p),
        "event stream header" + at(offset(p)) + ": its " + std::to_string(name_length) +
            "-byte name and type run past the end of the headers section" + at(offset(end)));
  }
  header.name.assign(p + 1, name_length);
  const char* type_at = p + 1 + name_length;
  const auto type = static_cast<std::uint8_t>(*type_at);
  const char* v = type_at + 1;
  if (type > static_cast<std::uint8_t>(EventStreamHeaderType::uuid)) {
    throw EventStreamError(Kind::unknown_header_type, offset(type_at),
                           "event stream header " + quoted(header.name) + at(offset(type_at)) +
                               " has unknown value type " + std::to_string(type));
  }
  const auto truncated = [&] {
    return EventStreamError(Kind::header_truncated, offset(v),
                            "event stream header " + quoted(header.name) + ": its value" +
                                at(offset(v)) + " runs past the end of the headers section" +
                                at(offset(end)));
  };
  if (type == static_cast<std::uint8_t>(EventStreamHeaderType::byte_array) ||
      type == static_cast<std::uint8_t>(EventStreamHeaderType::string)) {
    if (end - v < 2) throw truncated();
    const auto n = static_cast<std::size_t>(get_be(v, 2));
    if (n > kEventStreamMaxHeaderValueSize) {
      throw EventStreamError(Kind::header_value_too_long, offset(v),
                             "event stream header " + quoted(header.name) + at(offset(v)) +
                                 ": value of " + std::to_string(n) + " bytes exceeds " +
                                 std::to_string(kEventStreamMaxHeaderValueSize));
    }
    if (static_cast<std::size_t>(end - v) - 2 < n) throw truncated();
  }
  const char* next = nullptr;
  if (!read_value(type, v, end, header.value, next)) throw truncated();
  return next;
}

}  // namespace

EventStreamHeaderType header_type(const EventStreamHeaderValue& value) {
  if (const auto* b = std::get_if<bool>(&value)) {
    return *b ? EventStreamHeaderType::bool_true : EventStreamHeaderType::bool_false;
  }
  // The alternatives after bool are in wire order from `byte` (2) on.
  return static_cast<EventStreamHeaderType>(value.index() + 1);
}

const EventStreamHeader* EventStreamMessage::find(std::string_view name) const noexcept {
  for (const auto& h : headers) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

EventStreamError::EventStreamError(EventStreamErrorKind kind, std::uint64_t offset,
                                   const std::string& what)
    : std::runtime_error(what), kind_(kind), offset_(offset) {}

namespace event_stream {

void append_header(const EventStreamHeader& header, std::string& out) {
  if (header.name.size() > kEventStreamMaxHeaderNameSize) {
    throw EventStreamError(Kind::header_name_too_long, 0,
                           "event stream header name of " + std::to_string(header.name.size()) +
                               " bytes exceeds " + std::to_string(kEventStreamMaxHeaderNameSize));
  }
  if (const std::size_t n = value_size(header.value); n > kEventStreamMaxHeaderValueSize) {
    throw EventStreamError(Kind::header_value_too_long, 0,
                           "event stream header " + quoted(header.name) + ": value of " +
                               std::to_string(n) + " bytes exceeds " +
                               std::to_string(kEventStreamMaxHeaderValueSize));
  }
  out.push_back(static_cast<char>(header.name.size()));
  out.append(header.name);
  append_value(header.value, out);
}

void append_frame(std::string_view encoded_headers, std::string_view payload, std::string& out) {
  const std::size_t mark = out.size();
  out.append(4, '\0');
  put_u32(static_cast<std::uint32_t>(encoded_headers.size()), out);
  out.append(4, '\0');
  out.append(encoded_headers);
  out.append(payload);
  finish_frame(out, mark);
}

Prelude check_prelude(std::string_view bytes, std::uint64_t base, const EventStreamLimits& limits) {
  const char* p = bytes.data();
  const std::uint32_t stored = get_u32(p + 8);
  const std::uint32_t computed = crc32(0, p, 8);
  if (stored != computed) {
    throw EventStreamError(Kind::prelude_crc_mismatch, base + 8,
                           "event stream prelude CRC" + at(base + 8) + " is " + hex32(stored) +
                               ", the prelude's bytes give " + hex32(computed));
  }
  const Prelude prelude{get_u32(p), get_u32(p + 4)};
  if (prelude.total_length < kOverhead) {
    throw EventStreamError(Kind::message_length_invalid, base,
                           "event stream message length" + at(base) + " is " +
                               std::to_string(prelude.total_length) +
                               ", below the 16 bytes of prelude and message CRC");
  }
  if (prelude.headers_length > prelude.total_length - kOverhead) {
    throw EventStreamError(Kind::message_length_invalid, base + 4,
                           "event stream headers length" + at(base + 4) + " is " +
                               std::to_string(prelude.headers_length) + ", more than the " +
                               std::to_string(prelude.total_length - kOverhead) +
                               " bytes the message length leaves");
  }
  if (prelude.headers_length > limits.max_headers_bytes) {
    throw EventStreamError(Kind::headers_too_long, base + 4,
                           "event stream headers length" + at(base + 4) + " is " +
                               std::to_string(prelude.headers_length) + ", above the limit of " +
                               std::to_string(limits.max_headers_bytes));
  }
  const std::size_t payload = prelude.total_length - kOverhead - prelude.headers_length;
  if (payload > limits.max_payload_bytes) {
    throw EventStreamError(Kind::payload_too_long, base,
                           "event stream message" + at(base) + " has a payload of " +
                               std::to_string(payload) + " bytes, above the limit of " +
                               std::to_string(limits.max_payload_bytes));
  }
  return prelude;
}

std::uint32_t decode_at(std::string_view bytes, std::uint64_t base, const EventStreamLimits& limits,
                        bool exact, EventStreamMessage& out) {
  if (bytes.size() < kEventStreamPreludeSize) {
    throw EventStreamError(Kind::truncated, base + bytes.size(),
                           "event stream message truncated" + at(base + bytes.size()) +
                               ": the input ends inside the 12-byte prelude");
  }
  const Prelude prelude = check_prelude(bytes, base, limits);
  const std::size_t total = prelude.total_length;
  if (bytes.size() < total) {
    throw EventStreamError(Kind::truncated, base + bytes.size(),
                           "event stream message truncated" + at(base + bytes.size()) +
                               ": its prelude" + at(base) + " declares " + std::to_string(total) +
                               " bytes, the input holds " + std::to_string(bytes.size()));
  }
  if (exact && bytes.size() > total) {
    throw EventStreamError(Kind::length_mismatch, base + total,
                           "event stream message length mismatch: its prelude declares " +
                               std::to_string(total) + " bytes, the input holds " +
                               std::to_string(bytes.size()));
  }
  const char* p = bytes.data();
  const std::uint32_t stored = get_u32(p + total - kEventStreamTrailerSize);
  const std::uint32_t computed = crc32(0, p, total - kEventStreamTrailerSize);
  if (stored != computed) {
    const std::uint64_t crc_at = base + total - kEventStreamTrailerSize;
    throw EventStreamError(Kind::message_crc_mismatch, crc_at,
                           "event stream message CRC" + at(crc_at) + " is " + hex32(stored) +
                               ", the message's bytes give " + hex32(computed));
  }

  const char* begin = p + kEventStreamPreludeSize;
  const char* end = begin + prelude.headers_length;
  std::size_t count = 0;
  for (const char* h = begin; h < end; ++count) {
    if (count == out.headers.size()) out.headers.emplace_back();
    h = read_header(begin, h, end, base + kEventStreamPreludeSize, out.headers[count]);
  }
  out.headers.resize(count);
  out.payload.assign(end, p + total - kEventStreamTrailerSize);
  return prelude.total_length;
}

}  // namespace event_stream

void encode_headers(const std::vector<EventStreamHeader>& headers, std::string& out) {
  const std::size_t mark = out.size();
  try {
    for (const auto& h : headers) event_stream::append_header(h, out);
  } catch (...) {
    out.resize(mark);
    throw;
  }
}

void encode_message(const EventStreamMessage& message, std::string& out,
                    const EventStreamLimits& limits) {
  if (message.payload.size() > limits.max_payload_bytes) {
    throw EventStreamError(Kind::payload_too_long, 0,
                           "event stream payload of " + std::to_string(message.payload.size()) +
                               " bytes is above the limit of " +
                               std::to_string(limits.max_payload_bytes));
  }
  const std::size_t mark = out.size();
  out.append(kEventStreamPreludeSize, '\0');
  try {
    for (const auto& h : message.headers) event_stream::append_header(h, out);
  } catch (...) {
    out.resize(mark);
    throw;
  }
  const std::size_t headers_length = out.size() - mark - kEventStreamPreludeSize;
  if (headers_length > limits.max_headers_bytes) {
    out.resize(mark);
    throw EventStreamError(Kind::headers_too_long, 0,
                           "event stream headers of " + std::to_string(headers_length) +
                               " bytes are above the limit of " +
                               std::to_string(limits.max_headers_bytes));
  }
  // The prelude's lengths are u32: limits set above 4 GiB still cannot make one overflow.
  if (headers_length + message.payload.size() >
      std::numeric_limits<std::uint32_t>::max() - kOverhead) {
    out.resize(mark);
    throw EventStreamError(Kind::payload_too_long, 0,
                           "event stream message of " +
                               std::to_string(headers_length + message.payload.size() + kOverhead) +
                               " bytes does not fit the prelude's 32-bit length");
  }
  put_u32_at(static_cast<std::uint32_t>(headers_length), out.data() + mark + 4);
  out.append(message.payload);
  finish_frame(out, mark);
}

void decode_message(std::string_view bytes, EventStreamMessage& out,
                    const EventStreamLimits& limits) {
  event_stream::decode_at(bytes, 0, limits, true, out);
}

EventStreamMessage decode_message(std::string_view bytes, const EventStreamLimits& limits) {
  EventStreamMessage out;
  decode_message(bytes, out, limits);
  return out;
}

}  // namespace awsauth::signer
