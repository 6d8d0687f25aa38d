// docs/signer.md, "SigV4a": signing a request for a multi-region access point with SigV4a,
// then checking the signature with the public key. Built by CMake (docs/examples). Prints the
// headers to add; exits 0 when the signature verifies.

#include <iostream>

#include "awsauth/signer/signer.hpp"

int main() {
  namespace signer = awsauth::signer;
  const awsauth::Credentials credentials(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = awsauth::SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});

  auto request = signer::parse_url(
      "GET", "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/report.csv");
  auto settings = signer::SigningSettings::for_service("", "s3");
  settings.algorithm = signer::SigningAlgorithm::V4a;
  settings.region_set = "us-east-1,us-west-2";  // or "*": every region

  const auto result = signer::sign(request, signer::Payload(), credentials, settings,
                                   *signer::parse_amz_date("20150830T123600Z"));
  for (const auto& h : result.headers) std::cout << h.name << ": " << h.value << "\n";

  // ECDSA signatures differ on every call: verify, do not compare. The derived key is cached
  // per credential; its public half is what a verifier needs.
  const auto key = signer::SigV4aKeyCache::shared().get(credentials.access_key_id(),
                                                        credentials.secret_access_key().reveal());
  return signer::verify_sigv4a(result.string_to_sign, result.signature, key->public_key_hex()) ? 0
                                                                                               : 1;
}
