// Differential test against awscrt (aws-c-auth, through Debian's python3-awscrt) and an
// independent hmac/hashlib chain (chunked_oracle.py): generated aws-chunked uploads must get
// awscrt's seed signature, and the encoder's body must carry the oracle's chunk signatures,
// trailer and bytes. CRC32 / CRC32C of slices of every size to 4096 bytes (and larger) must
// equal awscrt.checksums'.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>

#include "awsauth/signer/checksum.hpp"
#include "awsauth/signer/chunked.hpp"
#include "awsauth/signer/signer.hpp"
#include "paths.hpp"
#include "signer/src/crc.hpp"

using namespace awsauth;
using namespace awsauth::signer;
using Poco::JSON::Object;

namespace {

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, which has python3-awscrt

bool awscrt_available() {
  if (!std::filesystem::exists(kPython)) return false;
  const std::string cmd = std::string(kPython) + " -c 'import awscrt.auth' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::vector<Object::Ptr> run_oracle(const std::string& args) {
  const std::string cmd = std::string(kPython) + " '" + test::source_dir() +
                          "/tests/differential/chunked_oracle.py' " + args;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("cannot start " + cmd);
  std::string text;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  const int status = ::pclose(p);
  if (status != 0) {
    throw std::runtime_error("chunked_oracle.py failed (status " + std::to_string(status) + ")");
  }
  std::vector<Object::Ptr> out;
  std::istringstream lines(text);
  std::string line;
  Poco::JSON::Parser parser;
  while (std::getline(lines, line)) {
    parser.reset();
    out.push_back(parser.parse(line).extract<Object::Ptr>());
  }
  return out;
}

// The oracle's payload: sha256("<tag>:<i>") for i = 0, 1, ... concatenated and cut to `size`.
std::string oracle_payload(const std::string& tag, std::size_t size) {
  std::string out;
  for (std::size_t i = 0; out.size() < size; ++i) {
    const std::string in = tag + ":" + std::to_string(i);
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(in.data()), in.size(), d);
    out.append(reinterpret_cast<const char*>(d), sizeof d);
  }
  out.resize(size);
  return out;
}

std::string sha256_hex_of(std::string_view s) { return sha256_hex(s); }

ChunkedMode mode_of(const std::string& name) {
  if (name == "signed") return ChunkedMode::SignedPayload;
  if (name == "signed-trailer") return ChunkedMode::SignedPayloadTrailer;
  return ChunkedMode::UnsignedPayloadTrailer;
}

