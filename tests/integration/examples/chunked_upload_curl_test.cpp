// docs/examples/chunked_upload_curl (docs/streaming.md) run as a user runs it, against a
// loopback server that does what S3 does with the body: takes the seed values from the request's
// own headers (Authorization, X-Amz-Date, X-Amz-Content-SHA256, X-Amz-Decoded-Content-Length),
// derives the signing key from the secret, and decodes and verifies the aws-chunked body with
// decode_aws_chunked(). What arrives must be the file, byte for byte.

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <random>
#include <string>

#include "awsauth/signer/chunked.hpp"
#include "awsauth/signer/signer.hpp"
#include "cli_run.hpp"
#include "loopback_server.hpp"
#include "temp_dir.hpp"

#if defined(AWSAUTH_HAVE_LIBCURL)

namespace awsauth {
namespace {

using namespace signer;

constexpr const char* kAkid = "AKIDEXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string between(const std::string& s, const std::string& from, const std::string& to) {
  const auto a = s.find(from);
  if (a == std::string::npos) return "";
  const auto b = s.find(to, a + from.size());
  return s.substr(a + from.size(),
                  b == std::string::npos ? std::string::npos : b - a - from.size());
}

// The verifying server's view of one upload.
struct Received {
  std::string error;  // empty when the body verified
  DecodedAwsChunked body;
  std::string content_sha256;
  std::string trailer;
};

class ChunkedUploadCurl : public ::testing::Test {
 protected:
  ChunkedUploadCurl()
      : server_([this](const test::RecordedRequest& r) -> test::ScriptedResponse {
          Received got;
          try {
            const std::string authz = *r.header("Authorization");
            const std::string scope = between(authz, "Credential=AKIDEXAMPLE/", ",");
            const auto parts = between(scope, "", "/aws4_request");
            Scope s{.date = scope.substr(0, 8)};
            const auto slash = parts.find('/', 9);
            s.region = parts.substr(9, slash - 9);
            s.service = parts.substr(slash + 1);
            const StreamingSeed seed{derive_signing_key(kSecret, s), *r.header("X-Amz-Date"), scope,
                                     between(authz, "Signature=", "\n")};
            got.content_sha256 = *r.header("X-Amz-Content-SHA256");
            if (const auto* t = r.header("X-Amz-Trailer")) got.trailer = *t;
            const ChunkedMode mode = got.content_sha256 == kStreamingSignedPayload
                                         ? ChunkedMode::SignedPayload
                                     : got.content_sha256 == kStreamingSignedPayloadTrailer
                                         ? ChunkedMode::SignedPayloadTrailer
                                         : ChunkedMode::UnsignedPayloadTrailer;
            got.body = decode_aws_chunked(r.body, mode, seed,
                                          std::stoull(*r.header("X-Amz-Decoded-Content-Length")));
          } catch (const std::exception& e) {
            got.error = e.what();
          }
          const bool ok = got.error.empty();
          std::lock_guard lock(mutex_);
          received_.push_back(std::move(got));
          return {.status = ok ? 200 : 400, .body = ok ? "" : "bad body"};
        }) {}

  std::string write_file(std::size_t size) {
    std::mt19937_64 rng(size);
    std::string data(size, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    const std::string path = dir_.path() + "/upload.bin";
    std::ofstream(path, std::ios::binary) << data;
    return data;
  }

  test::CliResult upload(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {server_.url("/bucket/key"), "us-east-1",
                                     dir_.path() + "/upload.bin"};
    args.insert(args.end(), extra.begin(), extra.end());
    return test::run_program(std::string(AWSAUTH_EXAMPLES_DIR) + "/chunked_upload_curl", args,
                             {{"AWS_ACCESS_KEY_ID", kAkid}, {"AWS_SECRET_ACCESS_KEY", kSecret}},
                             std::chrono::seconds(60));
  }

  Received last() {
    std::lock_guard lock(mutex_);
    return received_.empty() ? Received{.error = "no request"} : received_.back();
  }

  test::TempDir dir_;
  std::mutex mutex_;
  std::vector<Received> received_;
  test::LoopbackServer server_;
};

TEST_F(ChunkedUploadCurl, SignedChunksArriveVerifiedAndEqualToTheFile) {
  const std::string data = write_file(3 * 65536 + 1234);
  const auto r = upload({});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "200\n");
  const Received got = last();
  ASSERT_EQ(got.error, "");
  EXPECT_EQ(got.content_sha256, kStreamingSignedPayload);
  EXPECT_EQ(got.body.payload, data);
  EXPECT_EQ(got.body.chunk_sizes.size(), 5u);
}

TEST_F(ChunkedUploadCurl, SignedTrailerWithEachChecksumArrivesVerified) {
  const std::string data = write_file(100000);
  for (const std::string alg : {"crc32", "crc32c", "sha1", "sha256"}) {
    const auto r = upload({"--checksum", alg, "--chunk-size", "8192"});
    EXPECT_EQ(r.exit_code, 0) << alg << ": " << r.err;
    const Received got = last();
    ASSERT_EQ(got.error, "") << alg;
    EXPECT_EQ(got.content_sha256, kStreamingSignedPayloadTrailer);
    EXPECT_EQ(got.trailer, "x-amz-checksum-" + alg);
    EXPECT_EQ(got.body.payload, data) << alg;
    ASSERT_EQ(got.body.trailers.size(), 1u);
    EXPECT_EQ(got.body.chunk_sizes.size(), 100000 / 8192 + 2);
  }
}

TEST_F(ChunkedUploadCurl, UnsignedTrailerArrivesVerified) {
  const std::string data = write_file(70000);
  const auto r = upload({"--checksum", "crc32c", "--unsigned"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const Received got = last();
  ASSERT_EQ(got.error, "");
  EXPECT_EQ(got.content_sha256, kStreamingUnsignedPayloadTrailer);
  EXPECT_EQ(got.body.payload, data);
}

TEST_F(ChunkedUploadCurl, EmptyFileIsOneFinalChunk) {
  (void)write_file(0);
  const auto r = upload({});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const Received got = last();
  ASSERT_EQ(got.error, "");
  EXPECT_EQ(got.body.payload, "");
  EXPECT_EQ(got.body.chunk_sizes, std::vector<std::size_t>{0});
}

TEST_F(ChunkedUploadCurl, ChunkSizeBelowTheMinimumIsRefusedBeforeSending) {
  (void)write_file(10);
  const auto r = upload({"--chunk-size", "4096"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("below S3's minimum of 8192"), std::string::npos) << r.err;
  EXPECT_EQ(server_.request_count(), 0u);
}

}  // namespace
}  // namespace awsauth

#endif
