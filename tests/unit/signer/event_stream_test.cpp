// The event stream framing: published messages of aws-c-event-stream and smithy-rs
// (tests/data/event_stream/framing_vectors.txt) decode to what their tests assert; every header
// type round-trips; each corruption fails the named check at the right byte; the streaming
// decoder gives the same messages for every split of the bytes.

#include "awsauth/signer/event_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "awsauth/signer/checksum.hpp"
#include "paths.hpp"

namespace awsauth::signer {
namespace {

using Kind = EventStreamErrorKind;
using namespace std::chrono_literals;

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

const std::map<std::string, std::string>& vectors() {
  static const auto* all = [] {
    auto* m = new std::map<std::string, std::string>;
    std::ifstream in(test::source_dir() + "/tests/data/event_stream/framing_vectors.txt");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      std::string name;
      std::string hex;
      fields >> name >> hex;
      (*m)[name] = from_hex(hex);
    }
    return m;
  }();
  return *all;
}

const std::string& vector(const std::string& name) {
  const auto it = vectors().find(name);
  if (it == vectors().end()) throw std::runtime_error("no framing vector " + name);
  return it->second;
}

std::uint32_t get_u32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

void put_u32(std::string& bytes, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>(v >> (24 - 8 * i));
}

std::uint32_t crc(std::string_view bytes) { return crc32(0, bytes.data(), bytes.size()); }

// Rewrites the prelude CRC and the message CRC to match the bytes (the total length's worth).
std::string with_fixed_crcs(std::string bytes) {
  put_u32(bytes, 8, crc(std::string_view(bytes).substr(0, 8)));
  const std::uint32_t total = get_u32(bytes, 0);
  bytes.resize(total);
  put_u32(bytes, total - 4, crc(std::string_view(bytes).substr(0, total - 4)));
  return bytes;
}

// A 12-byte prelude with a correct CRC.
std::string prelude(std::uint32_t total, std::uint32_t headers) {
  std::string p(12, '\0');
  put_u32(p, 0, total);
  put_u32(p, 4, headers);
  put_u32(p, 8, crc(std::string_view(p).substr(0, 8)));
  return p;
}

EventStreamError decode_error(std::string_view bytes, const EventStreamLimits& limits = {}) {
  try {
    (void)decode_message(bytes, limits);
  } catch (const EventStreamError& e) {
    return e;
  }
  throw std::runtime_error("decoded without an error");
}

std::string encoded(const EventStreamMessage& m, const EventStreamLimits& limits = {}) {
  std::string out;
  encode_message(m, out, limits);
  return out;
}

EventStreamMessage all_types_message() {
  EventStreamMessage m;
  m.headers = {
      {"true", true},
      {"false", false},
      {"byte", std::int8_t{50}},
      {"short", std::int16_t{20000}},
      {"int", std::int32_t{500000}},
      {"long", std::int64_t{50000000000}},
      {"bytes", EventStreamBytes{"some bytes"}},
      {"str", std::string("some str")},
      {"time", EventStreamTimestamp(std::chrono::seconds(5000000))},
      {"uuid", EventStreamUuid{0xb7, 0x9b, 0xc9, 0x14, 0xde, 0x21, 0x4e, 0x13, 0xb8, 0xb2, 0xbc,
                               0x47, 0xe8, 0x5b, 0x7f, 0x0b}},
  };
  m.payload = "some payload";
  return m;
}

TEST(EventStreamCrc32, MatchesTheStandardCheckValueAndContinues) {
  // The CRC-32/ISO-HDLC check value (zlib's crc32 of "123456789").
  EXPECT_EQ(crc("123456789"), 0xCBF43926U);
  EXPECT_EQ(crc(""), 0U);
  // Continuing over pieces equals one pass, at every split and over the 8-byte fast path.
  const std::string text = "The quick brown fox jumps over the lazy dog, twice over: 0123456789";
  EXPECT_EQ(crc("The quick brown fox jumps over the lazy dog"), 0x414FA339U);
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const auto first = crc32(0, text.data(), i);
    EXPECT_EQ(crc32(first, text.data() + i, text.size() - i), crc(text)) << i;
  }
}

