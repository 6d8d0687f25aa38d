#pragma once
// Internal: one CreateOAuth2Token refresh call of the sign-in service (rest-json, unsigned,
// with a DPoP proof), botocore's `signin` client as LoginCredentialFetcher uses it.

#include <chrono>
#include <functional>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/http.hpp"
#include "awsauth/providers/login/dpop.hpp"
#include "awsauth/providers/login/login_token.hpp"
#include "awsauth/providers/sts/retry_config.hpp"

namespace awsauth::providers::detail {

/// The operation's path (botocore data/signin/2023-01-01/service-2.json, requestUri).
inline constexpr std::string_view kSigninTokenPath = "/v1/token";

struct SigninClientSettings {
  HttpOptions http;
  RetryMode mode = default_retry_mode;  ///< which answers are retried (retry_config.hpp)
  int max_attempts = 1;
  std::chrono::milliseconds base_backoff{1000};
  std::chrono::milliseconds max_backoff{20000};
  std::function<void(std::chrono::milliseconds)> sleep;
};

struct SigninRefreshRequest {
  std::string endpoint_url;  ///< the resolved sign-in endpoint, without a trailing slash
  std::string client_id;
  SecretString refresh_token;
};

/// Refreshes the session. `origin` names the cache file and profile in messages. Throws
/// CredentialsError as described in login_provider.hpp.
[[nodiscard]] LoginTokenRefresh refresh_login_session(const Context& context,
                                                      const SigninClientSettings& settings,
                                                      const SigninRefreshRequest& request,
                                                      const DpopKey& key,
                                                      const LoginTokenOrigin& origin);

}  // namespace awsauth::providers::detail