TEST(ChunkedMatchesAwscrt, SeedSignatureChunkChainAndBodyOfGeneratedUploads) {
  if (!awscrt_available()) {
    GTEST_SKIP() << "python3-awscrt is not installed for /usr/bin/python3 "
                    "(bash .ci/install-packages python3-awscrt)";
  }
  constexpr int kCount = 60;
  const auto cases = run_oracle("--seed 20261202 --count " + std::to_string(kCount));
  ASSERT_EQ(cases.size(), static_cast<std::size_t>(kCount));
  const std::string token =
      "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example/token==";
  std::mt19937_64 rng(5);
  for (const auto& c : cases) {
    const std::string what = "case " + std::to_string(c->getValue<int>("case"));
    CredentialsInit fields{
        .access_key_id = "AKIDEXAMPLE",
        .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")};
    if (c->getValue<bool>("token")) fields.session_token = SecretString(token);
    const Credentials creds(std::move(fields));

    ChunkedUpload upload{.mode = mode_of(c->getValue<std::string>("mode")),
                         .decoded_length = c->getValue<std::uint64_t>("size"),
                         .chunk_size = c->getValue<std::size_t>("chunk_size")};
    if (!c->getValue<std::string>("checksum").empty()) {
      upload.checksum = parse_checksum_algorithm(c->getValue<std::string>("checksum"));
    }
    Request req = parse_url(
        "PUT", "https://" + c->getValue<std::string>("host") + c->getValue<std::string>("path"));
    auto headers = c->getArray("headers");
    for (unsigned i = 0; i < headers->size(); ++i) {
      auto h = headers->getArray(i);
      req.headers.push_back({h->getElement<std::string>(0), h->getElement<std::string>(1)});
    }
    const Payload payload = prepare_chunked_request(req, upload,
                                                    c->getValue<bool>("sign_content_length")
                                                        ? ChunkedContentLength::Add
                                                        : ChunkedContentLength::Omit);
    const SigningResult seed = sign(
        req, payload, creds, SigningSettings::for_service(c->getValue<std::string>("region"), "s3"),
        *parse_amz_date(c->getValue<std::string>("amz_date")));
    ASSERT_EQ(seed.signature, c->getValue<std::string>("seed_signature")) << what << "\n"
                                                                          << seed.canonical_request;

    const std::string data =
        oracle_payload(std::to_string(c->getValue<int>("case")), upload.decoded_length);
    std::size_t at = 0;
    AwsChunkedEncoder encoder(upload, seed, [&](char* out, std::size_t capacity) {
      const std::size_t n = std::min({capacity, data.size() - at, std::size_t(1 + rng() % 30000)});
      std::memcpy(out, data.data() + at, n);
      at += n;
      return n;
    });
    std::string body;
    char buf[12345];
    while (const std::size_t n = encoder.read(buf, sizeof buf)) body.append(buf, n);
    EXPECT_EQ(body.size(), c->getValue<std::uint64_t>("encoded_length")) << what;
    EXPECT_EQ(chunked_encoded_length(upload), c->getValue<std::uint64_t>("encoded_length")) << what;
    EXPECT_EQ(sha256_hex_of(body), c->getValue<std::string>("body_sha256")) << what;
    EXPECT_EQ(encoder.checksum_value(), c->getValue<std::string>("checksum_value")) << what;

    // The chain through ChunkSigner too, chunk by chunk.
    auto sigs = c->getArray("chunk_signatures");
    if (chunked_mode_is_signed(upload.mode)) {
      ChunkSigner signer(seed);
      std::size_t offset = 0;
      for (unsigned i = 0; i < sigs->size(); ++i) {
        const std::size_t n = std::min<std::size_t>(upload.chunk_size, data.size() - offset);
        EXPECT_EQ(signer.sign_chunk(std::string_view(data).substr(offset, n)),
                  sigs->getElement<std::string>(i))
            << what << " chunk " << i;
        offset += n;
      }
      if (upload.mode == ChunkedMode::SignedPayloadTrailer) {
        EXPECT_EQ(signer.sign_trailer(
                      std::vector<Header>{{std::string(checksum_header_name(*upload.checksum)),
                                           c->getValue<std::string>("checksum_value")}}),
                  c->getValue<std::string>("trailer_signature"))
            << what;
      }
    } else {
      EXPECT_EQ(sigs->size(), 0u);
    }
    EXPECT_EQ(decode_aws_chunked(body, upload.mode, StreamingSeed::from(seed), data.size()).payload,
              data)
        << what;
  }
}

TEST(ChecksumsMatchAwscrt, Crc32AndCrc32cOfEverySizeTo4096AndLargerOnBothPaths) {
  if (!awscrt_available()) {
    GTEST_SKIP() << "python3-awscrt is not installed for /usr/bin/python3 "
                    "(bash .ci/install-packages python3-awscrt)";
  }
  const auto cases = run_oracle("--checksums 5000");
  ASSERT_EQ(cases.size(), 4097u + 3u);
  const std::string buf = oracle_payload("crc", (std::size_t{1} << 20) + 4096 + 64);
  std::mt19937_64 rng(8);
  for (const bool portable : {false, true}) {
    crc::force_portable(portable);
    for (const auto& c : cases) {
      const auto offset = c->getValue<std::size_t>("offset");
      const auto size = c->getValue<std::size_t>("size");
      const char* p = buf.data() + offset;
      const auto want32 = c->getValue<std::uint32_t>("crc32");
      const auto want32c = c->getValue<std::uint32_t>("crc32c");
      ASSERT_EQ(signer::crc32(0, p, size), want32) << "size " << size << " portable " << portable;
      ASSERT_EQ(signer::crc32c(0, p, size), want32c) << "size " << size << " portable " << portable;
      // Split at a random point: the running form continues where the first call stopped.
      const std::size_t split = size == 0 ? 0 : rng() % size;
      ASSERT_EQ(signer::crc32(signer::crc32(0, p, split), p + split, size - split), want32);
      ASSERT_EQ(signer::crc32c(signer::crc32c(0, p, split), p + split, size - split), want32c);
    }
  }
  crc::force_portable(false);
}

}  // namespace
