// Wiring `awsauth curl` to the library: default chain, region, HTTP options.

#include "curl_credentials.hpp"

#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/detail/sts_http_options.hpp"
#include "awsauth/providers/region.hpp"
#include "curl_options.hpp"
#include "mfa_prompt.hpp"

namespace awsauth::cli {

CurlSetup resolve_curl_setup(const Context& ctx, const std::optional<std::string>& profile,
                             const std::string& url, const std::optional<std::string>& region) {
  CurlSetup setup;
  // One chain, one resolved profile: the region and the TLS/proxy settings come from the
  // profile the chain itself uses (its files are read once, here; a malformed file is the
  // chain's CredentialsError, with file and line).
  // A role profile with mfa_serial asks for its code on the terminal.
  const providers::DefaultChainOptions options{.profile = profile,
                                               .mfa_token = terminal_mfa_prompt()};
  auto chain = std::make_shared<providers::DefaultChain>(ctx, options);
  const auto resolved = chain->resolved_profile();

  // The library's region resolution (AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`);
  // `awsauth curl` never asks instance metadata, and keeps its own message naming --region.
  if (region) {
    setup.region = *region;
  } else if (auto found = providers::find_region(ctx, *resolved)) {
    setup.region = std::move(found->name);
  }
  if (setup.region.empty()) {
    throw CurlUsageError("no region: pass --region, set AWS_REGION, or set 'region' in profile '" +
                         resolved->selection.name + "'");
  }

  // A request through curl follows the same TLS-trust and proxy rules as the STS calls.
  setup.http_options = providers::sts_http_options(*ctx.environment, resolved->profile(), url);
  setup.http_options.total_timeout = std::chrono::seconds(60);
  // The cache make_default_credentials_provider() puts in front of the chain.
  setup.provider = std::make_shared<CachingProvider>(std::move(chain), options.refresh_policy,
                                                     ctx.clock, ctx.random);
  return setup;
}

}  // namespace awsauth::cli
