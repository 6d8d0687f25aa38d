// The process-wide defaults: one default chain and its cache, and the region of its profile.

#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/region.hpp"

namespace awsauth::providers {
namespace {

struct ProcessDefaults {
  std::shared_ptr<DefaultChain> chain;
  std::shared_ptr<CachingProvider> cache;
};

// Built once, on first use (a function-local static: thread-safe initialisation). Never
// destroyed before other statics that might still sign: it is leaked on purpose.
const ProcessDefaults& process_defaults() {
  static const ProcessDefaults* const kDefaults = [] {
    const Context context = Context::system();
    const DefaultChainOptions options;
    auto chain = std::make_shared<DefaultChain>(context, options);
    auto cache = std::make_shared<CachingProvider>(chain, options.refresh_policy, context.clock,
                                                   context.random);
    // NOLINTNEXTLINE(cppcoreguidelines-owning-memory): never freed, see above
    return new ProcessDefaults{std::move(chain), std::move(cache)};
  }();
  return *kDefaults;
}

}  // namespace

std::shared_ptr<CachingProvider> default_credentials_provider() { return process_defaults().cache; }

std::shared_ptr<DefaultChain> default_credentials_chain() { return process_defaults().chain; }

ResolvedRegion default_region(const RegionLookup& lookup) {
  return require_region(Context::system(), *default_credentials_chain()->resolved_profile(),
                        lookup);
}

}  // namespace awsauth::providers
