// The S3 documentation's aws-chunked examples and aws-c-auth's trailer case
// (../shared/testdata/sigv4-suite/s3-chunked/s3-chunked-examples.json), through the public
// chunked API: the seed request prepared by prepare_chunked_request(), the seed signature, every
// chunk's string to sign and signature, the framed body the encoder produces (built here from
// the file's sizes and signatures), its length, the trailer and its signature, the CRC32C.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "awsauth/signer/chunked.hpp"
#include "awsauth/signer/signer.hpp"
#include "paths.hpp"

using namespace awsauth;
using namespace awsauth::signer;
using Poco::JSON::Object;

namespace {

class S3ChunkedExamples : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(test::shared_dir() +
                     "/testdata/sigv4-suite/s3-chunked/s3-chunked-examples.json");
    ASSERT_TRUE(in);
    std::stringstream text;
    text << in.rdbuf();
    Poco::JSON::Parser parser;
    root_ = parser.parse(text.str()).extract<Object::Ptr>();
    object_ = std::string(root_->getObject("object")->getValue<std::size_t>("size"), 'a');
  }

  [[nodiscard]] Object::Ptr example(const std::string& name) const {
    return root_->getObject("cases")->getObject(name);
  }

  [[nodiscard]] Credentials credentials() const {
    auto c = root_->getObject("credentials");
    return Credentials(
        {.access_key_id = c->getValue<std::string>("access_key_id"),
         .secret_access_key = SecretString(c->getValue<std::string>("secret_access_key"))});
  }

  // The documentation's request: PUT /examplebucket/chunkObject.txt with a storage class.
  [[nodiscard]] SigningResult seed_sign(const ChunkedUpload& upload,
                                        ChunkedContentLength content_length) const {
    Request req = parse_url("PUT", "https://s3.amazonaws.com/examplebucket/chunkObject.txt");
    req.headers = {{"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
    const Payload payload = prepare_chunked_request(req, upload, content_length);
    EXPECT_EQ(payload.hash(), chunked_payload_literal(upload.mode));
    return sign(req, payload, credentials(),
                SigningSettings::for_service(root_->getValue<std::string>("region"),
                                             root_->getValue<std::string>("service")),
                *parse_amz_date(root_->getValue<std::string>("x_amz_date")));
  }

  static void expect_seed(const SigningResult& seed, const Object::Ptr& c) {
    EXPECT_EQ(seed.canonical_request, c->getValue<std::string>("canonical_request"));
    EXPECT_EQ(seed.string_to_sign, c->getValue<std::string>("string_to_sign"));
    EXPECT_EQ(seed.signature, c->getValue<std::string>("seed_signature"));
    std::string authorization;
    for (const auto& h : seed.headers) {
      if (h.name == "Authorization") authorization = h.value;
    }
    EXPECT_EQ(authorization, c->getValue<std::string>("authorization"));
  }

  // Every chunk of the example through a ChunkSigner (its string to sign and signature), and
  // the framing each one gets on the wire.
  std::string expect_chunks(ChunkSigner& signer, const Object::Ptr& c) const {
    std::string framed;
    auto chunks = c->getArray("chunks");
    std::size_t at = 0;
    for (unsigned i = 0; i < chunks->size(); ++i) {
      auto chunk = chunks->getObject(i);
      const auto size = chunk->getValue<std::size_t>("size");
      const std::string data = object_.substr(at, size);
      at += size;
      const std::string sig = signer.sign_chunk(data);
      EXPECT_EQ(signer.last_string_to_sign(), chunk->getValue<std::string>("string_to_sign"))
          << "chunk " << i;
      EXPECT_EQ(sig, chunk->getValue<std::string>("signature")) << "chunk " << i;
      std::ostringstream hex;
      hex << std::hex << size;
      framed += hex.str() + ";chunk-signature=" + chunk->getValue<std::string>("signature") +
                "\r\n" + data;
      if (size > 0) framed += "\r\n";
    }
    EXPECT_EQ(at, object_.size());
    return framed;
  }

  [[nodiscard]] std::string encode(const ChunkedUpload& upload, const SigningResult& seed) const {
    std::size_t at = 0;
    AwsChunkedEncoder encoder(upload, seed, [&](char* out, std::size_t capacity) {
      const std::size_t n = std::min(capacity, object_.size() - at);
      std::memcpy(out, object_.data() + at, n);
      at += n;
      return n;
    });
    std::string body;
    char buf[7000];
    while (const std::size_t n = encoder.read(buf, sizeof buf)) body.append(buf, n);
    EXPECT_TRUE(encoder.done());
    EXPECT_EQ(encoder.produced(), body.size());
    return body;
  }

  Object::Ptr root_;
  std::string object_;
};

TEST_F(S3ChunkedExamples, SignedPayloadMatchesTheDocumentationByteForByte) {
  const auto c = example("streaming-signed-payload");
  const ChunkedUpload upload{
      .mode = ChunkedMode::SignedPayload, .decoded_length = object_.size(), .chunk_size = 65536};
  const SigningResult seed = seed_sign(upload, ChunkedContentLength::Add);
  expect_seed(seed, c);

  ChunkSigner signer(seed);
  const std::string expected_body = expect_chunks(signer, c) + "\r\n";
  EXPECT_EQ(expected_body.size(), c->getValue<std::uint64_t>("encoded_body_length"));
  EXPECT_EQ(chunked_encoded_length(upload), c->getValue<std::uint64_t>("encoded_body_length"));

  const std::string body = encode(upload, seed);
  EXPECT_EQ(body, expected_body);
  const auto decoded =
      decode_aws_chunked(body, upload.mode, StreamingSeed::from(seed), object_.size());
  EXPECT_EQ(decoded.payload, object_);
  EXPECT_EQ(decoded.chunk_sizes, (std::vector<std::size_t>{65536, 1024, 0}));
}

TEST_F(S3ChunkedExamples, SignedTrailerMatchesTheDocumentationByteForByte) {
  const auto c = example("streaming-signed-payload-trailer");
  const auto trailer = c->getObject("trailer");
  const auto line = trailer->getArray("headers")->getObject(0);
  const std::string name = line->getValue<std::string>("name");
  ASSERT_TRUE(name.starts_with("x-amz-checksum-"));
  const ChunkedUpload upload{.mode = ChunkedMode::SignedPayloadTrailer,
                             .decoded_length = object_.size(),
                             .chunk_size = 65536,
                             .checksum = parse_checksum_algorithm(name.substr(15))};
  ASSERT_TRUE(upload.checksum);
  // The documentation's trailer example does not sign Content-Length.
  const SigningResult seed = seed_sign(upload, ChunkedContentLength::Omit);
  expect_seed(seed, c);

  EXPECT_EQ(checksum_base64(*upload.checksum, object_),
            root_->getObject("object")->getValue<std::string>("crc32c_base64"));
  EXPECT_EQ(checksum_base64(*upload.checksum, object_), line->getValue<std::string>("value"));

  ChunkSigner signer(seed);
  std::string expected_body = expect_chunks(signer, c);
  const std::string trailer_signature =
      signer.sign_trailer(std::vector<Header>{{name, line->getValue<std::string>("value")}});
  EXPECT_EQ(signer.last_string_to_sign(), trailer->getValue<std::string>("string_to_sign"));
  EXPECT_EQ(trailer_signature, trailer->getValue<std::string>("signature"));
  expected_body += name + ":" + line->getValue<std::string>("value") + "\r\n" +
                   "x-amz-trailer-signature:" + trailer->getValue<std::string>("signature") +
                   "\r\n\r\n";
  EXPECT_EQ(expected_body.size(), c->getValue<std::uint64_t>("encoded_body_length"));
  EXPECT_EQ(chunked_encoded_length(upload), c->getValue<std::uint64_t>("encoded_body_length"));

  const std::string body = encode(upload, seed);
  EXPECT_EQ(body, expected_body);
  const auto decoded =
      decode_aws_chunked(body, upload.mode, StreamingSeed::from(seed), object_.size());
  EXPECT_EQ(decoded.payload, object_);
  ASSERT_EQ(decoded.trailers.size(), 1u);
  EXPECT_EQ(decoded.trailers[0].name, name);
}

TEST_F(S3ChunkedExamples, CrtTrailingHeadersSignatureChainsAfterTheFinalChunk) {
  const auto c = example("crt-trailing-headers");
  const ChunkedUpload upload{
      .mode = ChunkedMode::SignedPayload, .decoded_length = object_.size(), .chunk_size = 65536};
  const SigningResult seed = seed_sign(upload, ChunkedContentLength::Add);
  expect_seed(seed, c);
  ChunkSigner signer(StreamingSeed::from(seed));
  (void)expect_chunks(signer, c);

  const auto trailer = c->getObject("trailer");
  std::vector<Header> headers;
  auto lines = trailer->getArray("headers");
  for (unsigned i = 0; i < lines->size(); ++i) {
    headers.push_back({lines->getObject(i)->getValue<std::string>("name"),
                       lines->getObject(i)->getValue<std::string>("value")});
  }
  const std::string canonical = trailer->getValue<std::string>("canonical_trailer");
  // Both forms of sign_trailer agree, from the same previous signature.
  ChunkSigner again(StreamingSeed{seed.signing_key, seed.amz_date, seed.credential_scope,
                                  signer.previous_signature()});
  EXPECT_EQ(signer.sign_trailer(headers), trailer->getValue<std::string>("signature"));
  EXPECT_EQ(signer.last_string_to_sign(), trailer->getValue<std::string>("string_to_sign"));
  EXPECT_EQ(again.sign_trailer(canonical), trailer->getValue<std::string>("signature"));
}

TEST_F(S3ChunkedExamples, SeedValuesAreTheFilesSigningKeyAndScope) {
  const ChunkedUpload upload{.decoded_length = object_.size()};
  const SigningResult seed = seed_sign(upload, ChunkedContentLength::Add);
  const StreamingSeed s = StreamingSeed::from(seed);
  EXPECT_EQ(s.signing_key.hex(), root_->getValue<std::string>("signing_key_hex"));
  EXPECT_EQ(s.credential_scope, root_->getValue<std::string>("credential_scope"));
  EXPECT_EQ(s.amz_date, root_->getValue<std::string>("x_amz_date"));
}

}  // namespace
