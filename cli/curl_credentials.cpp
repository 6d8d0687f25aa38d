// Wiring `awsauth curl` to the library: default chain, region, HTTP options.

#include "curl_credentials.hpp"

#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/profile/profile_files.hpp"
#include "awsauth/providers/detail/sts_http_options.hpp"
#include "curl_options.hpp"

namespace awsauth::cli {

CurlSetup resolve_curl_setup(const Context& ctx, const std::optional<std::string>& profile,
                             const std::string& url, const std::optional<std::string>& region) {
  CurlSetup setup;
  const auto selection = providers::select_profile(*ctx.environment, profile);
  // The files are read here for the region and TLS/proxy settings; a malformed file is the
  // same CredentialsError (file and line) the chain would raise.
  const auto files = providers::read_profile_files(ctx);
  const providers::Profile* selected = files.merged.find(selection.name);

  if (region) {
    setup.region = *region;
  } else if (auto r = ctx.environment->get("AWS_REGION"); r && !r->empty()) {
    setup.region = *r;
  } else if (auto d = ctx.environment->get("AWS_DEFAULT_REGION"); d && !d->empty()) {
    setup.region = *d;
  } else if (const auto* v = selected ? selected->find("region") : nullptr; v && !v->value.empty()) {
    setup.region = v->value;
  }
  if (setup.region.empty()) {
    throw CurlUsageError("no region: pass --region, set AWS_REGION, or set 'region' in profile '" +
                         selection.name + "'");
  }

  // A request through curl follows the same TLS-trust and proxy rules as the STS calls.
  setup.http_options = providers::sts_http_options(*ctx.environment, selected, url);
  setup.http_options.total_timeout = std::chrono::seconds(60);
  setup.provider = providers::make_default_credentials_provider(
      ctx, providers::DefaultChainOptions{.profile = profile});
  return setup;
}

}  // namespace awsauth::cli
