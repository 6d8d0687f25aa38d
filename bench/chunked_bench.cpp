// aws-chunked signing through AwsChunkedEncoder, next to BM_OpenSSL_Sha256_64MiB
// (signer_bench.cpp): 64 MiB in 64 KiB chunks, pulled in 64 KiB reads as libcurl's read callback
// does, from a source that copies out of a 1 MiB buffer (cache-resident, as the SHA-256 case's
// input is). And the CRC32 / CRC32C kernels on 64 KiB and 1 MiB buffers, dispatched and portable.
// docs/performance.md, "Streaming and checksums".

#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

#include "awsauth/signer/checksum.hpp"
#include "awsauth/signer/chunked.hpp"
#include "awsauth/signer/signer.hpp"
#include "signer/src/crc.hpp"

namespace {

using namespace awsauth;
using namespace awsauth::signer;

constexpr std::size_t kTotal = std::size_t{64} << 20;

SigningResult bench_seed() {
  Request req = parse_url("PUT", "https://bucket.s3.us-east-1.amazonaws.com/object");
  const Credentials creds(
      {.access_key_id = "AKIDEXAMPLE", .secret_access_key = SecretString("bench/secret/key")});
  const Payload payload = prepare_chunked_request(req, ChunkedUpload{.decoded_length = kTotal});
  return sign(req, payload, creds, SigningSettings::for_service("us-east-1", "s3"),
              *parse_amz_date("20260102T030405Z"));
}

void run_encoder(benchmark::State& state, ChunkedMode mode,
                 std::optional<ChecksumAlgorithm> checksum) {
  const SigningResult seed = bench_seed();
  const std::string source_data(std::size_t{1} << 20, 'a');
  // The reader's buffer: state.range(0) bytes (64 KiB: libcurl's default upload buffer, which a
  // 64 KiB chunk plus its framing does not fit, so it is copied through the encoder's buffer;
  // 128 KiB: a whole framed chunk fits and is written in place).
  std::string out(static_cast<std::size_t>(state.range(0)), '\0');
  const ChunkedUpload upload{.mode = mode, .decoded_length = kTotal, .checksum = checksum};
  for (auto _ : state) {
    std::size_t at = 0;
    AwsChunkedEncoder encoder(upload, seed, [&](char* dst, std::size_t capacity) {
      const std::size_t offset = at % source_data.size();
      const std::size_t n = std::min({capacity, kTotal - at, source_data.size() - offset});
      std::memcpy(dst, source_data.data() + offset, n);
      at += n;
      return n;
    });
    std::uint64_t total = 0;
    while (const std::size_t n = encoder.read(out.data(), out.size())) total += n;
    benchmark::DoNotOptimize(total);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kTotal));
}

void BM_ChunkedSign_64KiB(benchmark::State& state) {
  run_encoder(state, ChunkedMode::SignedPayload, std::nullopt);
}
BENCHMARK(BM_ChunkedSign_64KiB)->Arg(64 << 10)->Arg(128 << 10)->Unit(benchmark::kMillisecond);

void BM_ChunkedSignTrailerCrc32c_64KiB(benchmark::State& state) {
  run_encoder(state, ChunkedMode::SignedPayloadTrailer, ChecksumAlgorithm::Crc32c);
}
BENCHMARK(BM_ChunkedSignTrailerCrc32c_64KiB)->Arg(128 << 10)->Unit(benchmark::kMillisecond);

void BM_ChunkedUnsignedTrailerCrc32_64KiB(benchmark::State& state) {
  run_encoder(state, ChunkedMode::UnsignedPayloadTrailer, ChecksumAlgorithm::Crc32);
}
BENCHMARK(BM_ChunkedUnsignedTrailerCrc32_64KiB)->Arg(128 << 10)->Unit(benchmark::kMillisecond);

// The chunk signatures alone, over data the caller already holds (a zero-copy sender that writes
// each chunk's header line, then the data in place, e.g. with writev): ChunkSigner::sign_chunk()
// for every 64 KiB chunk of the 64 MiB, then the final empty chunk. What the encoder adds on top
// is the copy out of its source and into the reader's buffer.
void BM_ChunkSigner_InPlace_64KiB(benchmark::State& state) {
  const SigningResult seed = bench_seed();
  const std::string source_data(std::size_t{1} << 20, 'a');
  constexpr std::size_t kChunk = std::size_t{64} << 10;
  for (auto _ : state) {
    ChunkSigner signer(seed);
    for (std::size_t at = 0; at < kTotal; at += kChunk) {
      const std::string signature =
          signer.sign_chunk(std::string_view(source_data).substr(at % source_data.size(), kChunk));
      benchmark::DoNotOptimize(signature.data());
    }
    benchmark::DoNotOptimize(signer.sign_chunk({}).data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kTotal));
}
BENCHMARK(BM_ChunkSigner_InPlace_64KiB)->Unit(benchmark::kMillisecond);

template <std::uint32_t (*Crc)(std::uint32_t, const void*, std::size_t) noexcept>
void crc_bench(benchmark::State& state, bool portable) {
  const std::string data(static_cast<std::size_t>(state.range(0)), 'x');
  crc::force_portable(portable);
  std::uint32_t c = 0;
  for (auto _ : state) {
    c = Crc(c, data.data(), data.size());
    benchmark::DoNotOptimize(c);
  }
  crc::force_portable(false);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_Crc32(benchmark::State& state) { crc_bench<signer::crc32>(state, false); }
void BM_Crc32_Portable(benchmark::State& state) { crc_bench<signer::crc32>(state, true); }
void BM_Crc32c(benchmark::State& state) { crc_bench<signer::crc32c>(state, false); }
void BM_Crc32c_Portable(benchmark::State& state) { crc_bench<signer::crc32c>(state, true); }
BENCHMARK(BM_Crc32)->Arg(64 << 10)->Arg(1 << 20);
BENCHMARK(BM_Crc32_Portable)->Arg(64 << 10)->Arg(1 << 20);
BENCHMARK(BM_Crc32c)->Arg(64 << 10)->Arg(1 << 20);
BENCHMARK(BM_Crc32c_Portable)->Arg(64 << 10)->Arg(1 << 20);

}  // namespace
