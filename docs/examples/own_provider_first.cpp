// docs/providers.md: put your own credentials source ahead of awsauth's default chain.
//
// A provider is anything implementing awsauth::CredentialsProvider. Throw CredentialsError
// with ErrorKind::NotConfigured when your source has nothing for this process, so the chain
// moves on to the default chain; any other error stops the chain and is reported.

#include <iostream>
#include <memory>

#include "awsauth/caching.hpp"
#include "awsauth/chain.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/providers/default_chain.hpp"

namespace {

// Keys an application keeps under its own variable names (a vault agent, a sidecar, ...).
class MyAppProvider final : public awsauth::CredentialsProvider {
 public:
  explicit MyAppProvider(awsauth::Context context) : context_(std::move(context)) {}

  awsauth::CredentialsPtr get() override {
    const auto id = context_.environment->get("MYAPP_AWS_KEY_ID");
    const auto secret = context_.environment->get("MYAPP_AWS_SECRET");
    if (!id || !secret) {
      throw awsauth::CredentialsError(awsauth::ErrorKind::NotConfigured, name(),
                                      "MYAPP_AWS_KEY_ID / MYAPP_AWS_SECRET are not set");
    }
    return awsauth::make_credentials({.access_key_id = *id,
                                      .secret_access_key = awsauth::SecretString(*secret),
                                      .provider_name = name()});
  }
  std::string name() const override { return "myapp"; }

 private:
  awsauth::Context context_;
};

}  // namespace

int main() {
  const awsauth::Context context = awsauth::Context::system();

  // Yours first, then everything botocore would try, in its order.
  auto chain = std::make_shared<awsauth::ChainProvider>(
      awsauth::ChainProvider::Providers{
          std::make_shared<MyAppProvider>(context),
          std::make_shared<awsauth::providers::DefaultChain>(
              context, awsauth::providers::DefaultChainOptions{}),
      },
      "myapp-chain");

  // One cache in front of the whole chain: refreshed before expiry, one fetch at a time.
  awsauth::CachingProvider credentials(chain, awsauth::RefreshPolicy{}, context.clock,
                                       context.random);
  try {
    const auto c = credentials.get();
    std::cout << "credentials from " << c->provider_name() << " (key " << c->access_key_id()
              << ")\n";
  } catch (const awsauth::NoCredentialsError& e) {
    std::cerr << "no credentials:\n";
    for (const auto& attempt : e.attempts()) {
      std::cerr << "  " << attempt.provider << ": " << attempt.reason << "\n";
    }
    return 1;
  } catch (const awsauth::CredentialsError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
