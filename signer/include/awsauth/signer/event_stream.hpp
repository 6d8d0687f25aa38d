#pragma once
/// @file event_stream.hpp
/// The AWS event stream encoding (`application/vnd.amazon.eventstream`: Transcribe streaming,
/// Kinesis SubscribeToShard, Lex, Bedrock, S3 SelectObjectContent...) and SigV4 signing of the
/// messages a client sends on one.
///
/// A message on the wire:
///
/// ```
/// total length (u32 BE) | headers length (u32 BE) | prelude CRC32 (of the 8 bytes before it)
/// headers: name length (u8) | name | type (u8) | value
/// payload
/// message CRC32 (of every byte before it, the prelude included)
/// ```
///
/// Signing: the initial HTTP request is signed with the payload hash
/// kEventStreamPayloadHash; then each message is sent inside an outer message whose headers
/// are `:chunk-signature` (the raw 32 bytes of its signature) and `:date`, and whose payload
/// is the encoded message. Each signature chains from the one before it, starting at the
/// initial request's (the seed signature). docs/event-streams.md has the details.
///
// clang-format off
/// ```
/// auto seed = awsauth::signer::sign(request, awsauth::signer::Payload::precomputed(
///     awsauth::signer::kEventStreamPayloadHash), credentials, settings, now);
/// awsauth::signer::EventStreamSigner signer(seed, credentials);
/// std::string body;
/// signer.sign_message(audio_event, now, body);   // append each outer message to the body
/// signer.finish(now, body);                      // the empty end-of-stream message
/// ```
// clang-format on

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "awsauth/credentials.hpp"
#include "awsauth/export.hpp"
#include "awsauth/secret.hpp"
#include "awsauth/signer/signing_key.hpp"

namespace awsauth::signer {

struct SigningResult;

/// The payload hash the initial request of a signed event stream carries
/// (X-Amz-Content-SHA256 and the canonical request's last line).
inline constexpr std::string_view kEventStreamPayloadHash = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// The wire type codes of header values.
enum class EventStreamHeaderType : std::uint8_t {
  bool_true = 0,
  bool_false = 1,
  byte = 2,
  int16 = 3,
  int32 = 4,
  int64 = 5,
  byte_array = 6,
  string = 7,
  timestamp = 8,  ///< int64 milliseconds since the Unix epoch
  uuid = 9,
};

/// A byte-array header value (type 6), kept apart from a string (type 7).
struct AWSAUTH_API EventStreamBytes {
  std::string bytes;
  friend bool operator==(const EventStreamBytes&, const EventStreamBytes&) = default;
};

/// A timestamp header value: milliseconds since the Unix epoch, as on the wire.
using EventStreamTimestamp =
    std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

/// A UUID header value: its 16 bytes in wire order.
using EventStreamUuid = std::array<std::uint8_t, 16>;

/// A header value. The alternative decides the wire type: bool (0 or 1, no value bytes),
/// int8_t (2), int16_t (3), int32_t (4), int64_t (5), EventStreamBytes (6), std::string (7,
/// its bytes as given: UTF-8 is not checked), EventStreamTimestamp (8), EventStreamUuid (9).
using EventStreamHeaderValue =
    std::variant<bool, std::int8_t, std::int16_t, std::int32_t, std::int64_t, EventStreamBytes,
                 std::string, EventStreamTimestamp, EventStreamUuid>;

/// The wire type of a value.
[[nodiscard]] AWSAUTH_API EventStreamHeaderType header_type(const EventStreamHeaderValue& value);

/// One header: a name of at most 255 bytes and a value.
struct AWSAUTH_API EventStreamHeader {
  std::string name;
  EventStreamHeaderValue value;
  friend bool operator==(const EventStreamHeader&, const EventStreamHeader&) = default;
};

/// A message: headers in wire order (a name may repeat; nothing is merged) and a payload.
struct AWSAUTH_API EventStreamMessage {
  std::vector<EventStreamHeader> headers;
  std::string payload;

