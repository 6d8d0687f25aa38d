// Wiring `awsauth curl` to the library: default chain, region, HTTP options.

#include "curl_credentials.hpp"

#include <stdexcept>

#include "curl_options.hpp"

namespace awsauth::cli {

CurlSetup resolve_curl_setup(const Context& ctx, const std::optional<std::string>& /*profile*/,
                             const std::optional<std::string>& region) {
  CurlSetup setup;
  if (region) {
    setup.region = *region;
  } else if (auto r = ctx.environment->get("AWS_REGION"); r && !r->empty()) {
    setup.region = *r;
  } else if (auto d = ctx.environment->get("AWS_DEFAULT_REGION"); d && !d->empty()) {
    setup.region = *d;
  }
  // The profile's region and the default chain arrive with the config branch.
  if (setup.region.empty()) {
    throw CurlUsageError("no region: pass --region, or set AWS_REGION or the profile's region");
  }
  throw std::runtime_error("the default credentials chain is not built yet");
}

}  // namespace awsauth::cli
