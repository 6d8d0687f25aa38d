// aws-chunked encoder and decoder: round trips over sizes around the chunk boundaries, chunk
// sizes, modes and checksums with a source that delivers random short reads; the errors; the
// seed request's headers; the piecewise chunk signature; constant memory.

#include "awsauth/signer/chunked.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <string>

#include "awsauth/signer/signer.hpp"
#include "malloc_counter.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

StreamingSeed test_seed() {
  Request req = parse_url("PUT", "https://bucket.s3.us-west-2.amazonaws.com/key");
  const Credentials creds(
      {.access_key_id = "AKIDEXAMPLE", .secret_access_key = SecretString("secret/example/key")});
  const ChunkedUpload upload{.decoded_length = 1};
  const Payload payload = prepare_chunked_request(req, upload);
  return StreamingSeed::from(sign(req, payload, creds,
                                  SigningSettings::for_service("us-west-2", "s3"),
                                  *parse_amz_date("20260102T030405Z")));
}

std::string random_payload(std::size_t n, std::mt19937_64& rng) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

// A source over `data` that returns 1..max_piece bytes per call (never more than asked).
ChunkSource short_reads(const std::string& data, std::size_t& at, std::mt19937_64& rng,
                        std::size_t max_piece = 20000) {
  return [&data, &at, &rng, max_piece](char* out, std::size_t capacity) {
    const std::size_t piece = 1 + rng() % max_piece;
    const std::size_t n = std::min({capacity, piece, data.size() - at});
    std::memcpy(out, data.data() + at, n);
    at += n;
    return n;
  };
}

std::string drain(AwsChunkedEncoder& encoder, std::mt19937_64& rng) {
  std::string body;
  std::string buf(40000, '\0');
  for (;;) {
    const std::size_t capacity = 1 + rng() % buf.size();
    const std::size_t n = encoder.read(buf.data(), capacity);
    if (n == 0) break;
    body.append(buf.data(), n);
  }
  return body;
}

struct Variant {
  ChunkedMode mode;
  std::optional<ChecksumAlgorithm> checksum;
};

const Variant kVariants[] = {
    {ChunkedMode::SignedPayload, std::nullopt},
    {ChunkedMode::SignedPayloadTrailer, ChecksumAlgorithm::Crc32},
    {ChunkedMode::SignedPayloadTrailer, ChecksumAlgorithm::Crc32c},
    {ChunkedMode::SignedPayloadTrailer, ChecksumAlgorithm::Sha1},
    {ChunkedMode::SignedPayloadTrailer, ChecksumAlgorithm::Sha256},
    {ChunkedMode::UnsignedPayloadTrailer, ChecksumAlgorithm::Crc32},
    {ChunkedMode::UnsignedPayloadTrailer, ChecksumAlgorithm::Crc32c},
    {ChunkedMode::UnsignedPayloadTrailer, ChecksumAlgorithm::Sha1},
    {ChunkedMode::UnsignedPayloadTrailer, ChecksumAlgorithm::Sha256},
};

