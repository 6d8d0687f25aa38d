// Signer benchmarks implementing ../shared/bench/workload.json (W1, W2, W3), plus an OpenSSL
// lower bound for W1: the SHA-256 of W1's canonical request and the HMAC of its string to
// sign with an already-derived key, on prebuilt strings. Prints nothing but benchmark output.

#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <string>

#include "awsauth/signer/signer.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

// Values from ../shared/bench/workload.json.
constexpr const char* kDate = "20240101T000000Z";
constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
constexpr const char* kW2Body =
    "Action=AssumeRole&DurationSeconds=3600&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fbench-role&RoleSessionName=peerbench-session-0001&Version=2011-06-15&ExternalId=0123456789abcdef0123456789abcd";

const Credentials& credentials() {
  static const Credentials c({.access_key_id = kAccessKey,
                              .secret_access_key = SecretString(kSecret),
                              .session_token = SecretString(kToken)});
  return c;
}

TimePoint bench_time() { return *parse_amz_date(kDate); }

Request w1_request() {
  Request r = parse_url(
      "GET",
      "https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/cat%20pic.jpg?versionId=abc&list-type=2");
  r.headers = {{"host", "examplebucket.s3.us-east-1.amazonaws.com"}};
  return r;
}

void BM_Sign_W1_SmallGet(benchmark::State& state) {
  const Request request = w1_request();
  const auto settings = SigningSettings::for_service("us-east-1", "s3");
  const Payload payload;  // empty body: its SHA-256 is a known constant
  const TimePoint time = bench_time();
  SigningResult result;
  sign(request, payload, credentials(), settings, time, result);
  if (result.signed_headers != "host;x-amz-content-sha256;x-amz-date;x-amz-security-token") {
    state.SkipWithError("W1 signed headers differ from the workload");
    return;
  }
  for (auto _ : state) {
    sign(request, payload, credentials(), settings, time, result);
    benchmark::DoNotOptimize(result.signature.data());
  }
}
BENCHMARK(BM_Sign_W1_SmallGet);

void BM_Sign_W2_StsPost(benchmark::State& state) {
  Request request = parse_url("POST", "https://sts.us-east-1.amazonaws.com/");
  request.headers = {{"host", "sts.us-east-1.amazonaws.com"},
                     {"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
                     {"content-length", "200"},
                     {"amz-sdk-invocation-id", "6f1c0a3e-2b7d-4c55-9f1e-0d3b8a7c9e21"}};
  const std::string body = kW2Body;
  const auto settings = SigningSettings::for_service("us-east-1", "sts");
  const TimePoint time = bench_time();
  SigningResult result;
  sign(request, Payload::from_bytes(body), credentials(), settings, time, result);
  if (body.size() != 200 || result.signed_headers !=
                                "amz-sdk-invocation-id;content-length;content-type;host;x-amz-date;"
                                "x-amz-security-token") {
    state.SkipWithError("W2 body or signed headers differ from the workload");
    return;
  }
  for (auto _ : state) {
    // The body hash is part of the work: the signer computes it every time.
    sign(request, Payload::from_bytes(body), credentials(), settings, time, result);
    benchmark::DoNotOptimize(result.signature.data());
  }
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

// Lower bound for W1: only the cryptography, on W1's own prebuilt canonical request and string
// to sign, with the signing key already derived and the algorithms fetched once.
void BM_OpenSSL_LowerBound_W1(benchmark::State& state) {
  SigningResult w1 = sign(w1_request(), Payload(), credentials(),
                          SigningSettings::for_service("us-east-1", "s3"), bench_time());
  const std::string canonical_request = w1.canonical_request;
  const std::string string_to_sign = w1.string_to_sign;
  const auto key = w1.signing_key.bytes();
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MD_CTX* md_ctx = EVP_MD_CTX_new();
  EVP_MAC_CTX* mac_ctx = EVP_MAC_CTX_new(mac);
  char digest_name[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                         OSSL_PARAM_construct_end()};
  EVP_MAC_CTX_set_params(mac_ctx, params);
  unsigned char hash[32];
  unsigned char sig[32];
  for (auto _ : state) {
    unsigned int hl = 0;
    EVP_DigestInit_ex2(md_ctx, md, nullptr);
    EVP_DigestUpdate(md_ctx, canonical_request.data(), canonical_request.size());
    EVP_DigestFinal_ex(md_ctx, hash, &hl);
    std::size_t sl = 0;
    EVP_MAC_init(mac_ctx, key.data(), key.size(), nullptr);
    EVP_MAC_update(mac_ctx, reinterpret_cast<const unsigned char*>(string_to_sign.data()),
                   string_to_sign.size());
    EVP_MAC_final(mac_ctx, sig, &sl, sizeof sig);
    benchmark::DoNotOptimize(hash);
    benchmark::DoNotOptimize(sig);
  }
  EVP_MAC_CTX_free(mac_ctx);
  EVP_MD_CTX_free(md_ctx);
  EVP_MAC_free(mac);
  EVP_MD_free(md);
}
BENCHMARK(BM_OpenSSL_LowerBound_W1);

}  // namespace

BENCHMARK_MAIN();
