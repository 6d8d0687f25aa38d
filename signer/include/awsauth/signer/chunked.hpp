#pragma once
/// @file chunked.hpp
/// aws-chunked uploads (S3 "Transferring Payload in Multiple Chunks" and "Including Trailing
/// Headers"): the body goes out as signed (or unsigned) chunks, optionally followed by a
/// trailer carrying a checksum, so a client never needs the whole body — or its hash — before
/// it starts sending. See docs/streaming.md.
///
// clang-format off
/// ```
/// ChunkedUpload upload{.mode = ChunkedMode::SignedPayloadTrailer, .decoded_length = size,
///                      .checksum = ChecksumAlgorithm::Crc32c};
/// Request request = parse_url("PUT", "https://bucket.s3.us-east-1.amazonaws.com/key");
/// Payload payload = prepare_chunked_request(request, upload);  // adds the aws-chunked headers
/// SigningResult seed = sign(request, payload, credentials,
///                           SigningSettings::for_service("us-east-1", "s3"), now);
/// AwsChunkedEncoder body(upload, StreamingSeed::from(seed), read_from_file);
/// // send request.headers + seed.headers, Content-Length = chunked_encoded_length(upload),
/// // and the body from body.read(buffer, capacity) until it returns 0
/// ```
// clang-format on

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/export.hpp"
#include "awsauth/signer/checksum.hpp"
#include "awsauth/signer/payload.hpp"
#include "awsauth/signer/request.hpp"
#include "awsauth/signer/signing_key.hpp"

namespace awsauth::signer {

struct SigningResult;

/// `x-amz-content-sha256` of a signed aws-chunked body without trailer.
inline constexpr std::string_view kStreamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
/// ... of a signed aws-chunked body with a signed trailer.
inline constexpr std::string_view kStreamingSignedPayloadTrailer =
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
/// ... of an unsigned aws-chunked body with an (unsigned) trailer.
inline constexpr std::string_view kStreamingUnsignedPayloadTrailer =
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// The algorithm line of a chunk's string to sign.
inline constexpr std::string_view kChunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD";
/// The algorithm line of the trailer's string to sign.
inline constexpr std::string_view kTrailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER";

/// S3's smallest chunk: every chunk but the last must carry at least this many bytes.
inline constexpr std::size_t kMinChunkSize = 8192;
/// The chunk size the AWS SDKs use.
inline constexpr std::size_t kDefaultChunkSize = 65536;
/// The largest chunk size accepted here (the encoder holds one chunk in memory).
inline constexpr std::size_t kMaxChunkSize = std::size_t{16} << 20;

/// The three aws-chunked variants.
enum class ChunkedMode {
  SignedPayload,           ///< STREAMING-AWS4-HMAC-SHA256-PAYLOAD
  SignedPayloadTrailer,    ///< STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
  UnsignedPayloadTrailer,  ///< STREAMING-UNSIGNED-PAYLOAD-TRAILER
};

/// The `x-amz-content-sha256` literal of a mode.
[[nodiscard]] AWSAUTH_API std::string_view chunked_payload_literal(ChunkedMode mode) noexcept;
/// True for the two trailer modes.
[[nodiscard]] AWSAUTH_API bool chunked_mode_has_trailer(ChunkedMode mode) noexcept;
/// True for the two modes whose chunks carry `;chunk-signature=`.
[[nodiscard]] AWSAUTH_API bool chunked_mode_is_signed(ChunkedMode mode) noexcept;

/// What is uploaded: the mode, the payload's size (`X-Amz-Decoded-Content-Length`), the size of
/// every chunk but the last, and the trailing checksum (trailer modes only).
struct AWSAUTH_API ChunkedUpload {
  ChunkedMode mode = ChunkedMode::SignedPayload;
  std::uint64_t decoded_length = 0;
  std::size_t chunk_size = kDefaultChunkSize;
  /// Required in the trailer modes (it is the trailer); not allowed in SignedPayload mode
  /// (whose body has no trailer — send a precomputed `x-amz-checksum-*` header instead).
  std::optional<ChecksumAlgorithm> checksum;

