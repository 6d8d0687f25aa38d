// The flexible checksums of checksum.hpp: names, base64, and the incremental Checksum over the
// CRC kernels (crc.cpp) or OpenSSL's SHA-1 / SHA-256 block functions.

// As in crypto.cpp: the SHA*_ block functions, without EVP's dispatch and allocations.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "awsauth/signer/checksum.hpp"

#include <openssl/sha.h>

#include <cstring>

#include "awsauth/secret.hpp"

namespace awsauth::signer {
namespace {

static_assert(sizeof(SHA256_CTX) <= 128 && alignof(SHA256_CTX) <= 8);
static_assert(sizeof(SHA_CTX) <= 128 && alignof(SHA_CTX) <= 8);

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

constexpr ChecksumAlgorithm kAll[] = {ChecksumAlgorithm::Crc32, ChecksumAlgorithm::Crc32c,
                                      ChecksumAlgorithm::Sha1, ChecksumAlgorithm::Sha256};

}  // namespace

std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name) noexcept {
  for (const auto a : kAll) {
    if (iequals(name, checksum_name(a))) return a;
  }
  return std::nullopt;
}

std::string_view checksum_name(ChecksumAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case ChecksumAlgorithm::Crc32:
      return "crc32";
    case ChecksumAlgorithm::Crc32c:
      return "crc32c";
    case ChecksumAlgorithm::Sha1:
      return "sha1";
    case ChecksumAlgorithm::Sha256:
      return "sha256";
  }
  return "";
}

std::string_view checksum_header_name(ChecksumAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case ChecksumAlgorithm::Crc32:
      return "x-amz-checksum-crc32";
    case ChecksumAlgorithm::Crc32c:
      return "x-amz-checksum-crc32c";
    case ChecksumAlgorithm::Sha1:
      return "x-amz-checksum-sha1";
    case ChecksumAlgorithm::Sha256:
      return "x-amz-checksum-sha256";
  }
  return "";
}

std::size_t checksum_digest_size(ChecksumAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case ChecksumAlgorithm::Crc32:
    case ChecksumAlgorithm::Crc32c:
      return 4;
    case ChecksumAlgorithm::Sha1:
      return 20;
    case ChecksumAlgorithm::Sha256:
      return 32;
  }
  return 0;
}

std::size_t checksum_base64_size(ChecksumAlgorithm algorithm) noexcept {
  return (checksum_digest_size(algorithm) + 2) / 3 * 4;
}

std::string base64_encode(const void* data, std::size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* p = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8) | p[i + 2];
    out.push_back(kAlphabet[v >> 18]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (size - i == 1) {
    const std::uint32_t v = std::uint32_t{p[i]} << 16;
    out.push_back(kAlphabet[v >> 18]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.append("==");
  } else if (size - i == 2) {
    const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8);
    out.push_back(kAlphabet[v >> 18]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

Checksum::Checksum(ChecksumAlgorithm algorithm) noexcept : algorithm_(algorithm), state_{} {
  reset();
}

Checksum::~Checksum() { wipe_bytes(state_, sizeof state_); }

Checksum::Checksum(const Checksum& other) noexcept
    : algorithm_(other.algorithm_), crc_(other.crc_) {
  std::memcpy(state_, other.state_, sizeof state_);
}

Checksum& Checksum::operator=(const Checksum& other) noexcept {
  algorithm_ = other.algorithm_;
  crc_ = other.crc_;
  std::memcpy(state_, other.state_, sizeof state_);
  return *this;
}

void Checksum::reset() noexcept {
  crc_ = 0;
  switch (algorithm_) {
    case ChecksumAlgorithm::Sha1:
      SHA1_Init(reinterpret_cast<SHA_CTX*>(state_));
      break;
    case ChecksumAlgorithm::Sha256:
      SHA256_Init(reinterpret_cast<SHA256_CTX*>(state_));
      break;
    default:
      break;
  }
}

void Checksum::update(const void* data, std::size_t size) noexcept {
  switch (algorithm_) {
    case ChecksumAlgorithm::Crc32:
      crc_ = crc32(crc_, data, size);
      break;
    case ChecksumAlgorithm::Crc32c:
      crc_ = crc32c(crc_, data, size);
      break;
    case ChecksumAlgorithm::Sha1:
      SHA1_Update(reinterpret_cast<SHA_CTX*>(state_), data, size);
      break;
    case ChecksumAlgorithm::Sha256:
      SHA256_Update(reinterpret_cast<SHA256_CTX*>(state_), data, size);
      break;
  }
}

std::size_t Checksum::finish(std::uint8_t (&out)[kMaxDigestSize]) noexcept {
  std::size_t n = checksum_digest_size(algorithm_);
  switch (algorithm_) {
    case ChecksumAlgorithm::Crc32:
    case ChecksumAlgorithm::Crc32c:
      // S3 sends the CRC as its four bytes in big-endian order.
      out[0] = static_cast<std::uint8_t>(crc_ >> 24);
      out[1] = static_cast<std::uint8_t>(crc_ >> 16);
      out[2] = static_cast<std::uint8_t>(crc_ >> 8);
      out[3] = static_cast<std::uint8_t>(crc_);
      break;
    case ChecksumAlgorithm::Sha1:
      SHA1_Final(out, reinterpret_cast<SHA_CTX*>(state_));
      break;
    case ChecksumAlgorithm::Sha256:
      SHA256_Final(out, reinterpret_cast<SHA256_CTX*>(state_));
      break;
  }
  reset();
  return n;
}

std::string Checksum::finish_base64() {
  std::uint8_t digest[kMaxDigestSize];
  const std::size_t n = finish(digest);
  return base64_encode(digest, n);
}

std::string checksum_base64(ChecksumAlgorithm algorithm, std::string_view data) {
  Checksum c(algorithm);
  c.update(data);
  return c.finish_base64();
}

}  // namespace awsauth::signer
