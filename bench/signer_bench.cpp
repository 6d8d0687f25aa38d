// Signer benchmarks implementing ../shared/bench/workload.json (W1, W2, W3), and the floors they
// are held to, measured in the same run: for W1 and W2 the cryptography alone on prebuilt
// strings (OpenSSL's SHA-256 block functions, the signing key's HMAC pad states computed once
// and copied), for W3 raw SHA-256 over the same chunks. The signing cases report heap
// allocations per signature (`allocs_per_sign`, counted at malloc; see
// tests/support/malloc_counter.hpp). Prints nothing but benchmark output.

// The floors use the SHA256_* block functions, deprecated in OpenSSL 3 but the fastest way it
// offers (no EVP dispatch, no allocation, a context copy is a memcpy).
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <benchmark/benchmark.h>
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "awsauth/signer/signer.hpp"
#include "malloc_counter.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

// Values from ../shared/bench/workload.json.
constexpr const char* kDate = "20240101T000000Z";
constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kToken =
    "AQoDYXdzEPT//////////"
    "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx"
    "7mSEI/qkPpKPi/"
    "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNV"
    "XAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
    "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
constexpr const char* kW2Body =
    "Action=AssumeRole&DurationSeconds=3600&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%"
    "2Fbench-role&RoleSessionName=peerbench-session-0001&Version=2011-06-15&ExternalId="
    "0123456789abcdef0123456789abcd";

const Credentials& credentials() {
  static const Credentials c({.access_key_id = kAccessKey,
                              .secret_access_key = SecretString(kSecret),
                              .session_token = SecretString(kToken)});
  return c;
}

TimePoint bench_time() { return *parse_amz_date(kDate); }

// Reports heap allocations per iteration, counted from the first timed iteration on (the
// untimed warm-up call before the loop has filled the reused buffers).
class AllocationCounter {
 public:
  explicit AllocationCounter(benchmark::State& state)
      : state_(state), start_(awsauth::test::thread_allocations()) {}
  ~AllocationCounter() {
    if (!awsauth::test::counting_available() || state_.iterations() == 0) return;
    state_.counters["allocs_per_sign"] =
        benchmark::Counter(static_cast<double>(awsauth::test::thread_allocations() - start_) /
                           static_cast<double>(state_.iterations()));
  }
  AllocationCounter(const AllocationCounter&) = delete;
  AllocationCounter& operator=(const AllocationCounter&) = delete;

 private:
  benchmark::State& state_;
  std::uint64_t start_;
};

Request w1_request() {
  Request r = parse_url("GET",
                        "https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/"
                        "cat%20pic.jpg?versionId=abc&list-type=2");
  r.headers = {{"host", "examplebucket.s3.us-east-1.amazonaws.com"}};
  return r;
}

// The loop every signing case shares: `sign_once(result)` signs one request into the reused
// result. One untimed warm-up call fills the buffers and memos; `check` (nullptr: none) then
// returns why the result is not the workload's, or nullptr. Allocations are counted from the
// first timed call on.
template <class SignOnce>
void measure_signing(benchmark::State& state, SignOnce&& sign_once,
                     const char* (*check)(const SigningResult&) = nullptr) {
  SigningResult result;
  sign_once(result);
  if (const char* wrong = check != nullptr ? check(result) : nullptr) {
    state.SkipWithError(wrong);
    return;
  }
  const AllocationCounter allocations(state);
  for (auto _ : state) {
    sign_once(result);
    benchmark::DoNotOptimize(result.signature.data());
  }
}

// The next of `items`, in turn.
template <class T>
const T& next_in_turn(const std::vector<T>& items, std::size_t& next) {
  const T& item = items[next];
  next = next + 1 == items.size() ? 0 : next + 1;
  return item;
}

