// default_chain_environment_credentials(): the default chain's answer when its first provider,
// the environment keys, gives it. This file must not reach a provider that needs HTTP, a
// process, Poco or OpenSSL (CliFront.* checks what the `awsauth` front loads and opens).

#include <exception>
#include <memory>

#include "awsauth/caching.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/environment_provider.hpp"
#include "awsauth/providers/profile/resolved_profile.hpp"
#include "profile/named_profile_check.hpp"

namespace awsauth::providers {

CredentialsPtr default_chain_environment_credentials(const Context& context,
                                                     const DefaultChainOptions& options) {
  try {
    ProfileResolver resolver(context, options.profile);
    // default_chain_providers(): an explicitly named profile leaves the environment out.
    if (resolver.selection().is_explicit()) return nullptr;
    // make_default_credentials_provider()'s outer cache. The environment is read before the
    // files (DefaultChain reads the files first): only a success is answered here, and without
    // keys no file is read twice.
    CachingProvider cache(std::make_shared<EnvironmentProvider>(context), options.refresh_policy,
                          context.clock, context.random);
    CredentialsPtr credentials = cache.get();
    // DefaultChain::get() before any provider runs: both files parse, a named profile exists.
    detail::check_named_profile_exists(*resolver.get(), "default-chain");
    return credentials;
  } catch (const std::exception&) {
    // Whatever the error, the full chain reports it in its own words.
    return nullptr;
  }
}

}  // namespace awsauth::providers
