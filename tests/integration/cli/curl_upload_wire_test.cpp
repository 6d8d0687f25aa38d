// `awsauth curl --upload-file` against a capture server on 127.0.0.1: the aws-chunked body on
// the wire decodes with the signer's decoder, every chunk signature (and the trailer's)
// verifies against the seed signature the request carried, the headers say what the body is,
// and the trailing checksum is the file's, computed here by an independent implementation
// (Python's zlib and hashlib, awscrt for CRC32C). Usage errors of the upload options exit 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "awsauth/signer/chunked.hpp"
#include "awsauth/signer/signing_key.hpp"
#include "checksum_oracle.hpp"
#include "cli_run.hpp"
#include "loopback_server.hpp"
#include "moto_server.hpp"

namespace awsauth {
namespace {

namespace fs = std::filesystem;
using test::CliResult;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;
using ::testing::HasSubstr;

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::map<std::string, std::string> keys() {
  return {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
          {"AWS_SECRET_ACCESS_KEY", kSecret},
          {"AWS_SESSION_TOKEN", "SESSIONTOKENVALUE1234"},
          {"AWS_REGION", "us-east-1"},
          {"AWS_CONFIG_FILE", "/nonexistent/config"},
          {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}};
}

std::string between(const std::string& text, const std::string& from, const std::string& to) {
  const auto b = text.find(from);
  if (b == std::string::npos) return {};
  const auto e = text.find(to, b + from.size());
  return text.substr(b + from.size(), e == std::string::npos ? e : e - b - from.size());
}

std::string header(const RecordedRequest& r, const char* name) {
  const std::string* v = r.header(name);
  return v == nullptr ? std::string("<absent>") : *v;
}

class CurlUploadWire : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("awsauth-upload-wire-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  fs::path write_file(std::size_t size, unsigned seed) {
    std::string bytes(size, '\0');
    std::mt19937 gen(seed);
    for (char& c : bytes) c = static_cast<char>(gen() & 0xff);
    const fs::path path = dir / ("upload-" + std::to_string(size) + ".bin");
    std::ofstream(path, std::ios::binary) << bytes;
    content = bytes;
    return path;
  }

