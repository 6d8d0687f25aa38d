// Streamed uploads with `awsauth curl` to moto_server's S3 on 127.0.0.1 (signature checking
// on): a 100 MiB file sent as a signed aws-chunked body (--upload-file) and as a plain body
// (--data-binary) reads back byte for byte, and the peak RSS of the command does not grow with
// the file (compared with a 10 MiB upload; ru_maxrss as GNU time reports it). The
// trailer variants (--checksum, --unsigned-payload) on a smaller file: the object reads back
// whole and moto returns, with x-amz-checksum-mode: ENABLED, the checksum the trailer carried,
// which must be the file's as Python computes it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "checksum_oracle.hpp"
#include "cli_run.hpp"
#include "moto_server.hpp"
#include "paths.hpp"

namespace {

namespace fs = std::filesystem;
using awsauth::test::CliResult;
using awsauth::test::MotoServer;
using awsauth::test::MotoUser;
using ::testing::HasSubstr;
using Env = std::map<std::string, std::string>;
using Steady = std::chrono::steady_clock;

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

// Writes `size` bytes of a seeded pseudo-random stream to `path`, 1 MiB at a time.
void write_random_file(const fs::path& path, std::uint64_t size, unsigned seed) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::mt19937_64 gen(seed);
  std::string block(kMiB, '\0');
  for (std::uint64_t left = size; left > 0;) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kMiB));
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      const std::uint64_t v = gen();
      std::memcpy(block.data() + i, &v, 8);
    }
    for (std::size_t i = n - n % 8; i < n; ++i) block[i] = static_cast<char>(gen());
    out.write(block.data(), static_cast<std::streamsize>(n));
    left -= n;
  }
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// True when both files hold the same bytes (compared 1 MiB at a time); `why` says where not.
bool same_bytes(const fs::path& a, const fs::path& b, std::string& why) {
  std::ifstream x(a, std::ios::binary), y(b, std::ios::binary);
  if (!x || !y) {
    why = "cannot open both files";
    return false;
  }
  std::string bx(kMiB, '\0'), by(kMiB, '\0');
  std::uint64_t offset = 0;
  while (true) {
    x.read(bx.data(), static_cast<std::streamsize>(bx.size()));
    y.read(by.data(), static_cast<std::streamsize>(by.size()));
    const auto nx = static_cast<std::size_t>(x.gcount()), ny = static_cast<std::size_t>(y.gcount());
    const auto common = std::min(nx, ny);
    for (std::size_t i = 0; i < common; ++i) {
      if (bx[i] != by[i]) {
        why = "first difference at byte " + std::to_string(offset + i);
        return false;
      }
    }
    if (nx != ny) {
      why = "sizes differ: " + std::to_string(fs::file_size(a)) + " and " +
            std::to_string(fs::file_size(b));
      return false;
    }
    if (nx == 0) return true;
    offset += nx;
  }
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A run of the CLI with its peak resident set size, as GNU time reports it (%M: the child's
// ru_maxrss). Not wait4 on a child of this process: posix_spawn's child shares this process's
// memory until it execs, and the kernel carries that high-water mark into the child's
// ru_maxrss, so the figure would be this test's size. time is a small process that forks.
struct MeasuredRun {
  int exit_code = -1;
  long max_rss_kib = 0;
  double seconds = 0;
  std::string err;
};

constexpr const char* kGnuTime = "/usr/bin/time";

MeasuredRun run_measured(const std::vector<std::string>& args, const Env& env,
                         const fs::path& scratch, std::chrono::seconds deadline) {
  if (!fs::exists(kGnuTime)) {  // the upload is still checked; expect_constant_memory skips
    MeasuredRun plain;
    const CliResult r = awsauth::test::run_cli(args, env, deadline);
    plain.exit_code = r.exit_code;
    plain.err = r.err;
    return plain;
  }
  const fs::path rss_file = scratch / "max_rss_kib.txt";
  std::vector<std::string> argv = {"-o", rss_file.string(), "-f", "%M", awsauth::test::cli_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto start = Steady::now();
  const CliResult r = awsauth::test::run_program(kGnuTime, argv, env, deadline);
  MeasuredRun result;
  result.seconds = std::chrono::duration<double>(Steady::now() - start).count();
  result.exit_code = r.exit_code;
  result.err = r.err;
  // The last line is %M (a failed command's status line comes before it).
  std::istringstream lines(slurp(rss_file));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos) {
      result.max_rss_kib = std::stol(line);
    }
  }
  return result;
}

class CurlUploadAgainstMoto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = fs::temp_directory_path() / ("awsauth-upload-moto-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    moto = std::make_unique<MotoServer>();
    user = moto->create_user("upload-user");
    moto->require_signatures(true);
    const CliResult r = curl({"--service", "s3", "-X", "PUT", bucket_url()});
    ASSERT_EQ(r.exit_code, 0) << "cannot create the bucket: " << r.err << r.out;
  }
  static void TearDownTestSuite() {
    moto.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  static std::string bucket_url() { return moto->url() + "/upload-bucket"; }

  static Env env() {
    return {{"HOME", dir.string()},
            {"AWS_CONFIG_FILE", (dir / "none").string()},
            {"AWS_SHARED_CREDENTIALS_FILE", (dir / "none").string()},
            {"AWS_REGION", "us-east-1"},
            {"AWS_ACCESS_KEY_ID", user.access_key_id},
            {"AWS_SECRET_ACCESS_KEY", user.secret_access_key}};
  }

  static CliResult curl(std::vector<std::string> args) {
    args.insert(args.begin(), "curl");
    return awsauth::test::run_cli(args, env(), std::chrono::seconds(120));
  }

  static MeasuredRun curl_measured(std::vector<std::string> args) {
    args.insert(args.begin(), "curl");
    return run_measured(args, env(), dir, std::chrono::seconds(120));
  }

  // PUTs `file` with `how` (the body options), measured; GETs it back with -o and compares.
  static MeasuredRun put_and_read_back(const fs::path& file, const std::vector<std::string>& how,
                                       const std::string& key) {
    std::vector<std::string> args = {"--service", "s3"};
    args.insert(args.end(), how.begin(), how.end());
    args.push_back(bucket_url() + "/" + key);
    const MeasuredRun put = curl_measured(args);
    EXPECT_EQ(put.exit_code, 0) << put.err;
    const fs::path back = dir / (key + ".back");
    const CliResult get = curl({"--service", "s3", "-o", back.string(), bucket_url() + "/" + key});
    EXPECT_EQ(get.exit_code, 0) << get.err;
    std::string why;
    EXPECT_TRUE(same_bytes(file, back, why)) << key << ": " << why;
    fs::remove(back);
    return put;
  }

  static std::unique_ptr<MotoServer> moto;
  static MotoUser user;
  static fs::path dir;
};
std::unique_ptr<MotoServer> CurlUploadAgainstMoto::moto;
MotoUser CurlUploadAgainstMoto::user;
fs::path CurlUploadAgainstMoto::dir;

// The peak RSS must not follow the file: 10 MiB and 100 MiB uploads differ by less than this.
constexpr long kMaxRssGrowthKib = 4 * 1024;
// And neither holds the file: well under the 100 MiB it would take.
constexpr long kMaxRssKib = 32 * 1024;

// Called last in a test: without GNU time it marks the test skipped (the uploads were checked).
void expect_constant_memory(const char* what, const MeasuredRun& small, const MeasuredRun& large) {
  if (!fs::exists(kGnuTime)) {
    GTEST_SKIP() << kGnuTime << " (Debian package 'time') is needed to measure the peak RSS";
  }
  std::printf("%s: peak RSS %ld KiB for 10 MiB (%.2f s), %ld KiB for 100 MiB (%.2f s)\n", what,
              small.max_rss_kib, small.seconds, large.max_rss_kib, large.seconds);
  ::testing::Test::RecordProperty(std::string(what) + "_rss_10MiB_kib",
                                  std::to_string(small.max_rss_kib));
  ::testing::Test::RecordProperty(std::string(what) + "_rss_100MiB_kib",
                                  std::to_string(large.max_rss_kib));
  EXPECT_GT(small.max_rss_kib, 0);
  EXPECT_LT(large.max_rss_kib - small.max_rss_kib, kMaxRssGrowthKib)
      << what << ": the peak RSS grew with the file";
  EXPECT_LT(large.max_rss_kib, kMaxRssKib) << what;
}

TEST_F(CurlUploadAgainstMoto, HundredMebibyteAwsChunkedUploadReadsBackWholeInConstantMemory) {
  const fs::path small = dir / "chunked-10m.bin", large = dir / "chunked-100m.bin";
  write_random_file(small, 10 * kMiB, 1);
  write_random_file(large, 100 * kMiB + 12345, 2);  // a short last chunk too
  const MeasuredRun s = put_and_read_back(small, {"--upload-file", small.string()}, "chunked-10m");
  const MeasuredRun l = put_and_read_back(large, {"--upload-file", large.string()}, "chunked-100m");
  expect_constant_memory("upload-file", s, l);
  fs::remove(small);
  fs::remove(large);
}

TEST_F(CurlUploadAgainstMoto, HundredMebibyteDataBinaryUploadReadsBackWholeInConstantMemory) {
  const fs::path small = dir / "plain-10m.bin", large = dir / "plain-100m.bin";
  write_random_file(small, 10 * kMiB, 3);
  write_random_file(large, 100 * kMiB, 4);
  const MeasuredRun s =
      put_and_read_back(small, {"-X", "PUT", "--data-binary", "@" + small.string()}, "plain-10m");
  const MeasuredRun l =
      put_and_read_back(large, {"-X", "PUT", "--data-binary", "@" + large.string()}, "plain-100m");
  expect_constant_memory("data-binary", s, l);
  fs::remove(small);
  fs::remove(large);
}

struct TrailerCase {
  std::string algorithm;
  bool unsigned_payload;
};

class CurlUploadAgainstMotoTrailer : public CurlUploadAgainstMoto,
                                     public ::testing::WithParamInterface<TrailerCase> {};

TEST_P(CurlUploadAgainstMotoTrailer, ObjectReadsBackAndCarriesTheFilesChecksum) {
  const TrailerCase& c = GetParam();
  const std::string key = "trailer-" + c.algorithm + (c.unsigned_payload ? "-unsigned" : "");
  const fs::path file = dir / (key + ".bin");
  write_random_file(file, 3 * kMiB + 777, 5);
  std::vector<std::string> how = {"--upload-file", file.string(), "--chunk-size",
                                  "65536",         "--checksum",  c.algorithm};
  if (c.unsigned_payload) how.emplace_back("--unsigned-payload");
  (void)put_and_read_back(file, how, key);

  const std::string expected = awsauth::test::oracle_checksum_base64(c.algorithm, file.string());
  if (expected.empty()) GTEST_SKIP() << "no awscrt in /usr/bin/python3 to compute CRC32C with";
  const CliResult head = curl({"--service", "s3", "-i", "-H", "x-amz-checksum-mode: ENABLED", "-X",
                               "HEAD", bucket_url() + "/" + key});
  ASSERT_EQ(head.exit_code, 0) << head.err;
  EXPECT_THAT(head.out, HasSubstr("x-amz-checksum-" + c.algorithm + ": " + expected + "\r\n"))
      << head.out;
  fs::remove(file);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, CurlUploadAgainstMotoTrailer,
                         ::testing::Values(TrailerCase{"crc32", false},
                                           TrailerCase{"crc32c", false}, TrailerCase{"sha1", false},
                                           TrailerCase{"sha256", false}, TrailerCase{"crc32", true},
                                           TrailerCase{"crc32c", true}, TrailerCase{"sha1", true},
                                           TrailerCase{"sha256", true}),
                         [](const auto& info) {
                           return info.param.algorithm +
                                  (info.param.unsigned_payload ? "Unsigned" : "Signed");
                         });

TEST_F(CurlUploadAgainstMoto, WrongSecretIsRefusedForTheSeedSignature) {
  const fs::path file = dir / "refused.bin";
  write_random_file(file, 100000, 6);
  Env e = env();
  e["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYWRONGKEY";
  const CliResult r = awsauth::test::run_cli(
      {"curl", "--service", "s3", "--upload-file", file.string(), bucket_url() + "/refused"}, e,
      std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("403"));
  fs::remove(file);
}

}  // namespace
