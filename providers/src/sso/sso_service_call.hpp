#pragma once
/// @file sso_service_call.hpp
/// NOT API. One call to an IAM Identity Center service (SSO-OIDC or the portal): send,
/// retry transport errors and 5xx as botocore's retry modes do, turn an error answer into an
/// SsoServiceError. Shared by sso_oidc_client.cpp and sso_portal_client.cpp.

#include <string>
#include <string_view>
#include <vector>

#include "awsauth/context.hpp"
#include "awsauth/http.hpp"
#include "awsauth/providers/sso/sso_oidc_client.hpp"

namespace awsauth::providers::detail {

struct SsoServiceCall {
  std::string service;    ///< "SSO OIDC" or "SSO", for messages
  std::string operation;  ///< "CreateToken", "GetRoleCredentials", ...
  HttpRequest request;
  /// Values that must never appear in a message (redacted from any quoted server text).
  std::vector<std::string_view> secrets;
};

/// Sends `call` and returns its 2xx answer; throws SsoServiceError for an error answer (after
/// the retries the settings allow) and CredentialsError(ProviderFailure) for a transport
/// failure.
[[nodiscard]] HttpResponse send_sso_service_call(const Context& context,
                                                 const SsoServiceClientSettings& settings,
                                                 const std::string& provider,
                                                 const SsoServiceCall& call);

/// "SSO OIDC CreateToken at https://oidc.us-east-1.amazonaws.com/token", for messages.
[[nodiscard]] std::string describe_sso_call(const SsoServiceCall& call);

}  // namespace awsauth::providers::detail
