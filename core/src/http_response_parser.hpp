#pragma once
// Pure parsing of an HTTP/1.1 response from bytes: the status line and headers, and the chunked
// transfer coding. The Poco HttpClient reads raw bytes from the socket under the whole-request
// deadline and feeds them here, so a server trickling its headers cannot outlast the deadline
// (Poco's own receiveResponse reads the head with a per-read timeout only). No I/O, so the
// fuzzer can drive it directly.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "awsauth/http.hpp"

namespace awsauth::http_parse {

/// The status line and headers are capped: a peer sending more is malformed, not large.
inline constexpr std::size_t kMaxHeadBytes = 64 * 1024;
inline constexpr std::size_t kMaxHeaderCount = 200;

/// A malformed response; the message says what was wrong and never quotes header values.
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ResponseHead {
  int status = 0;
  std::string reason;
  HttpHeaders headers;
  int minor_version = 1;  ///< the `x` of `HTTP/1.x`
};

/// True when the connection may carry another request after this response's body (RFC 9112
/// section 9.3): HTTP/1.1 without `Connection: close`, or HTTP/1.0 with `Connection: keep-alive`.
[[nodiscard]] bool keeps_connection_open(const ResponseHead& head);

/// Length of the head (status line, headers and the empty line ending them) at the start of
/// `buffer`, or nullopt while it is incomplete. Lines end in CRLF or, leniently, a bare LF
/// (RFC 9112 section 2.2). Throws ParseError when no complete head fits in kMaxHeadBytes.
[[nodiscard]] std::optional<std::size_t> find_head_end(std::string_view buffer);

/// Parses a complete head as found by find_head_end(). Strict: `HTTP/1.x SP 3DIGIT [SP reason]`,
/// header names are RFC 9110 tokens, no obsolete line folding, at most kMaxHeaderCount headers.
[[nodiscard]] ResponseHead parse_response_head(std::string_view head);

/// How the body of a response is delimited (RFC 9112 section 6.3).
struct BodyFraming {
  enum class Kind { None, ContentLength, Chunked, UntilClose } kind = Kind::UntilClose;
  std::uint64_t length = 0;  ///< for ContentLength
};

/// Framing for `head` answering a request with `method`. Throws ParseError on a malformed or
/// conflicting Content-Length.
[[nodiscard]] BodyFraming body_framing(const ResponseHead& head, std::string_view method);

/// Incremental decoder of the chunked transfer coding; fed bytes as they arrive.
class ChunkedDecoder {
 public:
  /// Appends the decoded data in `input` to `out`; returns how many input bytes were consumed
  /// (fewer than given only once done(): the rest follows the message). Throws ParseError on a
  /// malformed chunk size or framing, and when trailers exceed kMaxHeadBytes.
  std::size_t feed(std::string_view input, std::string& out);
  /// True once the last chunk and the trailer section have been read.
  [[nodiscard]] bool done() const noexcept { return state_ == State::Done; }

 private:
  enum class State {
    Size,
    Extension,
    SizeLf,
    Data,
    DataCr,
    DataLf,
    TrailerLineStart,
    Trailer,
    FinalLf,
    Done
  };
  State state_ = State::Size;
  std::uint64_t remaining_ = 0;
  int size_digits_ = 0;
  std::size_t trailer_bytes_ = 0;  ///< bytes of the current extension or of all trailers
};

}  // namespace awsauth::http_parse
