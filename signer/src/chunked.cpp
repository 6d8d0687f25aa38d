// aws-chunked (chunked.hpp): the encoded length, the seed request's headers, the chunk and
// trailer signature chain, the pull encoder and the verifying decoder. The framing follows the
// S3 API Reference pages sigv4-streaming.html and sigv4-streaming-trailers.html; the unsigned
// variant's (no `;chunk-signature=`, trailer lines after `0\r\n`) is the one aws-sdk-go-v2 and
// smithy-rs send.

#include "awsauth/signer/chunked.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "awsauth/signer/signer.hpp"
#include "crypto.hpp"

namespace awsauth::signer {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kSignaturePrefix = ";chunk-signature=";
constexpr std::string_view kTrailerSignatureName = "x-amz-trailer-signature";
constexpr std::size_t kSignatureSize = crypto::kHexSize;
// The largest chunk header: 16 hex digits, `;chunk-signature=`, 64 hex, CRLF.
constexpr std::size_t kMaxChunkHeader = 16 + kSignaturePrefix.size() + kSignatureSize + 2;
// How much the encoder asks of its source at a time: small enough that a piece is hashed
// while it is still in the first-level cache, large enough that a call costs nothing.
constexpr std::size_t kSourcePiece = 16384;

std::size_t hex_digits(std::uint64_t v) noexcept {
  std::size_t n = 1;
  while (v >>= 4) ++n;
  return n;
}

// Writes `v` as lowercase hex (no leading zeros) at `out`; returns the digit count.
std::size_t write_hex_size(std::uint64_t v, char* out) noexcept {
  static constexpr char kDigits[] = "0123456789abcdef";
  const std::size_t n = hex_digits(v);
  for (std::size_t i = n; i-- > 0; v >>= 4) out[i] = kDigits[v & 0xF];
  return n;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::uint64_t checked_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r;
  if (__builtin_add_overflow(a, b, &r)) {
    throw SigningError("aws-chunked: the encoded length of this upload overflows 64 bits");
  }
  return r;
}

std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r;
  if (__builtin_mul_overflow(a, b, &r)) {
    throw SigningError("aws-chunked: the encoded length of this upload overflows 64 bits");
  }
  return r;
}

// The framing around one data chunk of `size` bytes.
std::uint64_t chunk_overhead(std::uint64_t size, bool signed_chunks) noexcept {
  return hex_digits(size) + (signed_chunks ? kSignaturePrefix.size() + kSignatureSize : 0) +
         2 * kCrlf.size();
}

}  // namespace

std::string_view chunked_payload_literal(ChunkedMode mode) noexcept {
  switch (mode) {
    case ChunkedMode::SignedPayload:
      return kStreamingSignedPayload;
    case ChunkedMode::SignedPayloadTrailer:
      return kStreamingSignedPayloadTrailer;
    case ChunkedMode::UnsignedPayloadTrailer:
      return kStreamingUnsignedPayloadTrailer;
  }
  return kStreamingSignedPayload;
}

bool chunked_mode_has_trailer(ChunkedMode mode) noexcept {
  return mode != ChunkedMode::SignedPayload;
}

bool chunked_mode_is_signed(ChunkedMode mode) noexcept {
  return mode != ChunkedMode::UnsignedPayloadTrailer;
}

void ChunkedUpload::validate() const {
  if (chunk_size < kMinChunkSize) {
    throw SigningError("aws-chunked: chunk size " + std::to_string(chunk_size) +
                       " is below S3's minimum of " + std::to_string(kMinChunkSize) +
                       " bytes (every chunk but the last must be at least that large)");
  }
  if (chunk_size > kMaxChunkSize) {
    throw SigningError("aws-chunked: chunk size " + std::to_string(chunk_size) +
                       " is above the maximum of " + std::to_string(kMaxChunkSize) + " bytes");
  }
  if (chunked_mode_has_trailer(mode) && !checksum) {
    throw SigningError("aws-chunked: " + std::string(chunked_payload_literal(mode)) +
                       " needs a checksum algorithm: its trailer is the x-amz-checksum-* value");
  }
  if (!chunked_mode_has_trailer(mode) && checksum) {
    throw SigningError(
        "aws-chunked: STREAMING-AWS4-HMAC-SHA256-PAYLOAD has no trailer to carry the " +
        std::string(checksum_header_name(*checksum)) +
        " checksum; use STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or send the header up front");
  }
}