  /// Throws SigningError naming what is wrong: a chunk size under kMinChunkSize or over
  /// kMaxChunkSize, a trailer mode without a checksum, a checksum in SignedPayload mode.
  void validate() const;
};

/// The exact encoded body size (the `Content-Length` to send), computed in advance. Validates
/// `upload` first. Framing, with `S` = `;chunk-signature=<64 hex>` in the signed modes and
/// empty in the unsigned one:
///
///     <hex size>S\r\n<data>\r\n        every data chunk
///     0S\r\n                           the final chunk
///     \r\n                             SignedPayload: end of body
///     <x-amz-checksum-alg>:<b64>\r\n   trailer modes: the trailer line
///     x-amz-trailer-signature:<64 hex>\r\n   SignedPayloadTrailer only
///     \r\n                             trailer modes: end of body
[[nodiscard]] AWSAUTH_API std::uint64_t chunked_encoded_length(const ChunkedUpload& upload);

/// Whether prepare_chunked_request() adds the encoded Content-Length to the signed headers.
/// S3's trailer example signs without it; either way the client must send the encoded length.
enum class ChunkedContentLength { Add, Omit };

/// Prepares `request` for the seed signature and returns the payload line to sign it with
/// (`Payload::precomputed(chunked_payload_literal(mode))`). Validates `upload`, then sets
/// (replacing same-named headers, any case):
///   - `Content-Encoding: aws-chunked`; an existing other encoding is kept after it, as S3
///     documents (`aws-chunked,gzip`); an existing `aws-chunked` is not repeated;
///   - `X-Amz-Decoded-Content-Length: <decoded_length>`;
///   - `Content-Length: <chunked_encoded_length()>` unless `content_length` is Omit (then any
///     Content-Length header is removed);
///   - `X-Amz-Content-SHA256: <literal>` (sign() replaces it with its own, the same value, when
///     the settings add the header; with other settings it is signed as given);
///   - `X-Amz-Trailer: x-amz-checksum-<alg>` in the trailer modes (removed otherwise).
/// Sign with `SigningSettings::for_service(region, "s3")`, which signs X-Amz-Content-SHA256.
[[nodiscard]] AWSAUTH_API Payload
prepare_chunked_request(Request& request, const ChunkedUpload& upload,
                        ChunkedContentLength content_length = ChunkedContentLength::Add);

/// What chunk signatures chain from: the seed signature's signing key, date and scope, and the
/// seed signature itself (the first "previous signature"). Explicit values, so a signature can
/// be continued in another process or after a restart.
struct AWSAUTH_API StreamingSeed {
  SigningKey signing_key;
  std::string amz_date;          ///< YYYYMMDDTHHMMSSZ
  std::string credential_scope;  ///< date/region/service/aws4_request
  std::string seed_signature;    ///< 64 lowercase hex

  /// The values of a header-mode sign() result.
  [[nodiscard]] static StreamingSeed from(const SigningResult& seed);
};

/// Signs aws-chunked chunks and the trailer, each chained to the previous signature:
///
///     AWS4-HMAC-SHA256-PAYLOAD\n<amz_date>\n<scope>\n<previous>\n<sha256("")>\n<sha256(chunk)>
///     AWS4-HMAC-SHA256-TRAILER\n<amz_date>\n<scope>\n<previous>\n<sha256(trailer lines)>
///
/// A chunk can be fed in pieces (begin_chunk / update_chunk / finish_chunk), so a chunk that
/// arrives from a socket in parts is hashed as it comes and never held twice.
class AWSAUTH_API ChunkSigner {
 public:
  explicit ChunkSigner(const StreamingSeed& seed);
  explicit ChunkSigner(const SigningResult& seed);
  ~ChunkSigner();
  ChunkSigner(ChunkSigner&&) noexcept;
  ChunkSigner& operator=(ChunkSigner&&) noexcept;
  ChunkSigner(const ChunkSigner&) = delete;
  ChunkSigner& operator=(const ChunkSigner&) = delete;

  /// The signature of one whole chunk (the final chunk is the empty one); it becomes the
  /// previous signature.
  std::string sign_chunk(std::string_view data);

  /// Starts a chunk fed in pieces (discarding any piece fed since the last finish).
  void begin_chunk();
  void update_chunk(std::string_view piece);
  /// The signature of the pieces fed since begin_chunk() (or the last finish_chunk()).
  std::string finish_chunk();

  /// The trailer signature over `canonical_trailer`, the trailer lines as hashed:
  /// each `name:value\n` (LF, not the CRLF of the wire), e.g. `x-amz-checksum-crc32c:sOO8/Q==\n`.
  std::string sign_trailer(std::string_view canonical_trailer);
  /// The same over `name:value\n` lines built from `trailers` (names lowercased, in order).
  std::string sign_trailer(const std::vector<Header>& trailers);

