// README: the common case — credentials discovered by the default chain (cached, refreshed
// before expiry), then a request signed for the HTTP client the program already uses.
// Built by CMake (docs/examples). Run it with credentials in the environment, e.g.
//   AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_EC2_METADATA_DISABLED=true
//   ./build/docs/examples/default_chain_sign

#include <chrono>
#include <iostream>

#include "awsauth/providers/default_chain.hpp"
#include "awsauth/signer/request.hpp"
#include "awsauth/signer/signer.hpp"

int main() {
  // One provider for the whole process: share it between threads; get() is cheap when cached.
  const auto credentials =
      awsauth::providers::make_default_credentials_provider(awsauth::Context::system());

  try {
    const awsauth::CredentialsPtr creds = credentials->get();
    std::cerr << "credentials from " << creds->provider_name() << "\n";

    auto request = awsauth::signer::parse_url("POST", "https://sts.us-east-1.amazonaws.com/");
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    const std::string body = "Action=GetCallerIdentity&Version=2011-06-15";

    const auto signed_request =
        awsauth::signer::sign(request, awsauth::signer::Payload::from_bytes(body), *creds,
                              awsauth::signer::SigningSettings::for_service("us-east-1", "sts"),
                              std::chrono::system_clock::now());
    // Add these to the request in your HTTP client, then send `body`.
    for (const auto& header : signed_request.headers) {
      std::cout << header.name << ": "
                << (header.name == "X-Amz-Security-Token" ? "<redacted>" : header.value) << "\n";
    }
    return 0;
  } catch (const awsauth::CredentialsError& e) {
    // Lists every provider tried and why each was passed over; never contains a secret.
    std::cerr << e.what() << "\n";
    return 1;
  }
}