std::uint64_t chunked_encoded_length(const ChunkedUpload& upload) {
  upload.validate();
  const bool signed_chunks = chunked_mode_is_signed(upload.mode);
  const std::uint64_t full = upload.decoded_length / upload.chunk_size;
  const std::uint64_t rest = upload.decoded_length % upload.chunk_size;
  std::uint64_t total = checked_mul(full, chunk_overhead(upload.chunk_size, signed_chunks));
  total = checked_add(total, upload.decoded_length);
  if (rest > 0) total = checked_add(total, chunk_overhead(rest, signed_chunks));
  // The final chunk: `0` [signature] CRLF.
  total = checked_add(
      total, 1 + (signed_chunks ? kSignaturePrefix.size() + kSignatureSize : 0) + kCrlf.size());
  if (upload.checksum) {
    total += checksum_header_name(*upload.checksum).size() + 1 +
             checksum_base64_size(*upload.checksum) + kCrlf.size();
    if (upload.mode == ChunkedMode::SignedPayloadTrailer) {
      total += kTrailerSignatureName.size() + 1 + kSignatureSize + kCrlf.size();
    }
  }
  return checked_add(total, kCrlf.size());  // the empty line that ends the body
}

Payload prepare_chunked_request(Request& request, const ChunkedUpload& upload,
                                ChunkedContentLength content_length) {
  const std::uint64_t encoded = chunked_encoded_length(upload);  // validates
  std::string other_encodings;
  auto& headers = request.headers;
  for (const auto& h : headers) {
    if (!iequals(h.name, "content-encoding")) continue;
    std::string_view list = h.value;
    while (!list.empty()) {
      const auto comma = list.find(',');
      const std::string_view token = trim(list.substr(0, comma));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      if (token.empty() || iequals(token, "aws-chunked")) continue;
      other_encodings.push_back(',');
      other_encodings.append(token);
    }
  }
  std::erase_if(headers, [](const Header& h) {
    return iequals(h.name, "content-encoding") || iequals(h.name, "content-length") ||
           iequals(h.name, "x-amz-decoded-content-length") || iequals(h.name, "x-amz-trailer") ||
           iequals(h.name, "x-amz-content-sha256");
  });
  headers.push_back({"Content-Encoding", "aws-chunked" + other_encodings});
  if (content_length == ChunkedContentLength::Add) {
    headers.push_back({"Content-Length", std::to_string(encoded)});
  }
  // sign() replaces this one with its own when the settings add X-Amz-Content-SHA256 (S3's do);
  // with other settings it is signed as given, so the literal is on the wire either way.
  headers.push_back({"X-Amz-Content-SHA256", std::string(chunked_payload_literal(upload.mode))});
  headers.push_back({"X-Amz-Decoded-Content-Length", std::to_string(upload.decoded_length)});
  if (upload.checksum) {
    headers.push_back({"X-Amz-Trailer", std::string(checksum_header_name(*upload.checksum))});
  }
  return Payload::precomputed(chunked_payload_literal(upload.mode));
}

StreamingSeed StreamingSeed::from(const SigningResult& seed) {
  return {seed.signing_key, seed.amz_date, seed.credential_scope, seed.signature};
}

// ---------------------------------------------------------------------------------------------
// ChunkSigner

struct ChunkSigner::State {
  crypto::HmacKey key;
  std::string amz_date;
  std::string credential_scope;
  std::string previous;
  std::string string_to_sign;
  crypto::Sha256Stream chunk_hash;

