// The consumer projects' program: signs one fixed request (IAM ListUsers) with the AWS
// documentation's example keys at a fixed time and prints the signature, which .ci/consumers
// compares with botocore's (expected_signature.py). Written against the 0.1 API names.

#include <iostream>

#include "awsauth/credentials.hpp"
#include "awsauth/signer/signer.hpp"

int main() {
  const awsauth::Credentials credentials(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = awsauth::SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});
  const auto request = awsauth::signer::parse_url(
      "GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08");
  const auto settings = awsauth::signer::SigningSettings::for_service("us-east-1", "iam");
  const auto time = awsauth::signer::parse_amz_date("20150830T123600Z");
  if (!time) return 1;
  const auto result =
      awsauth::signer::sign(request, awsauth::signer::Payload(), credentials, settings, *time);
  std::cout << result.signature << "\n";
  return 0;
}
