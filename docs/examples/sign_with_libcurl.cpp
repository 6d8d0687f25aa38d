// docs/signer.md: signing a libcurl request with awsauth. Built by CMake (docs/examples) so the
// example keeps compiling. Run: sign_with_libcurl URL REGION SERVICE (credentials from the
// environment); it prints the headers it would send and, with --send, sends the request.

#include <curl/curl.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "awsauth/signer/signer.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: sign_with_libcurl URL REGION SERVICE [--send]\n";
    return 2;
  }
  const char* akid = std::getenv("AWS_ACCESS_KEY_ID");
  const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
  if (akid == nullptr || secret == nullptr) {
    std::cerr << "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n";
    return 1;
  }
  const awsauth::Credentials credentials(
      {.access_key_id = akid, .secret_access_key = awsauth::SecretString(secret)});

  // --- the few lines a libcurl user needs ---
  const std::string url = argv[1];
  auto request = awsauth::signer::parse_url("GET", url);
  const auto settings = awsauth::signer::SigningSettings::for_service(argv[2], argv[3]);
  const auto signed_request = awsauth::signer::sign(request, awsauth::signer::Payload(), credentials,
                                                    settings, std::chrono::system_clock::now());
  curl_slist* headers = nullptr;
  for (const auto& h : signed_request.headers) {
    headers = curl_slist_append(headers, (h.name + ": " + h.value).c_str());
  }
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  // --- end ---

  for (const auto& h : signed_request.headers) {
    std::cout << h.name << ": " << h.value << "\n";
  }
  int rc = 0;
  if (argc > 4 && std::string(argv[4]) == "--send") {
    rc = curl_easy_perform(curl) == CURLE_OK ? 0 : 1;
  }
  curl_easy_cleanup(curl);
  curl_slist_free_all(headers);
  return rc;
}