  explicit State(const StreamingSeed& seed)
      : key(seed.signing_key.bytes().data(), seed.signing_key.bytes().size()),
        amz_date(seed.amz_date),
        credential_scope(seed.credential_scope),
        previous(seed.seed_signature) {
    if (amz_date.size() != 16 || credential_scope.empty() || previous.size() != kSignatureSize) {
      throw SigningError(
          "aws-chunked: the seed needs an amz_date (YYYYMMDDTHHMMSSZ), a credential scope and "
          "a 64-hex seed signature (sign the request in header mode first)");
    }
  }

  // `ALGORITHM\nDATE\nSCOPE\nPREVIOUS\n`, then the caller's lines, then the HMAC.
  void begin_string_to_sign(std::string_view algorithm) {
    string_to_sign.clear();
    string_to_sign.append(algorithm).push_back('\n');
    string_to_sign.append(amz_date).push_back('\n');
    string_to_sign.append(credential_scope).push_back('\n');
    string_to_sign.append(previous).push_back('\n');
  }
  const std::string& finish_signature() {
    previous.clear();  // keeps its capacity: no allocation after the first signature
    crypto::append_hex(key.mac(string_to_sign), previous);
    return previous;
  }
  const std::string& sign_hash(std::string_view algorithm, const crypto::Digest& hash, bool chunk) {
    begin_string_to_sign(algorithm);
    if (chunk) string_to_sign.append(kEmptyPayloadHash).push_back('\n');
    crypto::append_hex(hash, string_to_sign);
    return finish_signature();
  }
};

ChunkSigner::ChunkSigner(const StreamingSeed& seed) : state_(std::make_unique<State>(seed)) {}
ChunkSigner::ChunkSigner(const SigningResult& seed) : ChunkSigner(StreamingSeed::from(seed)) {}
ChunkSigner::~ChunkSigner() = default;
ChunkSigner::ChunkSigner(ChunkSigner&&) noexcept = default;
ChunkSigner& ChunkSigner::operator=(ChunkSigner&&) noexcept = default;

std::string ChunkSigner::sign_chunk(std::string_view data) {
  state_->chunk_hash.finish();  // drops any piece fed without a finish
  state_->chunk_hash.update(data);
  return finish_chunk();
}

void ChunkSigner::begin_chunk() { state_->chunk_hash.finish(); }

void ChunkSigner::update_chunk(std::string_view piece) { state_->chunk_hash.update(piece); }

std::string ChunkSigner::finish_chunk() {
  return state_->sign_hash(kChunkAlgorithm, state_->chunk_hash.finish(), true);
}

std::string ChunkSigner::sign_trailer(std::string_view canonical_trailer) {
  return state_->sign_hash(kTrailerAlgorithm, crypto::sha256(canonical_trailer), false);
}

std::string ChunkSigner::sign_trailer(const std::vector<Header>& trailers) {
  std::string canonical;
  for (const auto& h : trailers) {
    canonical.append(lowercase(h.name)).push_back(':');
    canonical.append(h.value).push_back('\n');
  }
  return sign_trailer(canonical);
}

const std::string& ChunkSigner::last_string_to_sign() const noexcept {
  return state_->string_to_sign;
}

const std::string& ChunkSigner::previous_signature() const noexcept { return state_->previous; }

// ---------------------------------------------------------------------------------------------
// AwsChunkedEncoder

struct AwsChunkedEncoder::State {
  enum class Phase { Chunks, End, Done, Failed };

  ChunkedUpload upload;
  std::uint64_t encoded_length = 0;
  ChunkSource source;
  std::optional<ChunkSigner> signer;
  std::optional<Checksum> checksum;
  std::string checksum_value;
  std::string failure;

  // One chunk with room for its header in front and its CRLF behind: the source writes the
  // data at kMaxChunkHeader, the header is written right-aligned before it, and read() copies
  // out [begin, end).
  std::unique_ptr<char[]> buffer;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::uint64_t consumed = 0;  // payload bytes taken from the source
  std::uint64_t produced = 0;  // encoded bytes returned
  Phase phase = Phase::Chunks;

