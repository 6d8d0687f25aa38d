#pragma once
// Internal: turning an STS answer into the credentials a provider hands out.

#include <string>
#include <utility>

#include "awsauth/credentials.hpp"
#include "awsauth/providers/detail/sts_response.hpp"

namespace awsauth::providers::detail {

/// The credentials an AssumeRole / AssumeRoleWithWebIdentity answer carries, attributed to
/// `provider_name`. Moves the secrets out of `result`.
[[nodiscard]] inline CredentialsPtr to_credentials(StsCredentialsResult&& result,
                                                   std::string provider_name) {
  return make_credentials({.access_key_id = std::move(result.access_key_id),
                           .secret_access_key = std::move(result.secret_access_key),
                           .session_token = std::move(result.session_token),
                           .expiration = result.expiration,
                           .provider_name = std::move(provider_name),
                           .account_id = std::move(result.account_id)});
}

}  // namespace awsauth::providers::detail
