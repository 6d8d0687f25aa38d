// docs/event-streams.md: a signed event stream body, the way a Transcribe streaming client
// builds one (no network: the credentials and the time are fixed, and the body is read back
// with the streaming decoder the way a client reads a response body).
//
// Build: part of the normal build (target event_stream_sign). Run: ./event_stream_sign

#include <chrono>
#include <cstdio>
#include <string>

#include "awsauth/signer/event_stream.hpp"
#include "awsauth/signer/signer.hpp"

namespace signer = awsauth::signer;

int main() {
  const awsauth::Credentials credentials(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = awsauth::SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});
  const auto start = *signer::parse_amz_date("20260101T120000Z");

  // 1. The initial request, signed with the event-stream payload hash. Its headers go on the
  //    HTTP/2 request; its signature seeds the chain.
  auto request = signer::parse_url(
      "POST", "https://transcribestreaming.us-east-1.amazonaws.com/stream-transcription");
  request.headers.push_back({"Content-Type", "application/vnd.amazon.eventstream"});
  request.headers.push_back(
      {"X-Amz-Target", "com.amazonaws.transcribe.Transcribe.StartStreamTranscription"});
  auto settings = signer::SigningSettings::for_service("us-east-1", "transcribe");
  settings.add_content_sha256 = true;  // X-Amz-Content-Sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS
  const auto seed =
      signer::sign(request, signer::Payload::precomputed(signer::kEventStreamPayloadHash),
                   credentials, settings, start);
  for (const auto& h : seed.headers) std::printf("%s: %s\n", h.name.c_str(), h.value.c_str());

  // 2. Each audio chunk is an event message, signed and wrapped in an outer message; the
  //    body is their concatenation, ended by the signed empty message.
  signer::EventStreamSigner stream(seed, credentials);
  std::string body;
  for (int i = 0; i < 3; ++i) {
    signer::EventStreamMessage audio;
    audio.headers = {{":message-type", std::string("event")},
                     {":event-type", std::string("AudioEvent")},
                     {":content-type", std::string("application/octet-stream")}};
    audio.payload.assign(3200, static_cast<char>(i));  // 100 ms of 16 kHz 16-bit PCM
    stream.sign_message(audio, start + std::chrono::milliseconds(100 * (i + 1)), body);
    std::printf("event %d signature %s\n", i, stream.previous_signature().c_str());
  }
  stream.finish(start + std::chrono::seconds(1), body);
  std::printf("end signature %s, body %zu bytes\n", stream.previous_signature().c_str(),
              body.size());

  // 3. Reading a body: feed what arrives, take whole messages out.
  signer::EventStreamDecoder decoder;
  signer::EventStreamMessage message;
  int count = 0;
  try {
    for (std::size_t at = 0; at < body.size(); at += 1000) {
      decoder.feed(std::string_view(body).substr(at, 1000));
      while (decoder.next(message)) {
        const auto inner = message.payload.empty() ? signer::EventStreamMessage{}
                                                   : signer::decode_message(message.payload);
        std::printf("message %d: %zu outer headers, inner payload %zu bytes\n", count++,
                    message.headers.size(), inner.payload.size());
      }
    }
    decoder.finish();
  } catch (const signer::EventStreamError& e) {
    std::fprintf(stderr, "bad event stream at byte %llu: %s\n",
                 static_cast<unsigned long long>(e.offset()), e.what());
    return 1;
  }
  return count == 4 ? 0 : 1;
}