void BM_Sign_W1_SmallGet(benchmark::State& state) {
  const Request request = w1_request();
  const auto settings = SigningSettings::for_service("us-east-1", "s3");
  const Payload payload;  // empty body: its SHA-256 is a known constant
  const TimePoint time = bench_time();
  measure_signing(
      state, [&](SigningResult& r) { sign(request, payload, credentials(), settings, time, r); },
      [](const SigningResult& r) -> const char* {
        return r.signed_headers == "host;x-amz-content-sha256;x-amz-date;x-amz-security-token"
                   ? nullptr
                   : "W1 signed headers differ from the workload";
      });
}
BENCHMARK(BM_Sign_W1_SmallGet);

// W1 at a new second every call: the date and string-to-sign lines are made again each time
// (a client signing one request per second or less).
void BM_Sign_W1_NewSecondEachCall(benchmark::State& state) {
  const Request request = w1_request();
  const auto settings = SigningSettings::for_service("us-east-1", "s3");
  const Payload payload;
  TimePoint time = bench_time();
  measure_signing(state, [&](SigningResult& r) {
    time += std::chrono::seconds(1);
    sign(request, payload, credentials(), settings, time, r);
  });
}
BENCHMARK(BM_Sign_W1_NewSecondEachCall);

// W1 for a different object every call (1,000 paths in turn): the URI and query memo and the
// kept SHA-256 prefix never match, so this is the signer with nothing to reuse but the key.
void BM_Sign_W1_NewPathEachCall(benchmark::State& state) {
  std::vector<Request> requests;
  for (int i = 0; i < 1000; ++i) {
    Request r = w1_request();
    r.path = "/photos/2024/cat" + std::to_string(1000 + i) + ".jpg";
    requests.push_back(std::move(r));
  }
  const auto settings = SigningSettings::for_service("us-east-1", "s3");
  const Payload payload;
  const TimePoint time = bench_time();
  std::size_t next = 0;
  measure_signing(state, [&](SigningResult& r) {
    sign(next_in_turn(requests, next), payload, credentials(), settings, time, r);
  });
}
BENCHMARK(BM_Sign_W1_NewPathEachCall);

// W1 presigned (query parameters instead of headers, as for a shared S3 link), 900 s expiry.
void BM_Presign_W1(benchmark::State& state) {
  const Request request = w1_request();
  auto settings = SigningSettings::for_service("us-east-1", "s3");
  settings.presign_expires = 900;
  const Payload payload = Payload::unsigned_payload();
  const TimePoint time = bench_time();
  measure_signing(
      state, [&](SigningResult& r) { sign(request, payload, credentials(), settings, time, r); },
      [](const SigningResult& r) -> const char* {
        return r.presigned_url.find("X-Amz-Signature=") != std::string::npos
                   ? nullptr
                   : "W1 presign produced no signed URL";
      });
}
BENCHMARK(BM_Presign_W1);

// W1 signed with SigV4a (region set us-east-1,us-west-2), the derived key cached in
// SigV4aKeyCache::shared(): the canonical request and string to sign as for SigV4, then an
// ECDSA P-256 signature, which is most of the cost (compare BM_SigV4a_EcdsaSignOnly).
void BM_Sign_SigV4a_W1(benchmark::State& state) {
  const Request request = w1_request();
  auto settings = SigningSettings::for_service("us-east-1", "s3");
  settings.algorithm = SigningAlgorithm::V4a;
  settings.region_set = "us-east-1,us-west-2";
  const Payload payload;
  const TimePoint time = bench_time();
  measure_signing(
      state, [&](SigningResult& r) { sign(request, payload, credentials(), settings, time, r); },
      [](const SigningResult& r) -> const char* {
        return r.signed_headers ==
                       "host;x-amz-content-sha256;x-amz-date;x-amz-region-set;x-amz-security-token"
                   ? nullptr
                   : "SigV4a W1 signed headers differ from the expected ones";
      });
}
BENCHMARK(BM_Sign_SigV4a_W1);

