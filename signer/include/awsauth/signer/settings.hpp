#pragma once
/// @file settings.hpp
/// Every option that changes a signing step, in one struct.

#include <cstdint>
#include <optional>
#include <string>

#include "awsauth/export.hpp"

namespace awsauth::signer {

/// How the payload-hash line of the canonical request is obtained (see Payload).
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

  /// Defaults for a service as the AWS SDKs apply them; `s3` (and `s3-object-lambda`) get the
  /// S3 rules.
  [[nodiscard]] static SigningSettings for_service(std::string region, std::string service);
};

/// The longest presign expiry SigV4 accepts (7 days).
inline constexpr std::uint32_t kMaxPresignExpires = 604800;

}  // namespace awsauth::signer
