// A program written against what 0.2 adds: the process-wide default provider with try_get() and
// get_async(), and the one-object RequestSigner. It takes the example keys from the environment
// and prints the fixed request's signature (see ../README.md), so a shared build proves these
// entry points are exported.

#include <iostream>

#include "awsauth/providers/default_chain.hpp"
#include "awsauth/request_signer.hpp"
#include "awsauth/signer/signer.hpp"

int main() {
  const auto provider = awsauth::providers::default_credentials_provider();
  if (provider->get_async().get() == nullptr || provider->try_get() == nullptr) return 1;
  const awsauth::RequestSigner signer(provider, "us-east-1", "iam");
  const auto time = awsauth::signer::parse_amz_date("20150830T123600Z");
  if (!time) return 1;
  const auto signed_request = signer.sign(
      {.method = "GET", .url = "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"},
      awsauth::signer::Payload(), *time);
  std::cout << signed_request.signing.signature << "\n";
  return 0;
}