// The floor of BM_Sign_SigV4a_W1: the ECDSA signature alone (SHA-256 of a string to sign of W1's
// size, then OpenSSL's P-256 sign), with the key already derived.
void BM_SigV4a_EcdsaSignOnly(benchmark::State& state) {
  const auto key = derive_sigv4a_key(kAccessKey, kSecret);
  const std::string string_to_sign =
      "AWS4-ECDSA-P256-SHA256\n20240101T000000Z\n20240101/s3/aws4_request\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  for (auto _ : state) {
    benchmark::DoNotOptimize(key->sign(string_to_sign));
  }
}
BENCHMARK(BM_SigV4a_EcdsaSignOnly);

// Deriving a SigV4a key (what a cache miss costs): the counter-mode HMAC, one P-256 point
// multiplication and building OpenSSL's key.
void BM_SigV4a_DeriveKey(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(derive_sigv4a_key(kAccessKey, kSecret));
  }
}
BENCHMARK(BM_SigV4a_DeriveKey);

// W1 signed for a different (region, service) pair every time, 1,000 pairs in turn: every call
// misses the per-thread key memo and is served by SigningKeyCache::shared(). Compare with
// BM_Sign_W1_SmallGet (one pair) in the same run.
void BM_Sign_W1_Rotate1000Scopes(benchmark::State& state) {
  const Request request = w1_request();
  std::vector<SigningSettings> scopes;
  for (int i = 0; i < 1000; ++i) {
    scopes.push_back(SigningSettings::for_service("region-" + std::to_string(i % 40),
                                                  "s3-" + std::to_string(i / 40)));
    scopes.back().double_encode = false;
    scopes.back().normalize_path = false;
  }
  const Payload payload;
  const TimePoint time = bench_time();
  SigningResult warm;
  for (const auto& s : scopes) {
    sign(request, payload, credentials(), s, time, warm);  // derive every key once
  }
  std::size_t next = 0;
  measure_signing(state, [&](SigningResult& r) {
    sign(request, payload, credentials(), next_in_turn(scopes, next), time, r);
  });
}
BENCHMARK(BM_Sign_W1_Rotate1000Scopes);

Request w2_request() {
  Request request = parse_url("POST", "https://sts.us-east-1.amazonaws.com/");
  request.headers = {{"host", "sts.us-east-1.amazonaws.com"},
                     {"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
                     {"content-length", "200"},
                     {"amz-sdk-invocation-id", "6f1c0a3e-2b7d-4c55-9f1e-0d3b8a7c9e21"}};
  return request;
}

void BM_Sign_W2_StsPost(benchmark::State& state) {
  const Request request = w2_request();
  const std::string body = kW2Body;
  const auto settings = SigningSettings::for_service("us-east-1", "sts");
  const TimePoint time = bench_time();
  measure_signing(
      state,
      [&](SigningResult& r) {
        // The body hash is part of the work: the signer computes it every time.
        sign(request, Payload::from_bytes(body), credentials(), settings, time, r);
      },
      [](const SigningResult& r) -> const char* {
        return std::string_view(kW2Body).size() == 200 &&
                       r.signed_headers ==
                           "amz-sdk-invocation-id;content-length;content-type;host;x-amz-date;"
                           "x-amz-security-token"
                   ? nullptr
                   : "W2 body or signed headers differ from the workload";
      });
}
BENCHMARK(BM_Sign_W2_StsPost);

void BM_PayloadHash_W3_64MiB(benchmark::State& state) {
  constexpr std::size_t kTotal = 64u << 20;
  constexpr std::size_t kChunk = 1u << 20;
  const std::string chunk(kChunk, 'a');
  PayloadHasher hasher;
  for (auto _ : state) {
    for (std::size_t done = 0; done < kTotal; done += kChunk) {
      hasher.update(chunk);
    }
    auto hex = hasher.finish_hex();
    benchmark::DoNotOptimize(hex.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kTotal));
}
BENCHMARK(BM_PayloadHash_W3_64MiB)->Unit(benchmark::kMillisecond);

// Raw OpenSSL SHA-256 over the same 64 MiB in the same 1 MiB chunks: W3's floor.
void BM_OpenSSL_Sha256_64MiB(benchmark::State& state) {
  constexpr std::size_t kTotal = 64u << 20;
  constexpr std::size_t kChunk = 1u << 20;
  const std::string chunk(kChunk, 'a');
  unsigned char digest[SHA256_DIGEST_LENGTH];
  for (auto _ : state) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    for (std::size_t done = 0; done < kTotal; done += kChunk) {
      SHA256_Update(&ctx, chunk.data(), chunk.size());
    }
    SHA256_Final(digest, &ctx);
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kTotal));
}
BENCHMARK(BM_OpenSSL_Sha256_64MiB)->Unit(benchmark::kMillisecond);