  State(const ChunkedUpload& u, std::optional<StreamingSeed> seed, ChunkSource s)
      : upload(u), encoded_length(chunked_encoded_length(u)), source(std::move(s)) {
    if (!source) throw SigningError("aws-chunked: the encoder needs a source");
    if (chunked_mode_is_signed(upload.mode)) {
      if (!seed) {
        throw SigningError("aws-chunked: " + std::string(chunked_payload_literal(upload.mode)) +
                           " signs every chunk, so the encoder needs the seed signature");
      }
      signer.emplace(*seed);
    }
    if (upload.checksum) checksum.emplace(*upload.checksum);
    // The trailer (at most ~170 bytes) is built in the same buffer, so it is never smaller.
    buffer = std::make_unique<char[]>(kMaxChunkHeader +
                                      std::max<std::size_t>(upload.chunk_size, 256) + kCrlf.size());
  }

  [[noreturn]] void fail(std::string message) {
    phase = Phase::Failed;
    failure = std::move(message);
    throw SigningError(failure);
  }

  std::size_t pull(char* out, std::size_t capacity) {
    const std::size_t n = source(out, capacity);
    if (n > capacity) {
      fail("aws-chunked: the source returned " + std::to_string(n) + " bytes for a read of " +
           std::to_string(capacity));
    }
    return n;
  }

  void append_signature_line(char*& p, const std::string& signature) {
    std::memcpy(p, kSignaturePrefix.data(), kSignaturePrefix.size());
    p += kSignaturePrefix.size();
    std::memcpy(p, signature.data(), signature.size());
    p += signature.size();
  }

  [[nodiscard]] std::size_t next_chunk_size() const noexcept {
    return static_cast<std::size_t>(
        std::min<std::uint64_t>(upload.decoded_length - consumed, upload.chunk_size));
  }
  [[nodiscard]] std::size_t header_size(std::size_t size) const noexcept {
    return hex_digits(size) + (signer ? kSignaturePrefix.size() + kSignatureSize : 0) +
           kCrlf.size();
  }

  // The next data chunk, framed at `dst` (header_size() + size + 2 bytes): the source fills the
  // data in place, it is hashed and checksummed piece by piece, and the header, whose size
  // depends only on the chunk's size, is written in front of it afterwards. Returns the bytes
  // written.
  std::size_t frame_next_chunk(char* dst) {
    const std::size_t size = next_chunk_size();
    const std::size_t head = header_size(size);
    char* data = dst + head;
    if (signer) signer->begin_chunk();
    std::size_t got = 0;
    while (got < size) {
      const std::size_t want = std::min(size - got, kSourcePiece);
      const std::size_t n = pull(data + got, want);
      if (n == 0) {
        fail("aws-chunked: the source ended after " + std::to_string(consumed + got) +
             " bytes, but the upload's decoded length (X-Amz-Decoded-Content-Length) is " +
             std::to_string(upload.decoded_length));
      }
      if (signer) signer->update_chunk({data + got, n});
      if (checksum) checksum->update(data + got, n);
      got += n;
    }
    consumed += size;
    char* p = dst;
    p += write_hex_size(size, p);
    if (signer) {
      ChunkSigner::State& chain = *signer->state_;
      append_signature_line(p, chain.sign_hash(kChunkAlgorithm, chain.chunk_hash.finish(), true));
    }
    *p++ = '\r';
    *p++ = '\n';
    data[size] = '\r';
    data[size + 1] = '\n';
    return head + size + kCrlf.size();
  }

  // The next data chunk into the buffer, right-aligned on kMaxChunkHeader.
  void next_chunk() {
    begin = kMaxChunkHeader - header_size(next_chunk_size());
    end = begin + frame_next_chunk(buffer.get() + begin);
  }

  // A whole chunk fits in the caller's buffer when nothing is pending: framed there directly,
  // which saves copying it through ours (a reader with room for a chunk and its framing, e.g.
  // libcurl with CURLOPT_UPLOAD_BUFFERSIZE above the chunk size, gets this path).
  [[nodiscard]] bool fits_directly(std::size_t room) const noexcept {
    if (phase != Phase::Chunks || begin != end || consumed >= upload.decoded_length) return false;
    const std::size_t size = next_chunk_size();
    return room >= header_size(size) + size + kCrlf.size();
  }

