// A program written against awsauth 0.1: its include paths (the flat providers/ headers,
// kept as forwarding headers) and its names. It takes the example keys from the environment
// through the default chain and prints the fixed request's signature (see ../README.md).

#include <iostream>

#include "awsauth/context.hpp"
#include "awsauth/credentials.hpp"
#include "awsauth/providers/assume_role.hpp"
#include "awsauth/providers/assumed_role_cache.hpp"
#include "awsauth/providers/container.hpp"
#include "awsauth/providers/credential_process.hpp"
#include "awsauth/providers/credentials_file_cache.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/environment.hpp"
#include "awsauth/providers/instance_metadata.hpp"
#include "awsauth/providers/instance_metadata_config.hpp"
#include "awsauth/providers/profile.hpp"
#include "awsauth/providers/profile_files.hpp"
#include "awsauth/providers/profile_keys.hpp"
#include "awsauth/providers/profile_parser.hpp"
#include "awsauth/providers/profile_plan.hpp"
#include "awsauth/providers/retry_config.hpp"
#include "awsauth/providers/sts_client.hpp"
#include "awsauth/providers/sts_endpoint.hpp"
#include "awsauth/providers/sts_http_options.hpp"
#include "awsauth/providers/sts_request.hpp"
#include "awsauth/providers/sts_response.hpp"
#include "awsauth/providers/web_identity.hpp"
#include "awsauth/signer/signer.hpp"
#include "awsauth/version.hpp"

int main() {
  std::cerr << "awsauth " << awsauth::version() << " (headers " << AWSAUTH_VERSION_MAJOR << "."
            << AWSAUTH_VERSION_MINOR << "." << AWSAUTH_VERSION_PATCH << ")\n";
  const auto provider =
      awsauth::providers::make_default_credentials_provider(awsauth::Context::system());
  const awsauth::CredentialsPtr credentials = provider->get();
  const auto request = awsauth::signer::parse_url(
      "GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08");
  const auto time = awsauth::signer::parse_amz_date("20150830T123600Z");
  if (!time) return 1;
  const auto result = awsauth::signer::sign(
      request, {}, *credentials, awsauth::signer::SigningSettings::for_service("us-east-1", "iam"),
      *time);
  std::cout << result.signature << "\n";
  return 0;
}
