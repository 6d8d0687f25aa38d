// A libcurl program that signs with awsauth::signer alone: it is compiled with Poco's headers
// hidden (.ci/consumers mounts an empty directory over /usr/include/Poco) and linked without
// Poco. It signs the fixed request of ../sign_fixed_request.cpp, puts the headers on a CURL*
// handle (nothing is sent) and prints the signature.

#include <curl/curl.h>

#include <iostream>
#include <string>

#include "awsauth/credentials.hpp"
#include "awsauth/signer/signer.hpp"

int main() {
  const awsauth::Credentials credentials(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = awsauth::SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});
  const std::string url = "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08";
  const auto time = awsauth::signer::parse_amz_date("20150830T123600Z");
  if (!time) return 1;
  const auto result = awsauth::signer::sign(
      awsauth::signer::parse_url("GET", url), awsauth::signer::Payload(), credentials,
      awsauth::signer::SigningSettings::for_service("us-east-1", "iam"), *time);

  curl_slist* headers = nullptr;
  for (const auto& h : result.headers) {
    headers = curl_slist_append(headers, (h.name + ": " + h.value).c_str());
  }
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_cleanup(curl);
  curl_slist_free_all(headers);

  std::cout << result.signature << "\n";
  return 0;
}