  // The final chunk and the trailer, once the source has proven to be at its end.
  void finish_body() {
    char probe;
    if (pull(&probe, 1) != 0) {
      fail(
          "aws-chunked: the source has more than the upload's decoded length "
          "(X-Amz-Decoded-Content-Length) of " +
          std::to_string(upload.decoded_length) + " bytes");
    }
    char* const start = buffer.get();
    char* p = start;
    *p++ = '0';
    if (signer) append_signature_line(p, signer->sign_chunk({}));
    *p++ = '\r';
    *p++ = '\n';
    if (checksum) {
      checksum_value = checksum->finish_base64();
      const std::string_view name = checksum_header_name(*upload.checksum);
      std::memcpy(p, name.data(), name.size());
      p += name.size();
      *p++ = ':';
      std::memcpy(p, checksum_value.data(), checksum_value.size());
      p += checksum_value.size();
      *p++ = '\r';
      *p++ = '\n';
      if (upload.mode == ChunkedMode::SignedPayloadTrailer) {
        // The trailer's signed form ends its line with LF where the wire has CRLF.
        std::string canonical(name);
        canonical.append(":").append(checksum_value).append("\n");
        const std::string signature = signer->sign_trailer(canonical);
        std::memcpy(p, kTrailerSignatureName.data(), kTrailerSignatureName.size());
        p += kTrailerSignatureName.size();
        *p++ = ':';
        std::memcpy(p, signature.data(), signature.size());
        p += signature.size();
        *p++ = '\r';
        *p++ = '\n';
      }
    }
    *p++ = '\r';
    *p++ = '\n';
    begin = 0;
    end = static_cast<std::size_t>(p - start);
  }

  // Makes [begin, end) the next encoded bytes; false at the end of the body.
  bool refill() {
    switch (phase) {
      case Phase::Chunks:
        if (consumed < upload.decoded_length) {
          next_chunk();
          return true;
        }
        phase = Phase::End;
        [[fallthrough]];
      case Phase::End:
        finish_body();
        phase = Phase::Done;
        return true;
      case Phase::Done:
        return false;
      case Phase::Failed:
        throw SigningError(failure);
    }
    return false;
  }
};

AwsChunkedEncoder::AwsChunkedEncoder(const ChunkedUpload& upload, const StreamingSeed& seed,
                                     ChunkSource source)
    : state_(std::make_unique<State>(upload, seed, std::move(source))) {}

AwsChunkedEncoder::AwsChunkedEncoder(const ChunkedUpload& upload, const SigningResult& seed,
                                     ChunkSource source)
    : AwsChunkedEncoder(upload, StreamingSeed::from(seed), std::move(source)) {}

AwsChunkedEncoder::AwsChunkedEncoder(const ChunkedUpload& upload, ChunkSource source)
    : state_(std::make_unique<State>(upload, std::nullopt, std::move(source))) {}

AwsChunkedEncoder::~AwsChunkedEncoder() = default;
AwsChunkedEncoder::AwsChunkedEncoder(AwsChunkedEncoder&&) noexcept = default;
AwsChunkedEncoder& AwsChunkedEncoder::operator=(AwsChunkedEncoder&&) noexcept = default;

std::size_t AwsChunkedEncoder::read(char* out, std::size_t capacity) {
  State& s = *state_;
  if (s.phase == State::Phase::Failed) throw SigningError(s.failure);
  std::size_t n = 0;
  try {
    while (n < capacity) {
      if (s.fits_directly(capacity - n)) {
        n += s.frame_next_chunk(out + n);
        continue;
      }
      if (s.begin == s.end && !s.refill()) break;
      const std::size_t take = std::min(capacity - n, s.end - s.begin);
      std::memcpy(out + n, s.buffer.get() + s.begin, take);
      s.begin += take;
      n += take;
    }
  } catch (...) {
    // A source that threw leaves a half-read chunk: the encoder cannot continue.
    if (s.phase != State::Phase::Failed) {
      s.phase = State::Phase::Failed;
      s.failure = "aws-chunked: the source failed while the encoder was reading from it";
    }
    throw;
  }
  s.produced += n;
  return n;
}