  // Uploads `file` to a capture server with `extra` options; returns the one request.
  RecordedRequest upload(const fs::path& file, std::vector<std::string> extra, CliResult& r) {
    LoopbackServer server;
    server.enqueue({.status = 200, .body = ""});
    std::vector<std::string> args = {"curl",          "-v",         "--service", "s3",
                                     "--upload-file", file.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(server.url("/bucket/key.bin"));
    r = test::run_cli(args, keys());
    if (server.request_count() != 1) {
      ADD_FAILURE() << "expected one request, got " << server.request_count() << "\n" << r.err;
      return {};
    }
    return server.requests()[0];
  }

  // The seed values a verifier needs, read from the request as received.
  static signer::StreamingSeed seed_of(const RecordedRequest& r) {
    const std::string auth = header(r, "Authorization");
    const std::string credential = between(auth, "Credential=", ",");
    // AKID/date/region/service/aws4_request
    std::vector<std::string> parts;
    for (std::size_t at = 0, slash = 0; slash != std::string::npos; at = slash + 1) {
      slash = credential.find('/', at);
      parts.push_back(credential.substr(at, slash == std::string::npos ? slash : slash - at));
    }
    EXPECT_EQ(parts.size(), 5u) << auth;
    if (parts.size() != 5) return {};
    const signer::Scope scope{parts[1], parts[2], parts[3]};
    signer::StreamingSeed seed;
    seed.signing_key = signer::derive_signing_key(kSecret, scope);
    seed.amz_date = header(r, "X-Amz-Date");
    seed.credential_scope = scope.to_string();
    seed.seed_signature = auth.substr(auth.find("Signature=") + 10);
    return seed;
  }

  fs::path dir;
  std::string content;
};

TEST_F(CurlUploadWire, SignedChunksVerifyAgainstTheSeedAndDecodeToTheFile) {
  const fs::path file = write_file(300 * 1024 + 5, 1);
  CliResult r;
  const RecordedRequest req = upload(file, {"--chunk-size", "8192"}, r);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(req.method, "PUT") << "--upload-file defaults to PUT, as curl's -T";
  EXPECT_EQ(req.path, "/bucket/key.bin");
  EXPECT_EQ(header(req, "X-Amz-Content-SHA256"), "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
  EXPECT_EQ(header(req, "Content-Encoding"), "aws-chunked");
  EXPECT_EQ(header(req, "X-Amz-Decoded-Content-Length"), std::to_string(content.size()));
  EXPECT_EQ(header(req, "Content-Length"), std::to_string(req.body.size()));
  EXPECT_EQ(header(req, "X-Amz-Trailer"), "<absent>");
  EXPECT_THAT(header(req, "Authorization"), HasSubstr("content-encoding"));
  EXPECT_THAT(header(req, "Authorization"), HasSubstr("x-amz-decoded-content-length"));

  const auto decoded = signer::decode_aws_chunked(req.body, signer::ChunkedMode::SignedPayload,
                                                  seed_of(req), content.size());
  EXPECT_TRUE(decoded.payload == content) << "decoded bytes differ from the file";
  ASSERT_EQ(decoded.chunk_sizes.size(), 300 / 8 + 2);  // 37 full, 1 of 4096 + 5, the final 0
  for (std::size_t i = 0; i + 2 < decoded.chunk_sizes.size(); ++i) {
    EXPECT_EQ(decoded.chunk_sizes[i], 8192u) << "chunk " << i;
  }
  EXPECT_EQ(decoded.chunk_sizes[decoded.chunk_sizes.size() - 2], 4096u + 5);
  EXPECT_EQ(decoded.chunk_sizes.back(), 0u);

  // -v describes the body with the numbers that went on the wire.
  EXPECT_THAT(r.err, HasSubstr("* body: aws-chunked STREAMING-AWS4-HMAC-SHA256-PAYLOAD, chunk "
                               "size 8192, decoded length " +
                               std::to_string(content.size()) + ", encoded length " +
                               std::to_string(req.body.size()) + "\n"));
  EXPECT_THAT(r.err, HasSubstr("> X-Amz-Content-SHA256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD\n"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr(kSecret)));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("SESSIONTOKENVALUE1234")));
}

TEST_F(CurlUploadWire, AChunkChangedOnTheWireWouldFailVerification) {
  // The check above can fail: one flipped payload byte in the captured body is refused.
  const fs::path file = write_file(20000, 2);
  CliResult r;
  RecordedRequest req = upload(file, {"--chunk-size", "8192"}, r);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto header_end = req.body.find("\r\n");
  ASSERT_NE(header_end, std::string::npos);
  req.body[header_end + 100] ^= 0x01;
  EXPECT_THROW((void)signer::decode_aws_chunked(req.body, signer::ChunkedMode::SignedPayload,
                                                seed_of(req), content.size()),
               signer::AwsChunkedError);
}

struct TrailerCase {
  std::string algorithm;
  bool unsigned_payload;
};

class CurlUploadWireTrailer : public CurlUploadWire,
                              public ::testing::WithParamInterface<TrailerCase> {};

TEST_P(CurlUploadWireTrailer, TrailerCarriesTheFilesChecksumAndVerifies) {
  const TrailerCase& c = GetParam();
  const fs::path file = write_file(70000, 3);
  std::vector<std::string> extra = {"--checksum", c.algorithm};
  if (c.unsigned_payload) extra.emplace_back("--unsigned-payload");
  CliResult r;
  const RecordedRequest req = upload(file, extra, r);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto mode = c.unsigned_payload ? signer::ChunkedMode::UnsignedPayloadTrailer
                                       : signer::ChunkedMode::SignedPayloadTrailer;
  EXPECT_EQ(header(req, "X-Amz-Content-SHA256"), signer::chunked_payload_literal(mode));
  EXPECT_EQ(header(req, "X-Amz-Trailer"), "x-amz-checksum-" + c.algorithm);
  std::string upper = c.algorithm;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(header(req, "x-amz-sdk-checksum-algorithm"), upper);
  EXPECT_EQ(header(req, "Content-Length"), std::to_string(req.body.size()));

  const auto decoded = signer::decode_aws_chunked(req.body, mode, seed_of(req), content.size());
  EXPECT_TRUE(decoded.payload == content);
  ASSERT_EQ(decoded.trailers.size(), 1u);
  EXPECT_EQ(decoded.trailers[0].name, "x-amz-checksum-" + c.algorithm);
  const std::string expected = test::oracle_checksum_base64(c.algorithm, file.string());
  if (expected.empty()) GTEST_SKIP() << "no awscrt in /usr/bin/python3 to compute CRC32C with";
  EXPECT_EQ(decoded.trailers[0].value, expected);
  EXPECT_THAT(r.err, HasSubstr("* trailer sent: x-amz-checksum-" + c.algorithm + ":" + expected));
  if (c.unsigned_payload) {
    EXPECT_EQ(req.body.find(";chunk-signature="), std::string::npos);
    EXPECT_EQ(req.body.find("x-amz-trailer-signature"), std::string::npos);
  } else {
    EXPECT_NE(req.body.find("x-amz-trailer-signature:"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Algorithms, CurlUploadWireTrailer,
                         ::testing::Values(TrailerCase{"crc32", false},
                                           TrailerCase{"crc32c", false}, TrailerCase{"sha1", false},
                                           TrailerCase{"sha256", false}, TrailerCase{"crc32", true},
                                           TrailerCase{"crc32c", true}, TrailerCase{"sha1", true},
                                           TrailerCase{"sha256", true}),
                         [](const auto& info) {
                           return info.param.algorithm +
                                  (info.param.unsigned_payload ? "Unsigned" : "Signed");
                         });

TEST_F(CurlUploadWire, ExplicitMethodIsKeptAndAnEmptyFileIsOneFinalChunk) {
  const fs::path file = write_file(0, 4);
  CliResult r;
  const RecordedRequest req = upload(file, {"-X", "POST"}, r);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(header(req, "X-Amz-Decoded-Content-Length"), "0");
  const auto decoded =
      signer::decode_aws_chunked(req.body, signer::ChunkedMode::SignedPayload, seed_of(req), 0);
  EXPECT_EQ(decoded.payload, "");
  EXPECT_EQ(decoded.chunk_sizes, std::vector<std::size_t>{0});
}

TEST_F(CurlUploadWire, AUrlWithoutAFileNameGetsTheFilesNameAppendedAsCurlDoes) {
  // curl -T appends the local file's name (percent-encoded, after its last slash) to a URL
  // whose path is empty or ends in '/'; the path signed is that path, so S3 would accept it.
  const fs::path file = dir / "sub" / "my photo+1~.bin";
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << "twelve bytes";
  struct Case {
    std::string path_and_query;  // after the authority; "" is a URL without a path
    std::string sent;            // the request target expected on the wire
  };
  const std::vector<Case> cases = {
      {"/bucket/dir/", "/bucket/dir/my%20photo%2B1~.bin"},
      {"/bucket/dir/?x-id=PutObject", "/bucket/dir/my%20photo%2B1~.bin?x-id=PutObject"},
      {"", "/my%20photo%2B1~.bin"},
      {"/bucket/named.bin", "/bucket/named.bin"},  // a file part: used as given
  };
  for (const Case& c : cases) {
    LoopbackServer server;
    server.enqueue({.status = 200});
    std::string url = server.url("/");
    url.pop_back();
    url += c.path_and_query;
    const CliResult r = test::run_cli(
        {"curl", "-v", "--service", "s3", "--upload-file", file.string(), url}, keys());
    ASSERT_EQ(r.exit_code, 0) << c.path_and_query << "\n" << r.err;
    ASSERT_EQ(server.request_count(), 1u) << c.path_and_query;
    const RecordedRequest req = server.requests()[0];
    EXPECT_EQ(req.target, c.sent) << url;
    const std::string path = c.sent.substr(0, c.sent.find('?'));
    EXPECT_THAT(r.err, HasSubstr("> PUT " + server.url(c.sent) + "\n")) << url;
    // The canonical request (the seed signature's, printed by -v) has the same path.
    EXPECT_THAT(r.err, HasSubstr("PUT\n" + path + "\n")) << url;
    const auto decoded =
        signer::decode_aws_chunked(req.body, signer::ChunkedMode::SignedPayload, seed_of(req), 12);
    EXPECT_EQ(decoded.payload, "twelve bytes") << url;
  }
}

TEST_F(CurlUploadWire, DataBinaryStreamsTheFileWithItsHashAndLength) {
  const fs::path file = write_file(200 * 1024 + 3, 5);
  LoopbackServer server;
  server.enqueue({.status = 200});
  const CliResult r = test::run_cli({"curl", "--service", "s3", "-X", "PUT", "--data-binary",
                                     "@" + file.string(), server.url("/bucket/plain")},
                                    keys());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(server.request_count(), 1u);
  const RecordedRequest req = server.requests()[0];
  EXPECT_TRUE(req.body == content);
  EXPECT_EQ(header(req, "Content-Length"), std::to_string(content.size()));
  const std::string sha = test::run_command(
      "python3 -c \"import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read())"
      ".hexdigest())\" " +
      file.string());
  EXPECT_EQ(header(req, "X-Amz-Content-SHA256") + "\n", sha);
}

// --- usage errors -------------------------------------------------------------------------------

struct UsageCase {
  std::vector<std::string> args;  // between "curl --service s3" and the URL
  std::string message;
};

TEST_F(CurlUploadWire, UploadOptionMisuseIsAUsageError) {
  const fs::path file = write_file(10, 6);
  const std::string f = file.string();
  const std::vector<UsageCase> cases = {
      {{"--upload-file", f, "--chunk-size", "8191"}, "--chunk-size '8191' must be a number"},
      {{"--upload-file", f, "--chunk-size", "0"}, "--chunk-size '0' must be a number"},
      {{"--upload-file", f, "--chunk-size", "64k"}, "--chunk-size '64k' must be a number"},
      {{"--upload-file", f, "--chunk-size", "-8192"}, "--chunk-size '-8192' must be a number"},
      {{"--upload-file", f, "--chunk-size", "16777217"}, "to 16777216"},
      {{"--upload-file", f, "--unsigned-payload"}, "--unsigned-payload needs --checksum"},
      {{"--checksum", "crc32"}, "--checksum needs --upload-file"},
      {{"--chunk-size", "65536"}, "--chunk-size needs --upload-file"},
      {{"--unsigned-payload"}, "--unsigned-payload needs --upload-file"},
      {{"--upload-file", f, "-d", "x"}, "give one body: -d, --data-binary or --upload-file"},
      {{"--upload-file", f, "--data-binary", "@" + f},
       "give one body: -d, --data-binary or --upload-file"},
      {{"--upload-file", f, "--checksum", "md5"}, "--checksum"},
      {{"--upload-file", (dir / "missing.bin").string()}, "--upload-file: cannot read"},
      {{"--upload-file", dir.string()}, "is not a regular file"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"curl", "--service", "s3"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.emplace_back("http://127.0.0.1:1/bucket/key");
    const CliResult r = test::run_cli(args, keys());
    EXPECT_EQ(r.exit_code, 2) << c.message << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message));
    EXPECT_THAT(r.err, HasSubstr("Run 'awsauth curl --help' for the options."));
  }
}

}  // namespace
}  // namespace awsauth
