// docs/signer.md: signing a Poco::Net::HTTPRequest in place with the adapter header.
// Built by CMake (docs/examples). Prints the signed request's headers.

#include <Poco/Net/HTTPRequest.h>

#include <iostream>

#include "awsauth/signer/poco.hpp"

int main() {
  const awsauth::Credentials credentials(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = awsauth::SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});

  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                 "/?Action=ListUsers&Version=2010-05-08",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.setHost("iam.amazonaws.com");
  request.setContentType("application/x-www-form-urlencoded; charset=utf-8");

  const auto result = awsauth::signer::sign_poco_request(
      request, awsauth::signer::Payload(), credentials,
      awsauth::signer::SigningSettings::for_service("us-east-1", "iam"),
      *awsauth::signer::parse_amz_date("20150830T123600Z"));

  request.write(std::cout);
  // The AWS documentation's signature for this request.
  return result.signature == "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7" ? 0 : 1;
}