std::uint64_t AwsChunkedEncoder::encoded_length() const noexcept { return state_->encoded_length; }
std::uint64_t AwsChunkedEncoder::produced() const noexcept { return state_->produced; }
bool AwsChunkedEncoder::done() const noexcept {
  return state_->phase == State::Phase::Done && state_->begin == state_->end;
}
const std::string& AwsChunkedEncoder::checksum_value() const noexcept {
  return state_->checksum_value;
}

// ---------------------------------------------------------------------------------------------
// Decoder

AwsChunkedError::AwsChunkedError(std::uint64_t offset, const std::string& what)
    : SigningError("aws-chunked body, byte " + std::to_string(offset) + ": " + what),
      offset_(offset) {}

namespace {

// A cursor over the body that never reads outside it.
class Cursor {
 public:
  explicit Cursor(std::string_view body) : body_(body) {}
  [[nodiscard]] std::size_t offset() const noexcept { return pos_; }
  [[nodiscard]] std::size_t left() const noexcept { return body_.size() - pos_; }
  [[nodiscard]] bool at_end() const noexcept { return pos_ == body_.size(); }

  [[noreturn]] void fail(const std::string& what) const { throw AwsChunkedError(pos_, what); }
  [[noreturn]] void fail_at(std::size_t at, const std::string& what) const {
    throw AwsChunkedError(at, what);
  }

  bool consume(std::string_view literal) noexcept {
    if (left() < literal.size() || body_.substr(pos_, literal.size()) != literal) return false;
    pos_ += literal.size();
    return true;
  }
  void expect(std::string_view literal, const char* what) {
    if (!consume(literal)) fail(std::string("expected ") + what);
  }
  std::string_view take(std::size_t n) noexcept {
    const std::string_view out = body_.substr(pos_, n);
    pos_ += out.size();
    return out;
  }

  // A chunk size: 1 to 16 hex digits (either case).
  std::uint64_t hex_size() {
    const std::size_t start = pos_;
    std::uint64_t v = 0;
    std::size_t digits = 0;
    while (pos_ < body_.size()) {
      const char c = body_[pos_];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        break;
      }
      if (++digits > 16) fail_at(start, "chunk size has more than 16 hex digits");
      v = (v << 4) | static_cast<std::uint64_t>(d);
      ++pos_;
    }
    if (digits == 0) fail("expected a hex chunk size");
    return v;
  }

  // One trailer line up to CRLF (at most `limit` bytes before it).
  std::string_view line(std::size_t limit) {
    const std::size_t start = pos_;
    const std::string_view rest = body_.substr(pos_, std::min(left(), limit + kCrlf.size()));
    const auto crlf = rest.find(kCrlf);
    if (crlf == std::string_view::npos) {
      fail(left() <= limit ? "trailer line is not terminated by CRLF"
                           : "trailer line is longer than " + std::to_string(limit) + " bytes");
    }
    pos_ += crlf + kCrlf.size();
    return body_.substr(start, crlf);
  }

 private:
  std::string_view body_;
  std::size_t pos_ = 0;
};

constexpr std::size_t kMaxTrailerLine = 4096;
constexpr std::size_t kMaxTrailerLines = 64;

