#pragma once
// What `awsauth curl` needs before it can sign: a credentials provider (the default chain
// behind a cache), the signing region and the HTTP options (TLS bundle, proxy).

#include <memory>
#include <optional>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/http.hpp"
#include "awsauth/provider.hpp"

namespace awsauth::cli {

struct CurlSetup {
  std::shared_ptr<CredentialsProvider> provider;
  std::string region;
  HttpOptions http_options;
};

/// Builds the default chain for `profile` (else AWS_DEFAULT_PROFILE, else AWS_PROFILE, else
/// "default") and picks the region: `region`, else AWS_REGION, else AWS_DEFAULT_REGION, else the
/// profile's `region`. Throws CurlUsageError when no region is found, CredentialsError for a broken
/// config.
[[nodiscard]] CurlSetup resolve_curl_setup(const Context& ctx,
                                           const std::optional<std::string>& profile,
                                           const std::string& url,
                                           const std::optional<std::string>& region);

}  // namespace awsauth::cli