TEST(EventStreamFraming, PublishedValidMessagesDecodeAsTheirTestsAssert) {
  // aws-c-event-stream test_outgoing_no_op_valid: no headers, no payload.
  const auto no_op = decode_message(vector("aws_c_no_op"));
  EXPECT_TRUE(no_op.headers.empty());
  EXPECT_TRUE(no_op.payload.empty());

  const auto no_headers = decode_message(vector("aws_c_no_headers"));
  EXPECT_TRUE(no_headers.headers.empty());
  EXPECT_EQ(no_headers.payload, "{'foo':'bar'}");

  const auto one = decode_message(vector("aws_c_one_header"));
  ASSERT_EQ(one.headers.size(), 1U);
  EXPECT_EQ(one.headers[0], (EventStreamHeader{"content-type", std::string("application/json")}));
  EXPECT_EQ(one.payload, "{'foo':'bar'}");

  // smithy-rs frame.rs read_all_headers_and_payload.
  EXPECT_EQ(decode_message(vector("valid_with_all_headers_and_payload")), all_types_message());

  const auto empty_payload = decode_message(vector("valid_empty_payload"));
  ASSERT_EQ(empty_payload.headers.size(), 1U);
  EXPECT_EQ(empty_payload.headers[0], (EventStreamHeader{"some-header", std::int16_t{500}}));
  EXPECT_TRUE(empty_payload.payload.empty());

  const auto no_headers2 = decode_message(vector("valid_no_headers"));
  EXPECT_TRUE(no_headers2.headers.empty());
  EXPECT_EQ(no_headers2.payload, "another test payload");
}

TEST(EventStreamFraming, EncodingGivesThePublishedBytes) {
  // smithy-rs frame.rs round_trip_all_headers_payload: the same message encodes to its file.
  EXPECT_EQ(encoded(all_types_message()), vector("valid_with_all_headers_and_payload"));
  for (const char* name : {"aws_c_no_op", "aws_c_no_headers", "aws_c_one_header",
                           "valid_empty_payload", "valid_no_headers"}) {
    EXPECT_EQ(encoded(decode_message(vector(name))), vector(name)) << name;
  }
}

