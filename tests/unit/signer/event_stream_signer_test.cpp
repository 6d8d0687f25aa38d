// SigV4 event-stream signing against the published vectors of three other implementations:
// aws-c-auth tests/test_event_signing.c (the initial request and a chain of four messages),
// smithy-rs aws-sigv4 src/event_stream.rs (the string to sign of a framed message, and the
// signed message's shape) and aws-sdk-go-v2 aws/signer/v4/stream_test.go (the string-to-sign
// step over raw inputs). Their inputs and expected values are copied; the code is ours.

#include <gtest/gtest.h>

#include "awsauth/signer/event_stream.hpp"
#include "awsauth/signer/payload.hpp"
#include "awsauth/signer/signer.hpp"

namespace awsauth::signer {
namespace {

using namespace std::chrono_literals;

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

TimePoint at(std::string_view amz_date) { return *parse_amz_date(amz_date); }

// Every signed frame of a body, decoded.
std::vector<EventStreamMessage> frames(const std::string& body) {
  EventStreamDecoder decoder;
  decoder.feed(body);
  std::vector<EventStreamMessage> out;
  EventStreamMessage m;
  while (decoder.next(m)) out.push_back(m);
  decoder.finish();
  return out;
}

TEST(EventStreamSigner, MatchesAwsCAuthEventSigningChain) {
  // aws-c-auth sigv4_event_signing_test: the initial request signed with
  // STREAMING-AWS4-HMAC-SHA256-EVENTS, then events "A", "B", "C" one second apart and the
  // empty end-of-stream event.
  const Credentials credentials(
      {.access_key_id = "access", .secret_access_key = SecretString("secret")});
  auto request = parse_url("POST", "https://demo.us-east-1.amazonaws.com/streaming");
  request.headers.push_back({"Content-Encoding", "application/vnd.amazon.eventstream"});
  auto settings = SigningSettings::for_service("us-east-1", "demo");
  settings.double_encode = false;      // use_double_uri_encode = false
  settings.add_content_sha256 = true;  // AWS_SBHT_X_AMZ_CONTENT_SHA256
  const auto seed = sign(request, Payload::precomputed(kEventStreamPayloadHash), credentials,
                         settings, at("19810116T063000Z"));
  const Header* authorization = nullptr;
  for (const auto& h : seed.headers) {
    if (h.name == "Authorization") authorization = &h;
  }
  ASSERT_NE(authorization, nullptr);
  EXPECT_EQ(authorization->value,
            "AWS4-HMAC-SHA256 Credential=access/19810116/us-east-1/demo/aws4_request, "
            "SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date, "
            "Signature=e1d8e8c8815e60969f2a34765c9a15945ffc0badbaa4b7e3b163ea19131e949b");

  EventStreamSigner signer(seed);
  EXPECT_EQ(signer.previous_signature(),
            "e1d8e8c8815e60969f2a34765c9a15945ffc0badbaa4b7e3b163ea19131e949b");
  std::string body;
  signer.sign_encoded("A", at("19810116T063001Z"), body);
  EXPECT_EQ(signer.previous_signature(),
            "7aabf85b765e6a4d0d500b6e968657b14726fa3e1eb7e839302728ffd77629a5");
  signer.sign_encoded("B", at("19810116T063002Z"), body);
  EXPECT_EQ(signer.previous_signature(),
            "f72aa9642f571d24a6e1ae42f10f073ad9448d8a028b6bcd82da081335adda02");
  signer.sign_encoded("C", at("19810116T063003Z"), body);
  EXPECT_EQ(signer.previous_signature(),
            "632af120435b57ec241d8bfbb12e496dfd5e2730a1a02ac0ab6eaa230ae02e9a");
  signer.finish(at("19810116T063004Z"), body);
  EXPECT_EQ(signer.previous_signature(),
            "c6f679ddb3af68f5e82f0cf6761244cb2338cf11e7d01a24130aea1b7c17e53e");

  // The body: four outer messages carrying those signatures as raw bytes, the payloads as given
  // and :date in milliseconds.
  const auto sent = frames(body);
  ASSERT_EQ(sent.size(), 4U);
  const char* expected[] = {"7aabf85b765e6a4d0d500b6e968657b14726fa3e1eb7e839302728ffd77629a5",
                            "f72aa9642f571d24a6e1ae42f10f073ad9448d8a028b6bcd82da081335adda02",
                            "632af120435b57ec241d8bfbb12e496dfd5e2730a1a02ac0ab6eaa230ae02e9a",
                            "c6f679ddb3af68f5e82f0cf6761244cb2338cf11e7d01a24130aea1b7c17e53e"};
  const char* payloads[] = {"A", "B", "C", ""};
  for (std::size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(sent[i].headers.size(), 2U);
    EXPECT_EQ(sent[i].headers[0].name, ":chunk-signature");
    EXPECT_EQ(to_hex(std::get<EventStreamBytes>(sent[i].headers[0].value).bytes), expected[i]);
    EXPECT_EQ(sent[i].headers[1].name, ":date");
    EXPECT_EQ(std::get<EventStreamTimestamp>(sent[i].headers[1].value),
              std::chrono::time_point_cast<std::chrono::milliseconds>(at("19810116T063001Z") +
                                                                      std::chrono::seconds(i)));
    EXPECT_EQ(sent[i].payload, payloads[i]);
  }
}

TEST(EventStreamSigner, StringToSignMatchesSmithyRs) {
  // smithy-rs event_stream.rs `string_to_sign`: the message "test payload" with header
  // some-header: "value", last signature sha256("last message sts"), time 123456789 s + 1234 ns.
  EventStreamMessage inner;
  inner.headers = {{"some-header", std::string("value")}};
  inner.payload = "test payload";
  const Scope scope{"19731129", "us-east-1", "testservice"};
  EventStreamSigner signer(derive_signing_key("any secret: not part of the string", scope), scope,
                           sha256_hex("last message sts"));
  std::string body;
  const TimePoint time = TimePoint(std::chrono::seconds(123456789)) + 1234ns;
  signer.sign_message(inner, time, body);
  EXPECT_EQ(signer.last_string_to_sign(),
            "AWS4-HMAC-SHA256-PAYLOAD\n"
            "19731129T213309Z\n"
            "19731129/us-east-1/testservice/aws4_request\n"
            "be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2\n"
            "0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e\n"
            "f2eba0f2e95967ee9fbc6db5e678d2fd599229c0d04b11e4fc8e0f2a02a806c6");

  // smithy-rs `sign`: :chunk-signature (the signature's bytes) then :date (whole seconds), the
  // payload the encoded inner message.
  const auto sent = frames(body);
  ASSERT_EQ(sent.size(), 1U);
  ASSERT_EQ(sent[0].headers.size(), 2U);
  EXPECT_EQ(sent[0].headers[0].name, ":chunk-signature");
  EXPECT_EQ(to_hex(std::get<EventStreamBytes>(sent[0].headers[0].value).bytes),
            signer.previous_signature());
  EXPECT_EQ(sent[0].headers[1].name, ":date");
  EXPECT_EQ(std::get<EventStreamTimestamp>(sent[0].headers[1].value).time_since_epoch(),
            std::chrono::seconds(123456789));
  EXPECT_EQ(decode_message(sent[0].payload), inner);
}

TEST(EventStreamSigner, StringToSignStepMatchesAwsSdkGoV2) {
  // aws-sdk-go-v2 TestStreamSigner_GetSignature: AKID/SECRET, transcribestreaming in us-east-1,
  // seed signature the raw bytes "foobarbazqux"; headers and payload raw bytes.
  struct Message {
    std::string_view headers;
    std::string_view payload;
    int unix_seconds;
    std::string_view expect;
  };
  const Message messages[] = {
      {"foo", "foo", 10, "e3a136405ec1152f62136742efd41f8639cd647a1cf21fab12aedb22cccd8999"},
      {"bar", "bar", 20, "92a6ad677e839d3003672cb2cefc71ef80d42e8cb300fefce0807e8398c74068"},
      {"baz", "baz", 30, "46d6660bd40f2ff5d6246a347895cabe7f4e89d9e1f4c6dad6dabdc801923be1"},
      {"", "", 30, "492bcb3e21de447c85f8a9bef6c0eb833e992e405b9b3584be84edaccc5aad18"},
  };
  const Scope scope{"19700101", "us-east-1", "transcribestreaming"};
  const SigningKey key = derive_signing_key("SECRET", scope);
  std::string previous = to_hex("foobarbazqux");
  for (const auto& m : messages) {
    const TimePoint time{std::chrono::seconds(m.unix_seconds)};
    const auto sts = event_stream_string_to_sign(format_amz_date(time), scope.to_string(), previous,
                                                 m.headers, m.payload);
    previous = signature(key, sts);
    EXPECT_EQ(previous, m.expect) << m.unix_seconds;
  }
}

TEST(EventStreamSigner, SigningResultSeedsTheChainWithItsKeyScopeAndSignature) {
  const Credentials credentials(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});
  const auto seed =
      sign(parse_url("POST", "https://transcribestreaming.us-west-2.amazonaws.com/stream"),
           Payload::precomputed(kEventStreamPayloadHash), credentials,
           SigningSettings::for_service("us-west-2", "transcribe"), at("20260101T120000Z"));
  EventStreamSigner from_result(seed);
  EventStreamSigner explicit_values(seed.signing_key, seed.scope, seed.signature);
  EventStreamMessage inner;
  inner.headers = {{":message-type", std::string("event")}, {":event-type", std::string("Audio")}};
  inner.payload = std::string(320, '\x01');
  std::string a;
  std::string b;
  for (int i = 0; i < 3; ++i) {
    from_result.sign_message(inner, at("20260101T120001Z") + std::chrono::seconds(i), a);
    explicit_values.sign_message(inner, at("20260101T120001Z") + std::chrono::seconds(i), b);
  }
  from_result.finish(at("20260101T120005Z"), a);
  explicit_values.finish(at("20260101T120005Z"), b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(from_result.previous_signature(), explicit_values.previous_signature());
  // Each message's signature chains from the one before: changing the first changes the last.
  EventStreamSigner other_seed(seed.signing_key, seed.scope, std::string(64, '0'));
  std::string c;
  for (int i = 0; i < 3; ++i) {
    other_seed.sign_message(inner, at("20260101T120001Z") + std::chrono::seconds(i), c);
  }
  other_seed.finish(at("20260101T120005Z"), c);
  EXPECT_NE(other_seed.previous_signature(), from_result.previous_signature());
  // The end frame: two headers, an empty payload.
  const auto sent = frames(a);
  ASSERT_EQ(sent.size(), 4U);
  EXPECT_TRUE(sent.back().payload.empty());
  EXPECT_EQ(decode_message(sent[0].payload), inner);
}

TEST(EventStreamSigner, AStreamCrossingMidnightUsesTheNewDaysScopeAndKey) {
  const Credentials credentials(
      {.access_key_id = "AKIDEXAMPLE", .secret_access_key = SecretString("midnight-secret")});
  const auto seed =
      sign(parse_url("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/x"),
           Payload::precomputed(kEventStreamPayloadHash), credentials,
           SigningSettings::for_service("us-east-1", "bedrock"), at("20261231T235958Z"));
  EventStreamSigner signer(seed, credentials);
  std::string body;
  signer.sign_encoded("before", at("20261231T235959Z"), body);
  EXPECT_EQ(signer.scope().date, "20261231");
  const std::string before_midnight = signer.previous_signature();
  signer.sign_encoded("after", at("20270101T000001Z"), body);
  EXPECT_EQ(signer.scope().date, "20270101");
  // The string to sign carries the new day's scope, and the signature is the new day's key's
  // HMAC of it (as smithy-rs, aws-sdk-go-v2 and aws-c-auth derive it per message).
  EXPECT_NE(signer.last_string_to_sign().find("\n20270101/us-east-1/bedrock/aws4_request\n" +
                                              before_midnight + "\n"),
            std::string::npos)
      << signer.last_string_to_sign();
  const Scope next_day{"20270101", "us-east-1", "bedrock"};
  EXPECT_EQ(signer.previous_signature(), signature(derive_signing_key("midnight-secret", next_day),
                                                   signer.last_string_to_sign()));

  // Without the secret there is no key for the new day: an error that says what to do, and no
  // frame appended.
  EventStreamSigner key_only(seed);
  std::string kept = "kept";
  try {
    key_only.sign_encoded("after", at("20270101T000001Z"), kept);
    FAIL() << "signed with the previous day's key";
  } catch (const SigningError& e) {
    EXPECT_NE(std::string(e.what()).find("20270101"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("credentials"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("midnight-secret"), std::string::npos);
  }
  EXPECT_EQ(kept, "kept");
  EXPECT_EQ(key_only.previous_signature(), seed.signature);
}

TEST(EventStreamSigner, AnInnerMessageThatCannotBeEncodedSignsNothing) {
  const Scope scope{"20260101", "us-east-1", "transcribe"};
  EventStreamSigner signer(derive_signing_key("s", scope), scope, std::string(64, 'a'));
  EventStreamMessage inner;
  inner.headers = {{std::string(300, 'n'), true}};
  std::string out;
  EXPECT_THROW(signer.sign_message(inner, at("20260101T000000Z"), out), EventStreamError);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(signer.previous_signature(), std::string(64, 'a'));
}

}  // namespace
}  // namespace awsauth::signer
