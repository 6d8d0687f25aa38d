#pragma once
/// @file explain.hpp
/// Why a service rejected a signature: our canonical request and string to sign against the
/// ones the service reported (service_report.hpp), line by line, and the likely causes.
///
// clang-format off
/// ```
/// const auto report = awsauth::signer::read_service_report(response_body);
/// if (report && awsauth::signer::is_signature_mismatch(report->code)) {
///   const auto diagnosis = awsauth::signer::explain_rejection(signing_result, *report);
///   for (const auto& cause : diagnosis.causes) std::cerr << cause.sentence << "\n";
/// }
/// ```
// clang-format on
///
/// A pure function of its inputs. No secret reaches the result: the value of every
/// `x-amz-security-token` header line and `X-Amz-Security-Token` query parameter, on both
/// sides, is replaced by `<redacted>` (a service echoes the token in its canonical request),
/// and a difference between two tokens is reported without either value.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/export.hpp"
#include "awsauth/signer/service_report.hpp"

namespace awsauth::signer {

struct SigningResult;

/// Which of the two signed texts a line belongs to.
enum class SignedText { CanonicalRequest, StringToSign };

/// One line that differs. `line` names it after the spec: in the canonical request `method`,
/// `path`, `query`, `header <name>` (one per header name), `signed headers`, `payload hash`;
/// in the string to sign `algorithm`, `date`, `scope`, `canonical request hash`.
struct AWSAUTH_API LineDifference {
  SignedText text = SignedText::CanonicalRequest;
  std::string line;
  std::optional<std::string> ours;    ///< nullopt: the line is missing on our side
  std::optional<std::string> theirs;  ///< nullopt: missing on the service's side
};

/// The causes explain_rejection() can name.
enum class Cause {
  ClockSkew,            ///< the dates differ, or the service said the time is too far off
  WrongRegion,          ///< the region in the scope is not the one the service expects
  WrongService,         ///< the service name in the scope is not the one it expects
  PathEncoding,         ///< the path differs in its percent-encoding
  QueryEncoding,        ///< the query differs in its encoding or order
  HeaderWhitespace,     ///< a header value differs only in whitespace
  SignedHeaderChanged,  ///< a signed header's value changed or it disappeared in transit
  PayloadChanged,       ///< the payload hash differs: the body changed, or its hash mode
  RequestChanged,       ///< the method, path or query changed beyond encoding
  DifferentSecret,      ///< both texts match exactly, so only the secret key can differ
  NotReported,          ///< the service sent neither text: the causes cannot be told apart
};

/// One likely cause, with a sentence saying what was seen and what to do.
struct AWSAUTH_API LikelyCause {
  Cause cause = Cause::NotReported;
  std::string sentence;
};

/// The result of explain_rejection().
struct AWSAUTH_API Diagnosis {
  bool service_sent_canonical_request = false;
  bool service_sent_string_to_sign = false;
  /// Every differing line, canonical request first, in the order of its lines.
  std::vector<LineDifference> differences;
  /// Most likely first; never empty.
  std::vector<LikelyCause> causes;
};

/// Compares `canonical_request` and `string_to_sign` (what we signed; either may be empty
/// when unknown) with what `report` says the service computed, and names the likely causes.
/// A report without either text still yields causes from its code and message
/// (`RequestTimeTooSkewed`, "Signature expired", a region or service it expected) or, failing
/// those, Cause::NotReported.
[[nodiscard]] AWSAUTH_API Diagnosis explain_rejection(std::string_view canonical_request,
                                                      std::string_view string_to_sign,
                                                      const ServiceReport& report);

/// The same for a SigningResult (its canonical request and string to sign).
[[nodiscard]] AWSAUTH_API Diagnosis explain_rejection(const SigningResult& signed_request,
                                                      const ServiceReport& report);

/// A short name for `cause` ("clock skew", "wrong region", ...), for reports and JSON.
[[nodiscard]] AWSAUTH_API std::string_view cause_name(Cause cause) noexcept;

/// "canonical request" or "string to sign".
[[nodiscard]] AWSAUTH_API std::string_view signed_text_name(SignedText text) noexcept;

}  // namespace awsauth::signer
