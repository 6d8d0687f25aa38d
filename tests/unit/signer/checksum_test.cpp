// CRC32 against zlib, CRC32C against a bitwise reference, on random buffers of every size to
// 4096 bytes and some large ones, at every alignment, split at random points; both the folded
// (PCLMULQDQ / SSE4.2) kernels and the portable slice-by-8 ones. SHA-1 / SHA-256 and base64
// against OpenSSL's one-shot functions.

#include "awsauth/signer/checksum.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <zlib.h>

#include <random>
#include <string>
#include <vector>

#include "signer/src/crc.hpp"

namespace sg = awsauth::signer;

namespace {

// The CRC32C definition, one bit at a time: independent of every kernel under test.
std::uint32_t crc32c_bitwise(std::uint32_t crc, const unsigned char* p, std::size_t n) {
  crc = ~crc;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int b = 0; b < 8; ++b) crc = (crc >> 1) ^ ((crc & 1u) ? 0x82F63B78u : 0u);
  }
  return ~crc;
}

std::uint32_t zlib_crc32(std::uint32_t crc, const unsigned char* p, std::size_t n) {
  return static_cast<std::uint32_t>(::crc32(crc, p, static_cast<uInt>(n)));
}

std::vector<unsigned char> random_bytes(std::size_t n, std::mt19937_64& rng) {
  std::vector<unsigned char> v(n);
  for (auto& b : v) b = static_cast<unsigned char>(rng());
  return v;
}

// Runs `check` once with the dispatch's choice and once forced to the portable kernels.
template <typename F>
void on_both_paths(F check) {
  sg::crc::force_portable(false);
  check("dispatch");
  sg::crc::force_portable(true);
  check("portable");
  sg::crc::force_portable(false);
}

TEST(Crc, FoldedKernelsAreChosenOnThisMachine) {
  // CI's and this project's machines have PCLMULQDQ and SSE4.2; if they ever do not, the
  // portable kernels run and this says so instead of silently measuring the slow path.
  if (!sg::crc::folded_available()) GTEST_SKIP() << "CPU lacks PCLMULQDQ/SSE4.2";
  EXPECT_TRUE(sg::crc::using_folded());
  sg::crc::force_portable(true);
  EXPECT_FALSE(sg::crc::using_folded());
  sg::crc::force_portable(false);
}

TEST(Crc, KnownCheckValues) {
  const std::string check = "123456789";
  on_both_paths([&](const char* path) {
    EXPECT_EQ(sg::crc32(0, check.data(), check.size()), 0xCBF43926u) << path;
    EXPECT_EQ(sg::crc32c(0, check.data(), check.size()), 0xE3069283u) << path;
    EXPECT_EQ(sg::crc32(0, nullptr, 0), 0u) << path;
    EXPECT_EQ(sg::crc32c(0, nullptr, 0), 0u) << path;
  });
}

TEST(Crc, EverySizeTo4096AtEveryAlignmentMatchesZlibAndTheBitwiseCrc32c) {
  std::mt19937_64 rng(17);
  const auto buffer = random_bytes(4096 + 64, rng);
  on_both_paths([&](const char* path) {
    for (std::size_t n = 0; n <= 4096; ++n) {
      const std::size_t offset = n % 16;  // every alignment, round and round
      const unsigned char* p = buffer.data() + offset;
      const auto start = static_cast<std::uint32_t>(rng());
      ASSERT_EQ(sg::crc32(start, p, n), zlib_crc32(start, p, n)) << path << " size " << n;
      ASSERT_EQ(sg::crc32c(start, p, n), crc32c_bitwise(start, p, n)) << path << " size " << n;
    }
  });
}

TEST(Crc, LargeBuffersSplitAtRandomPointsMatchOneShot) {
  std::mt19937_64 rng(29);
  for (const std::size_t n :
       {std::size_t{65536}, std::size_t{1} << 20, (std::size_t{3} << 20) + 13}) {
    const auto data = random_bytes(n, rng);
    const std::uint32_t want32 = zlib_crc32(0, data.data(), n);
    const std::uint32_t want32c = crc32c_bitwise(0, data.data(), n);
    on_both_paths([&](const char* path) {
      EXPECT_EQ(sg::crc32(0, data.data(), n), want32) << path << " size " << n;
      EXPECT_EQ(sg::crc32c(0, data.data(), n), want32c) << path << " size " << n;
      for (int trial = 0; trial < 8; ++trial) {
        std::uint32_t c32 = 0;
        std::uint32_t c32c = 0;
        std::size_t at = 0;
        while (at < n) {
          const std::size_t piece = std::min<std::size_t>(n - at, rng() % 5000);
          c32 = sg::crc32(c32, data.data() + at, piece);
          c32c = sg::crc32c(c32c, data.data() + at, piece);
          at += piece;
        }
        EXPECT_EQ(c32, want32) << path << " size " << n << " trial " << trial;
        EXPECT_EQ(c32c, want32c) << path << " size " << n << " trial " << trial;
      }
    });
  }
}