  /// The first header of that name, or nullptr.
  [[nodiscard]] const EventStreamHeader* find(std::string_view name) const noexcept;
  friend bool operator==(const EventStreamMessage&, const EventStreamMessage&) = default;
};

/// The fixed sizes of the framing.
inline constexpr std::size_t kEventStreamPreludeSize = 12;  ///< two lengths and the prelude CRC
inline constexpr std::size_t kEventStreamTrailerSize = 4;   ///< the message CRC
/// The longest header name (its length is one byte).
inline constexpr std::size_t kEventStreamMaxHeaderNameSize = 255;
/// The longest byte-array or string value: the wire's u16 would allow 65535, but
/// aws-c-event-stream, aws-eventstream-java and aws-sdk-go cap it at INT16_MAX, so awsauth
/// neither writes nor accepts more.
inline constexpr std::size_t kEventStreamMaxHeaderValueSize = 32767;

/// Size bounds applied by the encoder and the decoders, before any byte of a message is kept.
/// The defaults: headers 128 KiB (botocore, aws-sdk-go, aws-eventstream-java), payload 24 MiB
/// (botocore 1.43 and aws-c-event-stream, after the services' own 24 MB limit; aws-sdk-go v1
/// and aws-eventstream-java stop at 16 MiB).
struct AWSAUTH_API EventStreamLimits {
  std::size_t max_headers_bytes = 128 * 1024;
  std::size_t max_payload_bytes = 24 * 1024 * 1024;
};

/// Which check a message failed.
enum class EventStreamErrorKind {
  truncated,               ///< the input ends inside a message
  length_mismatch,         ///< decode_message: bytes left after the message's total length
  message_length_invalid,  ///< total length below 16, or headers length beyond it
  headers_too_long,        ///< headers length above the limit (encode or decode)
  payload_too_long,        ///< payload above the limit (encode or decode)
  prelude_crc_mismatch,    ///< the prelude CRC does not match its 8 bytes
  message_crc_mismatch,    ///< the message CRC does not match the bytes before it
  header_truncated,        ///< a header runs past the end of the headers section
  header_name_too_long,    ///< encode: a name above 255 bytes
  header_value_too_long,   ///< a byte-array or string value above 32767 bytes
  unknown_header_type,     ///< a value type code above 9
};

/// A message that cannot be encoded or decoded: which check failed and where. For decoding,
/// offset() is the byte (counted from the start of the input, or of the stream for
/// EventStreamDecoder) where the failing field starts, or where a truncated input ends; 0 for
/// encoding errors. Messages name a header (made printable)
/// but never quote a value or payload.
class AWSAUTH_API EventStreamError : public std::runtime_error {
 public:
  EventStreamError(EventStreamErrorKind kind, std::uint64_t offset, const std::string& what);
  [[nodiscard]] EventStreamErrorKind kind() const noexcept { return kind_; }
  [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }

 private:
  EventStreamErrorKind kind_;
  std::uint64_t offset_;
};

/// Appends the encoded `message` to `out`. Throws EventStreamError (header_name_too_long,
/// header_value_too_long, headers_too_long, payload_too_long); `out`
/// is then left as it was.
AWSAUTH_API void encode_message(const EventStreamMessage& message, std::string& out,
                                const EventStreamLimits& limits = {});

/// Appends the encoded headers alone (what the `:date` line of an event signature hashes).
AWSAUTH_API void encode_headers(const std::vector<EventStreamHeader>& headers, std::string& out);

/// Decodes `bytes`, which must hold exactly one message. Checks, in order: the prelude is
/// there, its CRC, the lengths and limits, the whole message is there and nothing follows, the
/// message CRC, then each header. Throws EventStreamError naming the first check that failed.
/// `out` is overwritten (its buffers reused).
AWSAUTH_API void decode_message(std::string_view bytes, EventStreamMessage& out,
                                const EventStreamLimits& limits = {});
/// The same, returning the message.
[[nodiscard]] AWSAUTH_API EventStreamMessage decode_message(std::string_view bytes,
                                                            const EventStreamLimits& limits = {});

/// Reads messages from a stream of bytes that arrive in arbitrary pieces (a response body):
/// feed() what was read, then call next() until it returns false. A message is buffered until
/// it is whole, and its prelude is checked (CRC, lengths, limits) as soon as its 12 bytes are
/// there, so a corrupt or oversized length is refused before its bytes are waited for or kept.
/// After an error the stream cannot be resynchronized: every later next() throws it again.
class AWSAUTH_API EventStreamDecoder {
 public:
  explicit EventStreamDecoder(EventStreamLimits limits = {});

  /// Adds bytes read from the stream.
  void feed(std::string_view bytes);
  /// The next whole message into `out`: true; false when more bytes are needed. Throws
  /// EventStreamError with the stream offset of the failing field.
  bool next(EventStreamMessage& out);
  /// At the end of the stream: throws EventStreamError(truncated) when part of a message is
  /// still buffered (the body ended inside it).
  void finish() const;

