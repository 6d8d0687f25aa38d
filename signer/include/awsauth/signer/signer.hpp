#pragma once
/// @file signer.hpp
/// sign(): a request + credentials + settings + an explicit time -> what to add to it.
///
// clang-format off
/// ```
/// auto request = awsauth::signer::parse_url(
///     "GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08");
/// auto settings = awsauth::signer::SigningSettings::for_service("us-east-1", "iam");
/// auto result = awsauth::signer::sign(request, {}, *credentials, settings, now);
/// for (const auto& h : result.headers) {
///   /* add h.name: h.value to the outgoing request */
/// }
/// ```
// clang-format on

#include <optional>
#include <string>
#include <vector>

#include "awsauth/credentials.hpp"
#include "awsauth/export.hpp"
#include "awsauth/signer/canonical.hpp"
#include "awsauth/signer/payload.hpp"
#include "awsauth/signer/request.hpp"
#include "awsauth/signer/settings.hpp"
#include "awsauth/signer/signing_key.hpp"
#include "awsauth/signer/sigv4a.hpp"

namespace awsauth::signer {

/// Everything a signing produced. The canonical request and string to sign are kept as
/// values so a caller can show or diff them (`awsauth sign --format json` and `awsauth curl -v`
/// print them); `signing_key`, `scope` and `signature` are what an aws-chunked / event-stream
/// signer chains from (the seed signature is the first "previous signature").
///
/// SigV4a fills the same fields: `scope.region` is empty and `credential_scope` is
/// `date/service/aws4_request`, `signature` is the hex DER ECDSA signature (different on every
/// call; check it with verify_sigv4a()), `signing_key` is all zeros (the key is a SigV4aKey),
/// and the headers or presigned query carry X-Amz-Region-Set after X-Amz-Date.
struct AWSAUTH_API SigningResult {
  std::string amz_date;  ///< YYYYMMDDTHHMMSSZ
  Scope scope;
  std::string credential_scope;  ///< scope.to_string()
  std::string payload_hash;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;
  std::string signature;
  SigningKey signing_key;
  /// Header mode: the headers to add (replacing any of the same name), in the order
  /// X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-SHA256, Authorization.
  /// Presign mode: empty.
  std::vector<Header> headers;
  /// Presign mode: the full query to send (the original query, then the X-Amz-* parameters,
  /// X-Amz-Signature last) and the URL built from it. Empty in header mode.
  std::string presigned_query;
  std::string presigned_url;
};

/// Formats a time as `YYYYMMDDTHHMMSSZ` (UTC).
[[nodiscard]] AWSAUTH_API std::string format_amz_date(TimePoint time);
/// Parses `YYYYMMDDTHHMMSSZ`; nullopt when malformed.
[[nodiscard]] AWSAUTH_API std::optional<TimePoint> parse_amz_date(std::string_view text);

/// Signs `request` with `settings.algorithm` (SigV4 unless set to V4a, which uses
/// SigV4aKeyCache::shared() and `settings.region_set`). Header mode unless
/// `settings.presign_expires` is set. Signer-added headers (X-Amz-Date, X-Amz-Security-Token,
/// X-Amz-Content-SHA256 when added, Authorization) replace same-named input headers. Uses
/// SigningKeyCache::shared(). `out` is overwritten; reusing one result across calls reuses its
/// buffers. Throws SigningError on bad input.
AWSAUTH_API void sign(const Request& request, const Payload& payload,
                      const Credentials& credentials, const SigningSettings& settings,
                      TimePoint time, SigningResult& out);

/// Convenience overload returning a fresh result.
[[nodiscard]] AWSAUTH_API SigningResult sign(const Request& request, const Payload& payload,
                                             const Credentials& credentials,
                                             const SigningSettings& settings, TimePoint time);

}  // namespace awsauth::signer
