// The result's explicit signing key, scope and seed signature are what an aws-chunked signer
// chains from. This proves they suffice, on the S3 documentation's chunked-upload example
// (../shared/testdata/sigv4-suite/s3-chunked/), with only the public step functions.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "awsauth/signer/signer.hpp"
#include "paths.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

TEST(ChunkChaining, SeedSignatureAndChunkSignaturesMatchTheS3Example) {
  std::ifstream in(test::shared_dir() +
                   "/testdata/sigv4-suite/s3-chunked/s3-chunked-examples.json");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  Poco::JSON::Parser parser;
  auto root = parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>();
  auto c = root->getObject("cases")->getObject("streaming-signed-payload");

  const Credentials creds(
      {.access_key_id = "AKIAIOSFODNN7EXAMPLE",
       .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")});
  Request req = parse_url("PUT", "https://s3.amazonaws.com/examplebucket/chunkObject.txt");
  req.headers = {{"Content-Encoding", "aws-chunked"},
                 {"Content-Length", "66824"},
                 {"x-amz-decoded-content-length", "66560"},
                 {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
  const auto seed =
      sign(req, Payload::precomputed("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), creds,
           SigningSettings::for_service("us-east-1", "s3"), *parse_amz_date("20130524T000000Z"));
  EXPECT_EQ(seed.canonical_request, c->getValue<std::string>("canonical_request"));
  EXPECT_EQ(seed.signature, c->getValue<std::string>("seed_signature"));
  EXPECT_EQ(seed.signing_key.hex(), root->getValue<std::string>("signing_key_hex"));

  std::string previous = seed.signature;
  auto chunks = c->getArray("chunks");
  ASSERT_EQ(chunks->size(), 3u);
  for (unsigned i = 0; i < chunks->size(); ++i) {
    auto chunk = chunks->getObject(i);
    PayloadHasher hasher;
    hasher.update(std::string(chunk->getValue<std::size_t>("size"), 'a'));
    const std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n" + seed.amz_date + "\n" +
                            seed.credential_scope + "\n" + previous + "\n" +
                            std::string(kEmptyPayloadHash) + "\n" + hasher.finish_hex();
    EXPECT_EQ(sts, chunk->getValue<std::string>("string_to_sign"));
    previous = signature(seed.signing_key, sts);
    EXPECT_EQ(previous, chunk->getValue<std::string>("signature")) << "chunk " << i;
  }
}

}  // namespace