bool is_lower_hex(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

DecodedAwsChunked decode_aws_chunked(std::string_view body, ChunkedMode mode,
                                     const StreamingSeed& seed,
                                     std::optional<std::uint64_t> decoded_length) {
  DecodedAwsChunked out;
  Cursor in(body);
  const bool signed_chunks = chunked_mode_is_signed(mode);
  std::optional<ChunkSigner> signer;
  if (signed_chunks) signer.emplace(seed);

  for (;;) {
    const std::size_t chunk_start = in.offset();
    const std::uint64_t size = in.hex_size();
    std::string_view claimed;
    if (signed_chunks) {
      in.expect(kSignaturePrefix, "';chunk-signature=' after the chunk size");
      const std::size_t sig_at = in.offset();
      claimed = in.take(kSignatureSize);
      if (claimed.size() != kSignatureSize || !is_lower_hex(claimed)) {
        in.fail_at(sig_at, "chunk signature is not 64 lowercase hex digits");
      }
    }
    in.expect(kCrlf, "CRLF after the chunk header");
    if (size > in.left()) {
      in.fail_at(chunk_start, "chunk of " + std::to_string(size) +
                                  " bytes runs past the end of "
                                  "the body (" +
                                  std::to_string(in.left()) + " bytes left)");
    }
    const std::size_t data_at = in.offset();
    const std::string_view data = in.take(static_cast<std::size_t>(size));
    if (decoded_length && out.payload.size() + data.size() > *decoded_length) {
      in.fail_at(data_at, "the chunks carry more than the decoded length of " +
                              std::to_string(*decoded_length) + " bytes");
    }
    if (signer && signer->sign_chunk(data) != claimed) {
      in.fail_at(chunk_start, "chunk signature does not match (chunk " +
                                  std::to_string(out.chunk_sizes.size()) + ", " +
                                  std::to_string(size) + " bytes)");
    }
    out.payload.append(data);
    out.chunk_sizes.push_back(static_cast<std::size_t>(size));
    if (size == 0) break;
    in.expect(kCrlf, "CRLF after the chunk data");
  }
  if (decoded_length && out.payload.size() != *decoded_length) {
    in.fail("the chunks carry " + std::to_string(out.payload.size()) +
            " bytes, but the decoded length is " + std::to_string(*decoded_length));
  }

  if (chunked_mode_has_trailer(mode)) {
    std::string canonical;
    bool signature_seen = false;
    for (;;) {
      const std::size_t line_at = in.offset();
      const std::string_view line = in.line(kMaxTrailerLine);
      if (line.empty()) break;
      if (signature_seen) in.fail_at(line_at, "trailer line after x-amz-trailer-signature");
      const auto colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        in.fail_at(line_at, "trailer line is not name:value");
      }
      const std::string name = lowercase(line.substr(0, colon));
      const std::string_view value = line.substr(colon + 1);
      if (name == kTrailerSignatureName) {
        if (mode != ChunkedMode::SignedPayloadTrailer) {
          in.fail_at(line_at, "x-amz-trailer-signature in an unsigned-trailer body");
        }
        if (value.size() != kSignatureSize || !is_lower_hex(value)) {
          in.fail_at(line_at, "trailer signature is not 64 lowercase hex digits");
        }
        if (signer->sign_trailer(canonical) != value) {
          in.fail_at(line_at, "trailer signature does not match");
        }
        signature_seen = true;
        continue;
      }
      if (out.trailers.size() == kMaxTrailerLines) {
        in.fail_at(line_at, "more than " + std::to_string(kMaxTrailerLines) + " trailer lines");
      }
      if (name.starts_with("x-amz-checksum-")) {
        const auto algorithm = parse_checksum_algorithm(name.substr(15));
        if (!algorithm) in.fail_at(line_at, "unknown checksum trailer " + name);
        if (checksum_base64(*algorithm, out.payload) != value) {
          in.fail_at(line_at, name + " does not match the payload");
        }
      }
      canonical.append(name).push_back(':');
      canonical.append(value).push_back('\n');
      out.trailers.push_back({name, std::string(value)});
    }
    if (mode == ChunkedMode::SignedPayloadTrailer && !signature_seen) {
      in.fail("the body ends without x-amz-trailer-signature");
    }
    if (out.trailers.empty()) in.fail("the body ends without a trailer");
  } else {
    in.expect(kCrlf, "the final CRLF after the last chunk");
  }
  if (!in.at_end()) in.fail(std::to_string(in.left()) + " bytes after the end of the body");
  return out;
}

}  // namespace awsauth::signer
