#pragma once
/// @file settings.hpp
/// Every option that changes a signing step, in one struct.

#include <cstdint>
#include <optional>
#include <string>

#include "awsauth/export.hpp"

namespace awsauth::signer {

/// Which signature a request gets.
enum class SigningAlgorithm : std::uint8_t {
  /// AWS4-HMAC-SHA256: an HMAC with a key derived for one day, region and service.
  V4,
  /// AWS4-ECDSA-P256-SHA256 (SigV4a): an ECDSA P-256 signature with a key derived from the
  /// credentials alone, valid in every region of `SigningSettings::region_set` (multi-region
  /// access points). See sigv4a.hpp and docs/signer.md.
  V4a,
};

/// Signing options. Build with `SigningSettings::for_service(region, service)` to get the
/// defaults AWS SDKs use for that service (S3: no normalization, no double encoding, signed
/// `x-amz-content-sha256`), then adjust fields.
struct AWSAUTH_API SigningSettings {
  std::string region;
  std::string service;
  /// Remove `.`/`..`/empty path segments (botocore `normalize_url_path`). Off for S3.
  bool normalize_path = true;
  /// URI-encode the wire path once more (`%3A` -> `%253A`). Off for S3, whose path is used as
  /// given (only bytes that are not valid in a path are encoded).
  bool double_encode = true;
  /// Header mode: add and sign `X-Amz-Content-SHA256: <payload hash>` (S3 always needs it).
  bool add_content_sha256 = false;
  /// Attach the session token after signing instead of signing it (AWS IoT style).
  bool omit_session_token = false;
  /// When set, sign in the query string (presigned URL) with this `X-Amz-Expires` (seconds).
  std::optional<std::uint32_t> presign_expires;
  /// V4 (the default) or V4a.
  SigningAlgorithm algorithm = SigningAlgorithm::V4;
  /// V4a only: the regions the signature is valid in, comma-separated as `X-Amz-Region-Set`
  /// carries it (`us-east-1,us-west-2`, or `*` for all). When empty, `region` is the set. The
  /// V4a credential scope has no region (`date/service/aws4_request`).
  std::string region_set;

  /// Defaults for a service as the AWS SDKs apply them; `s3` (and `s3-object-lambda`) get the
  /// S3 rules.
  [[nodiscard]] static SigningSettings for_service(std::string region, std::string service);
};

/// The longest presign expiry SigV4 accepts (7 days).
inline constexpr std::uint32_t kMaxPresignExpires = 604800;

}  // namespace awsauth::signer