TEST(AwsChunkedRoundTrip, EveryModeChecksumSizeAndChunkSizeDecodesToThePayload) {
  std::mt19937_64 rng(42);
  const StreamingSeed seed = test_seed();
  for (const std::size_t chunk : {kMinChunkSize, kDefaultChunkSize, std::size_t{100000}}) {
    for (const std::size_t size : {std::size_t{0}, std::size_t{1}, chunk - 1, chunk, chunk + 1,
                                   3 * chunk + 17, (std::size_t{3} << 20) + 5}) {
      const std::string payload = random_payload(size, rng);
      for (const auto& v : kVariants) {
        const ChunkedUpload upload{
            .mode = v.mode, .decoded_length = size, .chunk_size = chunk, .checksum = v.checksum};
        std::size_t at = 0;
        AwsChunkedEncoder encoder =
            v.mode == ChunkedMode::UnsignedPayloadTrailer
                ? AwsChunkedEncoder(upload, short_reads(payload, at, rng))
                : AwsChunkedEncoder(upload, seed, short_reads(payload, at, rng));
        const std::string body = drain(encoder, rng);
        const std::string what = std::string(chunked_payload_literal(v.mode)) + " " +
                                 (v.checksum ? std::string(checksum_name(*v.checksum)) : "-") +
                                 " size " + std::to_string(size) + " chunk " +
                                 std::to_string(chunk);
        ASSERT_EQ(body.size(), chunked_encoded_length(upload)) << what;
        EXPECT_EQ(encoder.produced(), body.size()) << what;
        EXPECT_TRUE(encoder.done()) << what;
        const auto decoded = decode_aws_chunked(body, v.mode, seed, size);
        ASSERT_EQ(decoded.payload, payload) << what;
        // Every chunk but the last is full; the final one is empty.
        ASSERT_FALSE(decoded.chunk_sizes.empty());
        EXPECT_EQ(decoded.chunk_sizes.back(), 0u) << what;
        for (std::size_t i = 0; i + 2 < decoded.chunk_sizes.size(); ++i) {
          EXPECT_EQ(decoded.chunk_sizes[i], chunk) << what;
        }
        if (v.checksum) {
          ASSERT_EQ(decoded.trailers.size(), 1u) << what;
          EXPECT_EQ(decoded.trailers[0].name, checksum_header_name(*v.checksum));
          EXPECT_EQ(decoded.trailers[0].value, checksum_base64(*v.checksum, payload)) << what;
          EXPECT_EQ(encoder.checksum_value(), decoded.trailers[0].value);
        }
      }
    }
  }
}

TEST(AwsChunkedRoundTrip, UnsignedChunksCarryNoSignature) {
  std::mt19937_64 rng(1);
  const std::string payload = random_payload(20000, rng);
  const ChunkedUpload upload{.mode = ChunkedMode::UnsignedPayloadTrailer,
                             .decoded_length = payload.size(),
                             .chunk_size = 16384,
                             .checksum = ChecksumAlgorithm::Crc32};
  std::size_t at = 0;
  AwsChunkedEncoder encoder(upload, short_reads(payload, at, rng));
  const std::string body = drain(encoder, rng);
  EXPECT_EQ(body.find("chunk-signature"), std::string::npos);
  EXPECT_TRUE(body.starts_with("4000\r\n"));
  EXPECT_TRUE(body.ends_with("\r\n0\r\nx-amz-checksum-crc32:" +
                             checksum_base64(ChecksumAlgorithm::Crc32, payload) + "\r\n\r\n"));
}

