#pragma once
/// @file checksum.hpp
/// The S3 flexible checksums (`x-amz-checksum-crc32`, `-crc32c`, `-sha1`, `-sha256`), computed
/// incrementally. The value a header or trailer carries is the base64 of the big-endian digest
/// bytes: CRC32 of "" is `AAAAAA==`, SHA-256 of "" is
/// `47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=`.
///
/// CRC32 and CRC32C run at memory speed on x86-64 with PCLMULQDQ / SSE4.2 (chosen at run time);
/// elsewhere a portable slice-by-8 loop computes the same values.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/export.hpp"

namespace awsauth::signer {

/// The checksum algorithms S3 accepts in `x-amz-checksum-*` headers and trailers.
enum class ChecksumAlgorithm {
  Crc32,   ///< CRC-32/ISO-HDLC (zlib's crc32, polynomial 0x04C11DB7 reflected)
  Crc32c,  ///< CRC-32C (Castagnoli, polynomial 0x1EDC6F41 reflected)
  Sha1,
  Sha256,
};

/// "crc32", "CRC32C", "sha1", "SHA256" ... (case-insensitive) -> the algorithm; nullopt for
/// anything else (including "crc64nvme", which is not implemented).
[[nodiscard]] AWSAUTH_API std::optional<ChecksumAlgorithm> parse_checksum_algorithm(
    std::string_view name) noexcept;

/// Lowercase name: "crc32", "crc32c", "sha1", "sha256".
[[nodiscard]] AWSAUTH_API std::string_view checksum_name(ChecksumAlgorithm algorithm) noexcept;

/// The header (and trailer) name: "x-amz-checksum-crc32" ...
[[nodiscard]] AWSAUTH_API std::string_view checksum_header_name(
    ChecksumAlgorithm algorithm) noexcept;

/// Digest size in bytes: 4, 4, 20, 32.
[[nodiscard]] AWSAUTH_API std::size_t checksum_digest_size(ChecksumAlgorithm algorithm) noexcept;

/// Length of the base64 value: 8, 8, 28, 44.
[[nodiscard]] AWSAUTH_API std::size_t checksum_base64_size(ChecksumAlgorithm algorithm) noexcept;

/// Running CRC32 exactly as zlib's `crc32(crc, data, size)`: start with 0, feed the previous
/// result back in to continue.
[[nodiscard]] AWSAUTH_API std::uint32_t crc32(std::uint32_t crc, const void* data,
                                              std::size_t size) noexcept;

/// Running CRC32C, the same convention (start with 0; `crc32c(0, "123456789", 9)` is
/// 0xE3069283).
[[nodiscard]] AWSAUTH_API std::uint32_t crc32c(std::uint32_t crc, const void* data,
                                               std::size_t size) noexcept;

/// Base64 (standard alphabet, padded) of `size` bytes.
[[nodiscard]] AWSAUTH_API std::string base64_encode(const void* data, std::size_t size);

/// An incremental checksum. Holds its state inline (no heap); copyable.
class AWSAUTH_API Checksum {
 public:
  /// The largest digest (SHA-256).
  static constexpr std::size_t kMaxDigestSize = 32;

  explicit Checksum(ChecksumAlgorithm algorithm) noexcept;
  ~Checksum();
  Checksum(const Checksum&) noexcept;
  Checksum& operator=(const Checksum&) noexcept;

  [[nodiscard]] ChecksumAlgorithm algorithm() const noexcept { return algorithm_; }

  void update(std::string_view data) noexcept { update(data.data(), data.size()); }
  void update(const void* data, std::size_t size) noexcept;

  /// Writes the big-endian digest (checksum_digest_size() bytes) to `out` and returns its
  /// size; the checksum is reset and can be reused.
  std::size_t finish(std::uint8_t (&out)[kMaxDigestSize]) noexcept;
  /// The digest as the header / trailer value (base64); resets like finish().
  [[nodiscard]] std::string finish_base64();

  /// Starts over (as freshly constructed).
  void reset() noexcept;

 private:
  ChecksumAlgorithm algorithm_;
  std::uint32_t crc_ = 0;
  // A SHA_CTX or SHA256_CTX (OpenSSL), kept out of this header.
  alignas(8) unsigned char state_[128];
};

/// The base64 checksum of `data` in one call.
[[nodiscard]] AWSAUTH_API std::string checksum_base64(ChecksumAlgorithm algorithm,
                                                      std::string_view data);

}  // namespace awsauth::signer