  /// The string to sign of the last signature made (for tests and `-v` output).
  [[nodiscard]] const std::string& last_string_to_sign() const noexcept;
  /// The signature the next one chains from (the seed signature before the first chunk).
  [[nodiscard]] const std::string& previous_signature() const noexcept;

 private:
  friend class AwsChunkedEncoder;  // signs in place, without a string per chunk
  struct State;
  std::unique_ptr<State> state_;
};

/// Where an encoder reads the payload: fill up to `capacity` bytes at `out`, return how many
/// (0 at the end of the payload). Short reads are fine. Exceptions propagate out of read().
using ChunkSource = std::function<std::size_t(char* out, std::size_t capacity)>;

/// Produces the aws-chunked body in constant memory (one chunk plus its framing), pulled by
/// any HTTP client's body callback: libcurl's CURLOPT_READFUNCTION, Poco's output-stream loop,
/// Beast's buffer body. It reads `chunk_size` bytes from the source per chunk (a short read is
/// not the end of a chunk: it reads on until the chunk is full or the source ends), hashes and
/// checksums them as they arrive, and writes the framing around them.
class AWSAUTH_API AwsChunkedEncoder {
 public:
  /// Validates `upload` (SigningError). The signed modes chain from `seed`.
  AwsChunkedEncoder(const ChunkedUpload& upload, const StreamingSeed& seed, ChunkSource source);
  AwsChunkedEncoder(const ChunkedUpload& upload, const SigningResult& seed, ChunkSource source);
  /// UnsignedPayloadTrailer only (nothing is signed); SigningError for another mode.
  AwsChunkedEncoder(const ChunkedUpload& upload, ChunkSource source);
  ~AwsChunkedEncoder();
  AwsChunkedEncoder(AwsChunkedEncoder&&) noexcept;
  AwsChunkedEncoder& operator=(AwsChunkedEncoder&&) noexcept;
  AwsChunkedEncoder(const AwsChunkedEncoder&) = delete;
  AwsChunkedEncoder& operator=(const AwsChunkedEncoder&) = delete;

  /// Writes up to `capacity` encoded bytes to `out` and returns how many; 0 only at the end of
  /// the body (with capacity > 0). Throws SigningError when the source delivers fewer or more
  /// bytes than `decoded_length` (after which the encoder stays failed).
  std::size_t read(char* out, std::size_t capacity);

  /// chunked_encoded_length(upload): the total read() will return.
  [[nodiscard]] std::uint64_t encoded_length() const noexcept;
  /// Encoded bytes returned so far.
  [[nodiscard]] std::uint64_t produced() const noexcept;
  /// True once the whole body has been returned.
  [[nodiscard]] bool done() const noexcept;
  /// The trailing checksum's base64 value, once the payload has been read (empty before, and
  /// in SignedPayload mode).
  [[nodiscard]] const std::string& checksum_value() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// An aws-chunked body that does not decode or verify; `offset()` is the byte of the body
/// where the problem was found.
class AWSAUTH_API AwsChunkedError : public SigningError {
 public:
  AwsChunkedError(std::uint64_t offset, const std::string& what);
  [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }

 private:
  std::uint64_t offset_;
};

/// What decode_aws_chunked() found.
struct AWSAUTH_API DecodedAwsChunked {
  std::string payload;
  std::vector<Header> trailers;          ///< in body order (x-amz-trailer-signature left out)
  std::vector<std::size_t> chunk_sizes;  ///< every chunk, the final 0 included
};

/// Decodes an aws-chunked `body` sent in `mode` and verifies it: in the signed modes every
/// chunk signature (chained from `seed`) and, in SignedPayloadTrailer mode, the trailer
/// signature; in the trailer modes, that every `x-amz-checksum-*` trailer matches the payload.
/// When `decoded_length` is given, the payload must have that size. Sizes are bounded (a hex
/// size of more than 16 digits, or one past the end of the body, is an error), nothing is read
/// outside `body`, and any malformed input throws AwsChunkedError with the offending offset.
/// (`seed` is not used in UnsignedPayloadTrailer mode.)
[[nodiscard]] AWSAUTH_API DecodedAwsChunked
decode_aws_chunked(std::string_view body, ChunkedMode mode, const StreamingSeed& seed,
                   std::optional<std::uint64_t> decoded_length = std::nullopt);

}  // namespace awsauth::signer
