#pragma once
/// @file sts_request.hpp
/// The form bodies of STS's Query API calls, as pure functions (no I/O).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "awsauth/export.hpp"

namespace awsauth::providers {

/// STS API version every call names (botocore's sts service model).
inline constexpr std::string_view kStsApiVersion = "2011-06-15";

/// Ordered form fields.
using FormFields = std::vector<std::pair<std::string, std::string>>;

/// Encodes fields as Python's `urllib.parse.urlencode` does (botocore's Query serializer):
/// unreserved characters `A-Z a-z 0-9 - _ . ~` stay literal, a space becomes `+`, every other
/// byte becomes `%XX` (upper-case hex), fields joined by `&`.
[[nodiscard]] AWSAUTH_API std::string form_urlencode(const FormFields& fields);

/// Parameters of one AssumeRole call.
struct AWSAUTH_API AssumeRoleParams {
  std::string role_arn;
  std::string role_session_name;
  std::optional<int> duration_seconds;
  std::optional<std::string> external_id;
  std::optional<std::string> serial_number;  ///< the MFA device (`mfa_serial`)
  std::optional<std::string> token_code;     ///< the MFA code, with serial_number
};

/// Parameters of one AssumeRoleWithWebIdentity call.
struct AWSAUTH_API WebIdentityParams {
  std::string role_arn;
  std::string role_session_name;
  std::string web_identity_token;
  std::optional<int> duration_seconds;
};

/// `Action=AssumeRole&Version=2011-06-15&RoleArn=...` in botocore's member order.
[[nodiscard]] AWSAUTH_API FormFields assume_role_fields(const AssumeRoleParams& params);
[[nodiscard]] AWSAUTH_API FormFields web_identity_fields(const WebIdentityParams& params);
/// `Action=GetCallerIdentity&Version=2011-06-15`.
[[nodiscard]] AWSAUTH_API FormFields get_caller_identity_fields();

/// The Content-Type every STS Query call carries.
inline constexpr std::string_view kStsFormContentType =
    "application/x-www-form-urlencoded; charset=utf-8";

}  // namespace awsauth::providers