TEST(EventStreamFraming, PublishedCorruptMessagesFailTheNamedCheck) {
  // smithy-rs invalid_prelude_checksum / invalid_message_checksum, with the CRCs its test
  // expects (computed, then stored).
  auto e = decode_error(vector("invalid_prelude_checksum"));
  EXPECT_EQ(e.kind(), Kind::prelude_crc_mismatch);
  EXPECT_EQ(e.offset(), 8U);
  EXPECT_NE(std::string(e.what()).find("0xdeadbeef"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("0x8bb495fb"), std::string::npos) << e.what();

  e = decode_error(vector("invalid_message_checksum"));
  EXPECT_EQ(e.kind(), Kind::message_crc_mismatch);
  EXPECT_EQ(e.offset(), 146U);
  EXPECT_NE(std::string(e.what()).find("0x01a05860"), std::string::npos) << e.what();

  // invalid_headers_length: 77 header bytes in an 89-byte message (smithy-rs
  // InvalidHeadersLength).
  e = decode_error(vector("invalid_headers_length"));
  EXPECT_EQ(e.kind(), Kind::message_length_invalid);
  EXPECT_EQ(e.offset(), 4U);

  // smithy-rs checks the message CRC after the headers, so its header-error files carry a stale
  // one; awsauth checks it first (as botocore and aws-eventstream-java do) and says so...
  for (const char* name : {"invalid_header_name_length", "invalid_header_value_type",
                           "invalid_header_string_value_length"}) {
    EXPECT_EQ(decode_error(vector(name)).kind(), Kind::message_crc_mismatch) << name;
  }
  // ...and the 123-byte file holds a 93-byte message: bytes after it are a length mismatch.
  e = decode_error(vector("invalid_header_name_length_too_long"));
  EXPECT_EQ(e.kind(), Kind::length_mismatch);
  EXPECT_EQ(e.offset(), 93U);

  // With the CRCs corrected, the header check is the one that fails.
  struct Case {
    const char* name;
    Kind kind;
    std::uint64_t offset;
  };
  for (const Case& c : {
           // The "byte" header's name length says 255: past the section (smithy-rs
           // InvalidHeaderNameLength).
           Case{"invalid_header_name_length", Kind::header_truncated, 25},
           // Name length 0x66 after "true"'s type byte.
           Case{"invalid_header_name_length_too_long", Kind::header_truncated, 18},
           // Type 0x60 (smithy-rs InvalidHeaderValueType(0x60)).
           Case{"invalid_header_value_type", Kind::unknown_header_type, 30},
           // The section ends one byte into the string's length field (smithy-rs
           // InvalidHeaderValue).
           Case{"invalid_header_string_length_cut_off", Kind::header_truncated, 88},
           // String length 0xffff: above the 32767 awsauth (like aws-c-event-stream and
           // aws-eventstream-java) allows; smithy-rs reports it as running past the section.
           Case{"invalid_header_string_value_length", Kind::header_value_too_long, 88},
       }) {
    e = decode_error(with_fixed_crcs(vector(c.name)));
    EXPECT_EQ(e.kind(), c.kind) << c.name << ": " << e.what();
    EXPECT_EQ(e.offset(), c.offset) << c.name << ": " << e.what();
  }
  e = decode_error(with_fixed_crcs(vector("invalid_header_value_type")));
  EXPECT_NE(std::string(e.what()).find("'byte'"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("96"), std::string::npos) << e.what();
}

TEST(EventStreamFraming, EveryHeaderTypeRoundTripsAtItsExtremes) {
  EventStreamMessage m;
  m.headers = {
      {"t", true},
      {"f", false},
      {"b-min", std::int8_t{-128}},
      {"b-max", std::int8_t{127}},
      {"s-min", std::int16_t{-32768}},
      {"s-max", std::int16_t{32767}},
      {"i-min", std::int32_t{INT32_MIN}},
      {"i-max", std::int32_t{INT32_MAX}},
      {"l-min", std::int64_t{INT64_MIN}},
      {"l-max", std::int64_t{INT64_MAX}},
      {"bytes-empty", EventStreamBytes{}},
      {"bytes-binary", EventStreamBytes{std::string("\0\x01\xff\x80", 4)}},
      {"str-empty", std::string()},
      {"str-utf8", std::string("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac")},
      {"time-before-1970", EventStreamTimestamp(std::chrono::milliseconds(-1))},
      {"time-ms", EventStreamTimestamp(std::chrono::milliseconds(1700000000123))},
      {"uuid", EventStreamUuid{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255}},
      {"", std::string("an empty name is allowed by the wire")},
      {"dup", std::int32_t{1}},
      {"dup", std::int32_t{2}},
  };
  m.payload = std::string("\0payload\xff", 9);
  const std::string bytes = encoded(m);
  const auto back = decode_message(bytes);
  EXPECT_EQ(back, m);
  // Names repeat and keep their order; find() gives the first.
  ASSERT_NE(back.find("dup"), nullptr);
  EXPECT_EQ(std::get<std::int32_t>(back.find("dup")->value), 1);
  EXPECT_EQ(back.find("absent"), nullptr);
  EXPECT_EQ(header_type(back.headers[0].value), EventStreamHeaderType::bool_true);
  EXPECT_EQ(header_type(back.headers[1].value), EventStreamHeaderType::bool_false);
  EXPECT_EQ(header_type(back.headers[16].value), EventStreamHeaderType::uuid);
  // Prelude: the lengths as encoded, both CRCs as zlib computes them.
  EXPECT_EQ(get_u32(bytes, 0), bytes.size());
  EXPECT_EQ(get_u32(bytes, 8), crc(std::string_view(bytes).substr(0, 8)));
  EXPECT_EQ(get_u32(bytes, bytes.size() - 4),
            crc(std::string_view(bytes).substr(0, bytes.size() - 4)));
}

TEST(EventStreamFraming, EncodeAppendsToTheCallersBufferAndLeavesItAsItWasOnError) {
  std::string out = "before";
  encode_message(all_types_message(), out);
  EXPECT_EQ(out, "before" + vector("valid_with_all_headers_and_payload"));

  EventStreamMessage bad;
  bad.headers = {{"ok", true}, {std::string(256, 'n'), true}};
  std::string kept = "kept";
  try {
    encode_message(bad, kept);
    FAIL() << "a 256-byte name was encoded";
  } catch (const EventStreamError& e) {
    EXPECT_EQ(e.kind(), Kind::header_name_too_long);
    EXPECT_NE(std::string(e.what()).find("256"), std::string::npos) << e.what();
  }
  EXPECT_EQ(kept, "kept");
}

TEST(EventStreamFraming, MaximumSizesEncodeAndDecodeAndOneMoreIsRefused) {
  // A 255-byte name and a 32767-byte value.
  EventStreamMessage m;
  m.headers = {{std::string(255, 'n'), std::string(kEventStreamMaxHeaderValueSize, 'v')},
               {"b", EventStreamBytes{std::string(kEventStreamMaxHeaderValueSize, '\xff')}}};
  EXPECT_EQ(decode_message(encoded(m)), m);

  EventStreamMessage long_value;
  long_value.headers = {{"v", std::string(kEventStreamMaxHeaderValueSize + 1, 'v')}};
  std::string out;
  try {
    encode_message(long_value, out);
    FAIL();
  } catch (const EventStreamError& e) {
    EXPECT_EQ(e.kind(), Kind::header_value_too_long);
  }

  // Headers of exactly the limit pass, one byte more is refused, when encoding and decoding.
  const EventStreamLimits small{.max_headers_bytes = 64, .max_payload_bytes = 100};
  EventStreamMessage at_limit;
  at_limit.headers = {{"h", std::string(64 - 1 - 1 - 1 - 2, 'x')}};  // len, name, type, u16
  at_limit.payload = std::string(100, 'p');
  const std::string bytes = encoded(at_limit, small);
  EXPECT_EQ(decode_message(bytes, small), at_limit);

  auto over_headers = at_limit;
  std::get<std::string>(over_headers.headers[0].value).push_back('x');
  try {
    encode_message(over_headers, out, small);
    FAIL();
  } catch (const EventStreamError& e) {
    EXPECT_EQ(e.kind(), Kind::headers_too_long);
  }
  auto e = decode_error(encoded(over_headers), small);
  EXPECT_EQ(e.kind(), Kind::headers_too_long);
  EXPECT_EQ(e.offset(), 4U);

  auto over_payload = at_limit;
  over_payload.payload.push_back('p');
  try {
    encode_message(over_payload, out, small);
    FAIL();
  } catch (const EventStreamError& e2) {
    EXPECT_EQ(e2.kind(), Kind::payload_too_long);
  }
  e = decode_error(encoded(over_payload), small);
  EXPECT_EQ(e.kind(), Kind::payload_too_long);
  EXPECT_EQ(e.offset(), 0U);

  // The default limits: a 24 MiB payload passes, one byte more does not.
  EventStreamMessage big;
  big.payload.assign(EventStreamLimits{}.max_payload_bytes, 'z');
  EXPECT_EQ(decode_message(encoded(big)).payload.size(), big.payload.size());
  big.payload.push_back('z');
  EXPECT_THROW(encode_message(big, out), EventStreamError);
}

TEST(EventStreamFraming, EachCorruptionFailsItsCheckAtItsByte) {
  const std::string good = vector("valid_with_all_headers_and_payload");  // 150 bytes

  // A flipped bit in the total length: the prelude CRC no longer matches.
  std::string bad = good;
  bad[3] ^= 0x01;
  auto e = decode_error(bad);
  EXPECT_EQ(e.kind(), Kind::prelude_crc_mismatch);
  EXPECT_EQ(e.offset(), 8U);

  // A flipped bit in a header or the payload: the message CRC.
  for (std::size_t at : {12U, 40U, 140U, 145U}) {
    bad = good;
    bad[at] ^= 0x40;
    e = decode_error(bad);
    EXPECT_EQ(e.kind(), Kind::message_crc_mismatch) << at;
    EXPECT_EQ(e.offset(), 146U);
  }

  // Every truncation, inside the prelude or after it.
  for (std::size_t n = 0; n < good.size(); ++n) {
    e = decode_error(std::string_view(good).substr(0, n));
    EXPECT_EQ(e.kind(), Kind::truncated) << n;
    EXPECT_EQ(e.offset(), n);
  }

  // Bytes after the message.
  e = decode_error(good + "x");
  EXPECT_EQ(e.kind(), Kind::length_mismatch);
  EXPECT_EQ(e.offset(), 150U);
  EXPECT_NE(std::string(e.what()).find("150"), std::string::npos) << e.what();

  // A total length below 16 with a valid prelude CRC.
  e = decode_error(prelude(15, 0) + "abc");
  EXPECT_EQ(e.kind(), Kind::message_length_invalid);
  EXPECT_EQ(e.offset(), 0U);

  // A declared 4 GiB message is refused from its prelude alone, before its bytes are asked for.
  e = decode_error(prelude(0xFFFFFFFFU, 0));
  EXPECT_EQ(e.kind(), Kind::payload_too_long);
  e = decode_error(prelude(0xFFFFFFFFU, 1024 * 1024));
  EXPECT_EQ(e.kind(), Kind::headers_too_long);
  e = decode_error(prelude(100, 0xFFFFFFF0U));
  EXPECT_EQ(e.kind(), Kind::message_length_invalid);
  EXPECT_EQ(e.offset(), 4U);

  // A header whose value runs past the section (CRCs right): a string length of 10 with 3 bytes.
  std::string header = std::string("\x01h\x07\x00\x0a", 5) + "abc";
  std::string msg = prelude(static_cast<std::uint32_t>(16 + header.size()),
                            static_cast<std::uint32_t>(header.size())) +
                    header + "CRC!";
  e = decode_error(with_fixed_crcs(msg));
  EXPECT_EQ(e.kind(), Kind::header_truncated);
  EXPECT_EQ(e.offset(), 15U);  // the value (its length field) starts there
  // An int64 cut by the end of the section.
  header = std::string("\x01h\x05\x00\x00", 5);
  msg = prelude(static_cast<std::uint32_t>(16 + header.size()),
                static_cast<std::uint32_t>(header.size())) +
        header + "CRC!";
  e = decode_error(with_fixed_crcs(msg));
  EXPECT_EQ(e.kind(), Kind::header_truncated);
}

TEST(EventStreamFraming, ErrorsShowAHostileHeaderNamePrintableAndNeverItsValue) {
  std::string header = std::string("\x05\x1b[31m\x63", 7);  // ESC in the name, type 0x63
  std::string msg = prelude(static_cast<std::uint32_t>(16 + header.size()),
                            static_cast<std::uint32_t>(header.size())) +
                    header + "CRC!";
  const auto e = decode_error(with_fixed_crcs(msg));
  EXPECT_EQ(e.kind(), Kind::unknown_header_type);
  EXPECT_EQ(std::string(e.what()).find('\x1b'), std::string::npos) << e.what();

  std::string secret_value = std::string("\x01s\x07\x00\x06", 5) + "SECRET";
  secret_value += std::string("\x01t\x63", 3);
  msg = prelude(static_cast<std::uint32_t>(16 + secret_value.size()),
                static_cast<std::uint32_t>(secret_value.size())) +
        secret_value + "CRC!";
  const auto e2 = decode_error(with_fixed_crcs(msg));
  EXPECT_EQ(e2.kind(), Kind::unknown_header_type);
  EXPECT_EQ(std::string(e2.what()).find("SECRET"), std::string::npos) << e2.what();
}

TEST(EventStreamFraming, DecodingIntoAMessageReusesItAndReplacesEverything) {
  EventStreamMessage out = all_types_message();
  out.headers.push_back({"extra", true});
  decode_message(vector("valid_empty_payload"), out);
  ASSERT_EQ(out.headers.size(), 1U);
  EXPECT_EQ(out.headers[0], (EventStreamHeader{"some-header", std::int16_t{500}}));
  EXPECT_TRUE(out.payload.empty());
}

// The concatenation of several published messages, and each decoded alone.
struct Stream {
  std::string bytes;
  std::vector<EventStreamMessage> messages;
};

Stream published_stream() {
  Stream s;
  for (const char* name : {"valid_with_all_headers_and_payload", "aws_c_no_op",
                           "valid_empty_payload", "aws_c_one_header", "valid_no_headers"}) {
    s.bytes += vector(name);
    s.messages.push_back(decode_message(vector(name)));
  }
  return s;
}

std::vector<EventStreamMessage> decode_in_pieces(const std::string& bytes,
                                                 const std::vector<std::size_t>& cuts) {
  EventStreamDecoder decoder;
  std::vector<EventStreamMessage> out;
  std::size_t from = 0;
  auto drain = [&] {
    EventStreamMessage m;
    while (decoder.next(m)) out.push_back(m);
  };
  for (std::size_t cut : cuts) {
    decoder.feed(std::string_view(bytes).substr(from, cut - from));
    drain();
    from = cut;
  }
  decoder.feed(std::string_view(bytes).substr(from));
  drain();
  decoder.finish();
  EXPECT_EQ(decoder.buffered(), 0U);
  EXPECT_EQ(decoder.consumed(), bytes.size());
  return out;
}

TEST(EventStreamDecoder, GivesTheSameMessagesForEverySplitOfTheBytes) {
  const Stream s = published_stream();
  // Every split into two pieces.
  for (std::size_t cut = 0; cut <= s.bytes.size(); ++cut) {
    ASSERT_EQ(decode_in_pieces(s.bytes, {cut}), s.messages) << "cut at " << cut;
  }
  // Fixed-size pieces, one byte at a time included.
  for (std::size_t size = 1; size <= 17; ++size) {
    std::vector<std::size_t> cuts;
    for (std::size_t at = size; at < s.bytes.size(); at += size) cuts.push_back(at);
    ASSERT_EQ(decode_in_pieces(s.bytes, cuts), s.messages) << "pieces of " << size;
  }
  // Random cuts (fixed seed), empty pieces included.
  std::mt19937 rng(20261117);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::size_t> cuts;
    std::uniform_int_distribution<std::size_t> at(0, s.bytes.size());
    for (int i = 0; i < 12; ++i) cuts.push_back(at(rng));
    std::sort(cuts.begin(), cuts.end());
    ASSERT_EQ(decode_in_pieces(s.bytes, cuts), s.messages) << "round " << round;
  }
}

TEST(EventStreamDecoder, ReportsStreamOffsetsAndStaysFailed) {
  const std::string first = vector("valid_no_headers");  // 36 bytes
  std::string second = vector("valid_with_all_headers_and_payload");
  second[100] ^= 0x01;
  EventStreamDecoder decoder;
  decoder.feed(first + second);
  EventStreamMessage m;
  ASSERT_TRUE(decoder.next(m));
  try {
    (void)decoder.next(m);
    FAIL() << "a corrupt message was decoded";
  } catch (const EventStreamError& e) {
    EXPECT_EQ(e.kind(), Kind::message_crc_mismatch);
    EXPECT_EQ(e.offset(), 36U + 146U);
  }
  decoder.feed(vector("valid_no_headers"));
  EXPECT_THROW((void)decoder.next(m), EventStreamError);
  EXPECT_THROW(decoder.finish(), EventStreamError);
}

TEST(EventStreamDecoder, RefusesAnOversizedPreludeBeforeItsBytesArrive) {
  EventStreamDecoder decoder;
  decoder.feed(vector("aws_c_no_op"));
  decoder.feed(prelude(200U * 1024 * 1024, 0));
  EventStreamMessage m;
  ASSERT_TRUE(decoder.next(m));
  try {
    (void)decoder.next(m);
    FAIL();
  } catch (const EventStreamError& e) {
    EXPECT_EQ(e.kind(), Kind::payload_too_long);
    EXPECT_EQ(e.offset(), 16U);
  }
}

TEST(EventStreamDecoder, FinishSaysTheStreamEndedInsideAMessage) {
  const std::string bytes = vector("valid_no_headers");
  EventStreamDecoder decoder;
  decoder.feed(std::string_view(bytes).substr(0, 20));
  EventStreamMessage m;
  EXPECT_FALSE(decoder.next(m));
  EXPECT_EQ(decoder.buffered(), 20U);
  try {
    decoder.finish();
    FAIL();
  } catch (const EventStreamError& e) {
    EXPECT_EQ(e.kind(), Kind::truncated);
    EXPECT_EQ(e.offset(), 20U);
  }
  // Fewer bytes than a prelude are not checked yet, but are still a truncated end.
  EventStreamDecoder short_one;
  short_one.feed("abc");
  EXPECT_FALSE(short_one.next(m));
  EXPECT_THROW(short_one.finish(), EventStreamError);
}

}  // namespace
}  // namespace awsauth::signer