  /// Bytes fed and not yet returned as messages.
  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size() - start_; }
  /// Bytes of the stream returned as messages so far.
  [[nodiscard]] std::uint64_t consumed() const noexcept { return consumed_; }

 private:
  EventStreamLimits limits_;
  std::string buffer_;
  std::size_t start_ = 0;       // where the next message starts in buffer_
  std::uint64_t consumed_ = 0;  // the stream offset of buffer_[start_]
  std::optional<EventStreamError> failed_;
};

/// Step 2 of an event signature, the string to sign:
/// `AWS4-HMAC-SHA256-PAYLOAD\n<amz_date>\n<credential_scope>\n<previous_signature>\n`
/// `<hex sha256(encoded_headers)>\n<hex sha256(payload)>`, where `encoded_headers` are the
/// message's non-signature headers as encoded (the `:date` header) and `payload` the encoded
/// inner message (empty for the end of the stream).
[[nodiscard]] AWSAUTH_API std::string event_stream_string_to_sign(
    std::string_view amz_date, std::string_view credential_scope,
    std::string_view previous_signature, std::string_view encoded_headers,
    std::string_view payload);

/// Signs the messages of one event stream, each chaining from the signature before it.
///
/// Each message is signed at its own time: `:date` carries it (truncated to whole seconds, as
/// smithy-rs does, so that it equals the string to sign's date), and the credential scope is
/// that time's UTC day, as smithy-rs (`aws-sigv4` event_stream.rs), aws-sdk-go-v2
/// (`StreamSigner`) and aws-c-auth (`AWS_ST_HTTP_REQUEST_EVENT`) do: a stream that crosses
/// midnight UTC switches to the new day's scope and key. A signer made with credentials
/// derives that key; one made from a signing key alone throws SigningError for a message on
/// another day than its key's.
///
/// Not thread-safe: one stream, one signer, messages signed in the order they are sent.
class AWSAUTH_API EventStreamSigner {
 public:
  /// From explicit values: the key and scope of the initial request and its signature (hex).
  EventStreamSigner(SigningKey key, Scope scope, std::string seed_signature);
  /// From the initial request's signing (its signing_key, scope and signature).
  explicit EventStreamSigner(const SigningResult& initial);
  /// The same, with the credentials it was signed with: messages on a later UTC day are signed
  /// with that day's key. Keeps a copy of the secret (wiped on destruction).
  EventStreamSigner(const SigningResult& initial, const Credentials& credentials);
  ~EventStreamSigner();
  EventStreamSigner(const EventStreamSigner&) = delete;
  EventStreamSigner& operator=(const EventStreamSigner&) = delete;
  EventStreamSigner(EventStreamSigner&&) noexcept;
  EventStreamSigner& operator=(EventStreamSigner&&) noexcept;

  /// Encodes `inner`, signs it at `time` and appends the outer message (`:chunk-signature`,
  /// `:date`, payload = the encoded `inner`) to `out`. Throws EventStreamError when `inner`
  /// cannot be encoded, SigningError when the day changed and there is no secret.
  void sign_message(const EventStreamMessage& inner, TimePoint time, std::string& out);
  /// The same for a message already encoded (its bytes are the outer payload as given).
  /// Throws EventStreamError(payload_too_long) above the default 24 MiB payload limit.
  void sign_encoded(std::string_view encoded_inner, TimePoint time, std::string& out);
  /// Appends the signed end-of-stream message: the same outer headers, an empty payload.
  void finish(TimePoint time, std::string& out);

  /// The last signature (hex): the seed before the first message.
  [[nodiscard]] const std::string& previous_signature() const noexcept { return previous_; }
  /// The last message's string to sign (empty before the first), for diagnostics.
  [[nodiscard]] const std::string& last_string_to_sign() const noexcept { return string_to_sign_; }
  /// The scope the last message was signed in (the initial one before the first).
  [[nodiscard]] const Scope& scope() const noexcept { return scope_; }

 private:
  void use_day_of(TimePoint time);

  SigningKey key_;
  Scope scope_;
  std::string previous_;
  std::optional<SecretString> secret_;
  // Reused per message.
  std::string credential_scope_;
  std::string string_to_sign_;
  std::string inner_;
  std::string date_header_;
  std::string outer_headers_;
};

}  // namespace awsauth::signer