TEST(AwsChunkedEncoder, SourceThatEndsEarlyIsAnErrorNamingBothCounts) {
  std::mt19937_64 rng(2);
  const std::string payload = random_payload(50000, rng);
  std::size_t at = 0;
  AwsChunkedEncoder encoder(ChunkedUpload{.decoded_length = 100000}, test_seed(),
                            short_reads(payload, at, rng));
  try {
    (void)drain(encoder, rng);
    FAIL() << "no error";
  } catch (const SigningError& e) {
    EXPECT_NE(std::string(e.what()).find("ended after 50000 bytes"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("100000"), std::string::npos) << e.what();
  }
  // It stays failed.
  char buf[16];
  EXPECT_THROW((void)encoder.read(buf, sizeof buf), SigningError);
}

TEST(AwsChunkedEncoder, SourceWithMoreThanTheDecodedLengthIsAnError) {
  std::mt19937_64 rng(3);
  const std::string payload = random_payload(70000, rng);
  std::size_t at = 0;
  AwsChunkedEncoder encoder(ChunkedUpload{.decoded_length = 65536}, test_seed(),
                            short_reads(payload, at, rng));
  try {
    (void)drain(encoder, rng);
    FAIL() << "no error";
  } catch (const SigningError& e) {
    EXPECT_NE(std::string(e.what()).find("more than the upload's decoded length"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("65536"), std::string::npos) << e.what();
  }
}

TEST(AwsChunkedEncoder, SourceReturningMoreThanAskedIsAnError) {
  AwsChunkedEncoder encoder(ChunkedUpload{.decoded_length = 10}, test_seed(),
                            [](char*, std::size_t capacity) { return capacity + 1; });
  char buf[64];
  EXPECT_THROW((void)encoder.read(buf, sizeof buf), SigningError);
}

TEST(AwsChunkedEncoder, SourceExceptionPropagatesAndLeavesTheEncoderFailed) {
  AwsChunkedEncoder encoder(
      ChunkedUpload{.decoded_length = 10}, test_seed(),
      [](char*, std::size_t) -> std::size_t { throw std::runtime_error("disk on fire"); });
  char buf[64];
  EXPECT_THROW((void)encoder.read(buf, sizeof buf), std::runtime_error);
  try {
    (void)encoder.read(buf, sizeof buf);
    FAIL() << "no error";
  } catch (const SigningError& e) {
    EXPECT_NE(std::string(e.what()).find("source failed"), std::string::npos) << e.what();
  }
}

TEST(AwsChunkedEncoder, SignedModesNeedASeed) {
  try {
    AwsChunkedEncoder encoder(ChunkedUpload{.decoded_length = 1},
                              [](char*, std::size_t) { return std::size_t{0}; });
    FAIL() << "no error";
  } catch (const SigningError& e) {
    EXPECT_NE(std::string(e.what()).find("seed signature"), std::string::npos) << e.what();
  }
}

TEST(AwsChunkedEncoder, ReadingAllocatesNothingAfterTheFirstChunk) {
  if (!test::counting_available()) GTEST_SKIP() << "allocation counting is off under sanitizers";
  const std::string payload(std::size_t{8} << 20, 'x');
  std::size_t at = 0;
  const ChunkedUpload upload{.mode = ChunkedMode::SignedPayloadTrailer,
                             .decoded_length = payload.size(),
                             .checksum = ChecksumAlgorithm::Crc32c};
  AwsChunkedEncoder encoder(upload, test_seed(), [&](char* out, std::size_t capacity) {
    const std::size_t n = std::min(capacity, payload.size() - at);
    std::memcpy(out, payload.data() + at, n);
    at += n;
    return n;
  });
  std::string buf(65536, '\0');
  ASSERT_GT(encoder.read(buf.data(), buf.size()), 0u);  // the first chunk warms the buffers
  const std::uint64_t before = test::thread_allocations();
  std::uint64_t total = buf.size();
  std::uint64_t data_phase_allocations = 0;
  while (const std::size_t n = encoder.read(buf.data(), buf.size())) {
    total += n;
    if (at < payload.size()) data_phase_allocations = test::thread_allocations() - before;
  }
  EXPECT_EQ(data_phase_allocations, 0u);
  EXPECT_EQ(total, chunked_encoded_length(upload));
}

TEST(ChunkedUpload, ChunkSizeBelowTheMinimumIsRejectedWithBothNumbers) {
  try {
    (void)chunked_encoded_length(ChunkedUpload{.decoded_length = 100, .chunk_size = 8191});
    FAIL() << "no error";
  } catch (const SigningError& e) {
    EXPECT_NE(std::string(e.what()).find("8191"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("8192"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)chunked_encoded_length(ChunkedUpload{.chunk_size = kMaxChunkSize + 1}),
               SigningError);
}

TEST(ChunkedUpload, TrailerModeWithoutChecksumIsRejected) {
  for (const auto mode : {ChunkedMode::SignedPayloadTrailer, ChunkedMode::UnsignedPayloadTrailer}) {
    try {
      ChunkedUpload{.mode = mode}.validate();
      FAIL() << "no error";
    } catch (const SigningError& e) {
      EXPECT_NE(std::string(e.what()).find("needs a checksum"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(chunked_payload_literal(mode)), std::string::npos);
    }
  }
}

TEST(ChunkedUpload, ChecksumWithoutTrailerIsRejected) {
  try {
    ChunkedUpload{.checksum = ChecksumAlgorithm::Sha256}.validate();
    FAIL() << "no error";
  } catch (const SigningError& e) {
    EXPECT_NE(std::string(e.what()).find("x-amz-checksum-sha256"), std::string::npos) << e.what();
  }
}

TEST(ChunkedUpload, EncodedLengthOfAnEmptyBody) {
  // Counted by hand from the framing: `0;chunk-signature=<64>\r\n\r\n` = 1 + 17 + 64 + 2 + 2.
  EXPECT_EQ(chunked_encoded_length(ChunkedUpload{}), 86u);
  // `0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`
  EXPECT_EQ(chunked_encoded_length(ChunkedUpload{.mode = ChunkedMode::UnsignedPayloadTrailer,
                                                 .checksum = ChecksumAlgorithm::Crc32}),
            3u + 20 + 1 + 8 + 2 + 2);
}

TEST(PrepareChunkedRequest, SetsTheStreamingHeadersReplacingAnyCase) {
  Request req = parse_url("PUT", "https://b.s3.amazonaws.com/k");
  req.headers = {{"content-length", "5"},
                 {"X-AMZ-TRAILER", "x"},
                 {"Content-Encoding", "gzip"},
                 {"x-amz-decoded-content-length", "1"},
                 {"X-Amz-Meta-A", "b"}};
  const ChunkedUpload upload{.mode = ChunkedMode::SignedPayloadTrailer,
                             .decoded_length = 100000,
                             .checksum = ChecksumAlgorithm::Crc32c};
  const Payload p = prepare_chunked_request(req, upload);
  EXPECT_EQ(p.hash(), "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
  std::map<std::string, std::string> got;
  for (const auto& h : req.headers) {
    EXPECT_FALSE(got.contains(h.name)) << "repeated " << h.name;
    got[h.name] = h.value;
  }
  EXPECT_EQ(got.size(), 6u);
  EXPECT_EQ(got["Content-Encoding"], "aws-chunked,gzip");
  EXPECT_EQ(got["Content-Length"], std::to_string(chunked_encoded_length(upload)));
  EXPECT_EQ(got["X-Amz-Decoded-Content-Length"], "100000");
  EXPECT_EQ(got["X-Amz-Trailer"], "x-amz-checksum-crc32c");
  EXPECT_EQ(got["X-Amz-Content-SHA256"], "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
  EXPECT_EQ(got["X-Amz-Meta-A"], "b");

  // Preparing again (a retry) does not repeat aws-chunked; Omit drops Content-Length; the
  // plain mode drops X-Amz-Trailer.
  (void)prepare_chunked_request(req, ChunkedUpload{.decoded_length = 3},
                                ChunkedContentLength::Omit);
  got.clear();
  for (const auto& h : req.headers) got[h.name] = h.value;
  EXPECT_EQ(got["Content-Encoding"], "aws-chunked,gzip");
  EXPECT_FALSE(got.contains("Content-Length"));
  EXPECT_FALSE(got.contains("X-Amz-Trailer"));
  EXPECT_EQ(got["X-Amz-Content-SHA256"], "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
}

TEST(ChunkSigner, ChunkFedInPiecesSignsLikeTheWholeChunk) {
  std::mt19937_64 rng(9);
  const StreamingSeed seed = test_seed();
  ChunkSigner whole(seed);
  ChunkSigner pieces(seed);
  for (int chunk = 0; chunk < 4; ++chunk) {
    const std::string data = random_payload(65536, rng);
    pieces.begin_chunk();
    pieces.update_chunk("discarded by begin_chunk");
    pieces.begin_chunk();
    for (std::size_t at = 0; at < data.size();) {
      const std::size_t n = std::min<std::size_t>(data.size() - at, rng() % 9000);
      pieces.update_chunk(std::string_view(data).substr(at, n));
      at += n;
    }
    EXPECT_EQ(pieces.finish_chunk(), whole.sign_chunk(data)) << chunk;
    EXPECT_EQ(pieces.previous_signature(), whole.previous_signature());
  }
}

TEST(ChunkSigner, SeedWithoutASignatureIsRejected) {
  StreamingSeed seed = test_seed();
  seed.seed_signature.clear();
  EXPECT_THROW(ChunkSigner{seed}, SigningError);
}

class AwsChunkedDecoder : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937_64 rng(11);
    payload_ = random_payload(20000, rng);
    std::size_t at = 0;
    AwsChunkedEncoder encoder(upload_, seed_, short_reads(payload_, at, rng));
    body_ = drain(encoder, rng);
  }
  void expect_error(const std::string& body, const std::string& message,
                    std::optional<std::uint64_t> offset = std::nullopt) {
    try {
      (void)decode_aws_chunked(body, upload_.mode, seed_);
      FAIL() << "no error for " << message;
    } catch (const AwsChunkedError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
      if (offset) {
        EXPECT_EQ(e.offset(), *offset) << e.what();
      }
      EXPECT_LE(e.offset(), body.size());
    }
  }
  StreamingSeed seed_ = test_seed();
  ChunkedUpload upload_{.mode = ChunkedMode::SignedPayloadTrailer,
                        .decoded_length = 20000,
                        .chunk_size = 8192,
                        .checksum = ChecksumAlgorithm::Crc32};
  std::string payload_;
  std::string body_;
};

TEST_F(AwsChunkedDecoder, FlippedDataByteFailsThatChunksSignatureAtItsOffset) {
  const std::size_t second_chunk = body_.find("\r\n2000;") + 2;
  std::string bad = body_;
  bad[second_chunk + 100] ^= 1;  // inside the second chunk's data
  expect_error(bad, "chunk signature does not match (chunk 1", second_chunk);
}

TEST_F(AwsChunkedDecoder, WrongChecksumTrailerIsReported) {
  std::string bad = body_;
  const auto at = bad.find("x-amz-checksum-crc32:") + 21;
  bad[at] = bad[at] == 'A' ? 'B' : 'A';
  expect_error(bad, "x-amz-checksum-crc32 does not match the payload", at - 21);
}

TEST_F(AwsChunkedDecoder, WrongTrailerSignatureIsReported) {
  std::string bad = body_;
  const auto at = bad.find("x-amz-trailer-signature:") + 24;
  bad[at] = bad[at] == '0' ? '1' : '0';
  expect_error(bad, "trailer signature does not match");
}

TEST_F(AwsChunkedDecoder, EveryTruncationIsAnErrorInsideTheBody) {
  for (std::size_t n = 0; n < body_.size(); n += (n < 200 || body_.size() - n < 300) ? 1 : 997) {
    EXPECT_THROW(
        (void)decode_aws_chunked(std::string_view(body_).substr(0, n), upload_.mode, seed_),
        AwsChunkedError)
        << n;
  }
}

TEST_F(AwsChunkedDecoder, OverlongOrOversizedHexSizeIsBounded) {
  expect_error("fffffffffffffffff;chunk-signature=", "more than 16 hex digits", 0);
  expect_error("ffffffffffffffff;chunk-signature=" + std::string(64, 'a') + "\r\nxy",
               "runs past the end of the body", 0);
  expect_error(";chunk-signature=", "expected a hex chunk size", 0);
}

TEST_F(AwsChunkedDecoder, BytesAfterTheBodyAndWrongDecodedLengthAreErrors) {
  expect_error(body_ + "x", "1 bytes after the end of the body", body_.size());
  try {
    (void)decode_aws_chunked(body_, upload_.mode, seed_, 19999);
    FAIL();
  } catch (const AwsChunkedError& e) {
    EXPECT_NE(std::string(e.what()).find("more than the decoded length of 19999"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(decode_aws_chunked(body_, upload_.mode, seed_, 20000).payload, payload_);
}

TEST_F(AwsChunkedDecoder, BodyOfAnotherModeIsRejected) {
  EXPECT_THROW((void)decode_aws_chunked(body_, ChunkedMode::UnsignedPayloadTrailer, seed_),
               AwsChunkedError);
  EXPECT_THROW((void)decode_aws_chunked(body_, ChunkedMode::SignedPayload, seed_), AwsChunkedError);
}

}  // namespace