std::string openssl_base64(const unsigned char* p, std::size_t n) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  const int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), p, static_cast<int>(n));
  out.resize(static_cast<std::size_t>(len));
  return out;
}

TEST(Base64, MatchesOpenSslForEveryLengthTo64) {
  std::mt19937_64 rng(3);
  for (std::size_t n = 0; n <= 64; ++n) {
    const auto data = random_bytes(n, rng);
    EXPECT_EQ(sg::base64_encode(data.data(), n), openssl_base64(data.data(), n)) << n;
  }
}

TEST(Checksum, EmptyInputGivesTheValuesS3Documents) {
  // The S3 User Guide's checksum of an empty object for each algorithm.
  EXPECT_EQ(sg::checksum_base64(sg::ChecksumAlgorithm::Crc32, ""), "AAAAAA==");
  EXPECT_EQ(sg::checksum_base64(sg::ChecksumAlgorithm::Crc32c, ""), "AAAAAA==");
  EXPECT_EQ(sg::checksum_base64(sg::ChecksumAlgorithm::Sha1, ""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
  EXPECT_EQ(sg::checksum_base64(sg::ChecksumAlgorithm::Sha256, ""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}

TEST(Checksum, IncrementalDigestsMatchOneShotOpenSslAndZlib) {
  std::mt19937_64 rng(5);
  const auto data = random_bytes(300000, rng);
  unsigned char sha1[SHA_DIGEST_LENGTH];
  SHA1(data.data(), data.size(), sha1);
  unsigned char sha256[SHA256_DIGEST_LENGTH];
  SHA256(data.data(), data.size(), sha256);
  const std::uint32_t c32 = zlib_crc32(0, data.data(), data.size());
  const std::uint32_t c32c = crc32c_bitwise(0, data.data(), data.size());
  const unsigned char c32_be[4] = {
      static_cast<unsigned char>(c32 >> 24), static_cast<unsigned char>(c32 >> 16),
      static_cast<unsigned char>(c32 >> 8), static_cast<unsigned char>(c32)};
  const unsigned char c32c_be[4] = {
      static_cast<unsigned char>(c32c >> 24), static_cast<unsigned char>(c32c >> 16),
      static_cast<unsigned char>(c32c >> 8), static_cast<unsigned char>(c32c)};
  const std::pair<sg::ChecksumAlgorithm, std::string> want[] = {
      {sg::ChecksumAlgorithm::Crc32, openssl_base64(c32_be, 4)},
      {sg::ChecksumAlgorithm::Crc32c, openssl_base64(c32c_be, 4)},
      {sg::ChecksumAlgorithm::Sha1, openssl_base64(sha1, sizeof sha1)},
      {sg::ChecksumAlgorithm::Sha256, openssl_base64(sha256, sizeof sha256)},
  };
  for (const auto& [algorithm, expected] : want) {
    sg::Checksum c(algorithm);
    std::size_t at = 0;
    while (at < data.size()) {
      const std::size_t piece = std::min<std::size_t>(data.size() - at, rng() % 70000);
      c.update(data.data() + at, piece);
      at += piece;
    }
    sg::Checksum copy = c;
    EXPECT_EQ(c.finish_base64(), expected) << sg::checksum_name(algorithm);
    EXPECT_EQ(copy.finish_base64(), expected) << "copy " << sg::checksum_name(algorithm);
    EXPECT_EQ(expected.size(), sg::checksum_base64_size(algorithm));
    // finish() reset it: the empty-input value comes next.
    EXPECT_EQ(c.finish_base64(), sg::checksum_base64(algorithm, ""));
  }
}

TEST(Checksum, NamesParseCaseInsensitivelyAndRoundTrip) {
  EXPECT_EQ(sg::parse_checksum_algorithm("CRC32C"), sg::ChecksumAlgorithm::Crc32c);
  EXPECT_EQ(sg::parse_checksum_algorithm("Sha256"), sg::ChecksumAlgorithm::Sha256);
  EXPECT_EQ(sg::parse_checksum_algorithm("crc32"), sg::ChecksumAlgorithm::Crc32);
  EXPECT_EQ(sg::parse_checksum_algorithm("sha1"), sg::ChecksumAlgorithm::Sha1);
  EXPECT_FALSE(sg::parse_checksum_algorithm("crc64nvme"));
  EXPECT_FALSE(sg::parse_checksum_algorithm(""));
  EXPECT_FALSE(sg::parse_checksum_algorithm("crc32cc"));
  for (const auto a : {sg::ChecksumAlgorithm::Crc32, sg::ChecksumAlgorithm::Crc32c,
                       sg::ChecksumAlgorithm::Sha1, sg::ChecksumAlgorithm::Sha256}) {
    EXPECT_EQ(sg::parse_checksum_algorithm(sg::checksum_name(a)), a);
    EXPECT_EQ(sg::checksum_header_name(a), "x-amz-checksum-" + std::string(sg::checksum_name(a)));
  }
}

}  // namespace
