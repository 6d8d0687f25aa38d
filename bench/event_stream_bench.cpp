// Event stream benchmarks (part of awsauth_bench; BENCHMARK_MAIN is in signer_bench.cpp): signing
// one 1 KiB audio-style event into a reused body buffer (encode the inner message, the :date
// header, the string to sign with its two SHA-256s, the HMAC, the outer frame and its CRCs),
// and decoding such a message, one-shot and through the streaming decoder.

#include <benchmark/benchmark.h>

#include <string>

#include "awsauth/signer/event_stream.hpp"
#include "awsauth/signer/signer.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

EventStreamMessage audio_event() {
  EventStreamMessage m;
  m.headers = {{":message-type", std::string("event")},
               {":event-type", std::string("AudioEvent")},
               {":content-type", std::string("application/octet-stream")}};
  m.payload.assign(1024, '\x5a');
  return m;
}

EventStreamSigner make_signer() {
  const Scope scope{"20240101", "us-east-1", "transcribe"};
  return EventStreamSigner(derive_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", scope),
                           scope, std::string(64, 'a'));
}

void BM_EventStream_SignMessage_1KiB(benchmark::State& state) {
  EventStreamSigner signer = make_signer();
  const EventStreamMessage inner = audio_event();
  TimePoint time = *parse_amz_date("20240101T000000Z");
  std::string out;
  signer.sign_message(inner, time, out);  // warm the reused buffers
  for (auto _ : state) {
    out.clear();
    signer.sign_message(inner, time, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(inner.payload.size()));
}
BENCHMARK(BM_EventStream_SignMessage_1KiB);

void BM_EventStream_Decode_1KiB(benchmark::State& state) {
  std::string bytes;
  encode_message(audio_event(), bytes);
  EventStreamMessage out;
  for (auto _ : state) {
    decode_message(bytes, out);
    benchmark::DoNotOptimize(out.payload.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes.size()));
}
BENCHMARK(BM_EventStream_Decode_1KiB);

// A body of 64 such messages fed in 1400-byte pieces (a TLS record's worth of a socket read).
void BM_EventStream_StreamingDecode_64x1KiB(benchmark::State& state) {
  std::string body;
  for (int i = 0; i < 64; ++i) encode_message(audio_event(), body);
  EventStreamMessage out;
  for (auto _ : state) {
    EventStreamDecoder decoder;
    for (std::size_t at = 0; at < body.size(); at += 1400) {
      decoder.feed(std::string_view(body).substr(at, 1400));
      while (decoder.next(out)) benchmark::DoNotOptimize(out.payload.data());
    }
    decoder.finish();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_EventStream_StreamingDecode_64x1KiB);

}  // namespace