// The cryptography of one signature and nothing else: SHA-256 of the prebuilt canonical
// request, then HMAC-SHA256 of the prebuilt string to sign with the signing key's inner and
// outer pad states computed once and copied (RFC 2104). Hex encoding and every string are left
// out; so is the key derivation (once a day per scope).
class CryptoFloor {
 public:
  CryptoFloor(const std::string& canonical_request, const std::string& string_to_sign,
              const SigningKey& key)
      : canonical_request_(canonical_request), string_to_sign_(string_to_sign) {
    unsigned char block[64] = {};
    std::copy(key.bytes().begin(), key.bytes().end(), block);
    unsigned char pad[64];
    for (int i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&inner_);
    SHA256_Update(&inner_, pad, sizeof pad);
    for (int i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&outer_);
    SHA256_Update(&outer_, pad, sizeof pad);
  }

  // Returns the signature's first byte, so that the work cannot be optimized away.
  unsigned char run() {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, canonical_request_.data(), canonical_request_.size());
    SHA256_Final(hash_, &ctx);
    ctx = inner_;
    SHA256_Update(&ctx, string_to_sign_.data(), string_to_sign_.size());
    SHA256_Final(mac_, &ctx);
    ctx = outer_;
    SHA256_Update(&ctx, mac_, sizeof mac_);
    SHA256_Final(mac_, &ctx);
    return mac_[0];
  }

 private:
  std::string canonical_request_;
  std::string string_to_sign_;
  SHA256_CTX inner_{};
  SHA256_CTX outer_{};
  unsigned char hash_[SHA256_DIGEST_LENGTH] = {};
  unsigned char mac_[SHA256_DIGEST_LENGTH] = {};
};

void BM_OpenSSL_LowerBound_W1(benchmark::State& state) {
  const SigningResult w1 = sign(w1_request(), Payload(), credentials(),
                                SigningSettings::for_service("us-east-1", "s3"), bench_time());
  CryptoFloor floor(w1.canonical_request, w1.string_to_sign, w1.signing_key);
  for (auto _ : state) {
    benchmark::DoNotOptimize(floor.run());
  }
}
BENCHMARK(BM_OpenSSL_LowerBound_W1);

// W2's floor adds the one hash W1 does not have: SHA-256 of the 200-byte body.
void BM_OpenSSL_LowerBound_W2(benchmark::State& state) {
  const std::string body = kW2Body;
  const SigningResult w2 = sign(w2_request(), Payload::from_bytes(body), credentials(),
                                SigningSettings::for_service("us-east-1", "sts"), bench_time());
  CryptoFloor floor(w2.canonical_request, w2.string_to_sign, w2.signing_key);
  unsigned char body_hash[SHA256_DIGEST_LENGTH];
  for (auto _ : state) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, body.data(), body.size());
    SHA256_Final(body_hash, &ctx);
    benchmark::DoNotOptimize(body_hash);
    benchmark::DoNotOptimize(floor.run());
  }
}
BENCHMARK(BM_OpenSSL_LowerBound_W2);

}  // namespace

BENCHMARK_MAIN();
