#pragma once
/// @file service_report.hpp
/// What a service said when it rejected a request: its error code and message and, for a
/// signature it could not verify, the canonical request and string to sign it computed.
///
/// Read from the error body alone, without Poco (a program that signs over libcurl has the
/// same reader), in the forms AWS services answer:
///
/// - S3 (REST-XML): `<Error><Code>SignatureDoesNotMatch</Code><Message>...</Message>
///   <StringToSign>...</StringToSign><CanonicalRequest>...</CanonicalRequest>` and the same
///   two as hex bytes (`<StringToSignBytes>41 57 53 ...`), which win when present because
///   they keep every byte; `RequestTimeTooSkewed` with `<RequestTime>` and `<ServerTime>`;
///   `AuthorizationHeaderMalformed` with the `<Region>` it expected.
/// - Query-protocol XML (`<ErrorResponse><Error><Code>`) and JSON services (`__type`/`code`
///   and `message`), whose message carries "The Canonical String for this request should have
///   been '...'" and "The String-to-Sign should have been '...'", or "Signature expired: T is
///   now earlier than ..." / "Credential should be scoped to a valid region, not '...'".
///
/// The returned text is the service's, unescaped and unfiltered: pass it through printable()
/// before showing it, and remember that a canonical request may hold a session token.

#include <optional>
#include <string>
#include <string_view>

#include "awsauth/export.hpp"

namespace awsauth::signer {

/// One rejection as the service described it. Every field but `code` may be empty.
struct AWSAUTH_API ServiceReport {
  /// `SignatureDoesNotMatch`, `InvalidSignatureException`, `RequestTimeTooSkewed`, ...; a
  /// JSON code passes through clean_code(). Empty when a JSON body names none (the
  /// `x-amzn-ErrorType` header may).
  std::string code;
  std::string message;
  /// The canonical request the service computed (S3's `<CanonicalRequest>`, or the message's
  /// "Canonical String").
  std::optional<std::string> canonical_request;
  /// The string to sign the service computed.
  std::optional<std::string> string_to_sign;
  /// The request time the service saw (S3 `<RequestTime>`, or the first date of a "Signature
  /// expired" / "Signature not yet current" message), as written.
  std::optional<std::string> request_time;
  /// The service's clock (S3 `<ServerTime>`, or the date in the parentheses of a "Signature
  /// expired" message), as written.
  std::optional<std::string> server_time;
  /// The region the service expected (S3 `<Region>`, "expecting 'eu-west-1'").
  std::optional<std::string> expected_region;
  /// The service name the service expected ("Credential should be scoped to correct service:
  /// 'sts'").
  std::optional<std::string> expected_service;
};

/// Reads `body` as an XML error document (any element named `Code`, the first wins, as in
/// `<Error>` and `<ErrorResponse><Error>`) or a JSON object (top-level `__type`, `code` or
/// `Code`; `message`, `Message` or `errorMessage`; for the signing details also a `message`
/// nested deeper, as API Gateway's `{"errors":[{"message":...}]}`). nullopt when the body is
/// neither an XML document with a `Code` element nor a JSON object. Never throws.
[[nodiscard]] AWSAUTH_API std::optional<ServiceReport> read_service_report(std::string_view body);

/// A JSON error code without its protocol decorations, as botocore keeps it:
/// `com.amazon.coral.service#ExpiredToken` and `ExpiredToken:http://...` give `ExpiredToken`.
[[nodiscard]] AWSAUTH_API std::string clean_code(std::string code);

/// True for the codes a service answers when it computed a different signature:
/// `SignatureDoesNotMatch` (S3, query and REST services) and `InvalidSignatureException` (JSON
/// services).
[[nodiscard]] AWSAUTH_API bool is_signature_mismatch(std::string_view code) noexcept;

}  // namespace awsauth::signer
