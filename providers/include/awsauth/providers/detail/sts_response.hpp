#pragma once
/// @file sts_response.hpp
/// Parsing STS's XML answers, as pure functions over bytes (fuzzable, no I/O).

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "awsauth/credentials.hpp"
#include "awsauth/export.hpp"

namespace awsauth::providers {

/// What an AssumeRole / AssumeRoleWithWebIdentity answer carries.
struct AWSAUTH_API StsCredentialsResult {
  std::string access_key_id;
  SecretString secret_access_key;
  SecretString session_token;
  TimePoint expiration;
  std::string assumed_role_arn;           ///< AssumedRoleUser/Arn
  std::optional<std::string> account_id;  ///< the account field of that ARN
};

/// STS's `<ErrorResponse><Error><Code>..</Code><Message>..</Message>`.
struct AWSAUTH_API StsErrorBody {
  std::string code;
  std::string message;
};

/// Thrown when a body is not the XML document expected. The message says what was missing and
/// never quotes credential values.
class AWSAUTH_API StsParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses `<AssumeRoleResponse>` or `<AssumeRoleWithWebIdentityResponse>`: Credentials
/// (AccessKeyId, SecretAccessKey, SessionToken, Expiration with or without fractional
/// seconds) and AssumedRoleUser/Arn. Throws StsParseError.
[[nodiscard]] AWSAUTH_API StsCredentialsResult parse_sts_credentials(std::string_view xml);

/// Parses an ErrorResponse; nullopt when the body is not one (e.g. an HTML page from a proxy).
[[nodiscard]] AWSAUTH_API std::optional<StsErrorBody> parse_sts_error(std::string_view xml);

/// `<GetCallerIdentityResponse>`'s Arn. Throws StsParseError.
[[nodiscard]] AWSAUTH_API std::string parse_caller_identity_arn(std::string_view xml);

/// The account id field of an ARN (`arn:aws:sts::123456789012:assumed-role/...`), or nullopt.
[[nodiscard]] AWSAUTH_API std::optional<std::string> account_id_from_arn(std::string_view arn);

}  // namespace awsauth::providers
