// aws-chunked bodies (signer/src/chunked.cpp). Input: byte 0 picks the mode and checksum,
// byte 1 a repeat count, bytes 2-3 a chunk size; the rest is both an encoded body for the
// decoder and a payload for the encoder.
//   1. decode_aws_chunked() over the bytes as a body, in each mode: only AwsChunkedError may
//      escape (it must never crash, read out of bounds or allocate without bound), and its
//      offset is inside the body;
//   2. round trip: the payload (repeated, so that several chunks occur) encoded with the chunk
//      size, decoded again: the same payload, exactly chunked_encoded_length() bytes, and the
//      checksum trailer the encoder reported.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "awsauth/signer/chunked.hpp"

namespace s = awsauth::signer;

namespace {

const s::StreamingSeed& seed() {
  static const s::StreamingSeed value = [] {
    std::array<std::uint8_t, 32> key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 7 + 1);
    return s::StreamingSeed{s::SigningKey(key), "20260102T030405Z",
                            "20260102/us-east-1/s3/aws4_request", std::string(64, 'a')};
  }();
  return value;
}

constexpr s::ChunkedMode kModes[] = {s::ChunkedMode::SignedPayload,
                                     s::ChunkedMode::SignedPayloadTrailer,
                                     s::ChunkedMode::UnsignedPayloadTrailer};
constexpr s::ChecksumAlgorithm kAlgorithms[] = {
    s::ChecksumAlgorithm::Crc32, s::ChecksumAlgorithm::Crc32c, s::ChecksumAlgorithm::Sha1,
    s::ChecksumAlgorithm::Sha256};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 4, size - 4);

  // 1. Arbitrary bytes into the decoder.
  for (const auto mode : kModes) {
    try {
      (void)s::decode_aws_chunked(rest, mode, seed());
    } catch (const s::AwsChunkedError& e) {
      if (e.offset() > rest.size()) std::abort();
    }
  }

  // 2. Round trip.
  const auto mode = kModes[data[0] % 3];
  s::ChunkedUpload upload{.mode = mode};
  if (mode != s::ChunkedMode::SignedPayload) upload.checksum = kAlgorithms[(data[0] / 3) % 4];
  const std::size_t repeats = 1 + data[1] % 8;
  upload.chunk_size = s::kMinChunkSize + ((std::size_t{data[2]} << 8 | data[3]) % 16384);
  upload.decoded_length = rest.size() * repeats;
  std::string payload;
  for (std::size_t i = 0; i < repeats; ++i) payload.append(rest);

  std::size_t at = 0;
  const auto source = [&](char* out, std::size_t capacity) {
    // Short reads of a size that depends on the input, never more than asked.
    const std::size_t n = std::min({capacity, payload.size() - at, 1 + (at * 31 + 7) % 5000});
    std::memcpy(out, payload.data() + at, n);
    at += n;
    return n;
  };
  s::AwsChunkedEncoder encoder = mode == s::ChunkedMode::UnsignedPayloadTrailer
                                     ? s::AwsChunkedEncoder(upload, source)
                                     : s::AwsChunkedEncoder(upload, seed(), source);
  std::string body;
  char buf[3000];
  while (const std::size_t n = encoder.read(buf, 1 + body.size() % sizeof buf)) body.append(buf, n);
  if (body.size() != s::chunked_encoded_length(upload)) std::abort();
  const auto decoded = s::decode_aws_chunked(body, mode, seed(), payload.size());
  if (decoded.payload != payload) std::abort();
  if (upload.checksum &&
      (decoded.trailers.size() != 1 || decoded.trailers[0].value != encoder.checksum_value())) {
    std::abort();
  }
  return 0;
}
