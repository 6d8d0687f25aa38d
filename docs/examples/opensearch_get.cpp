// The seed's first use: a signed GET to an Elasticsearch / OpenSearch domain, through libcurl.
//   opensearch_get [URL]   (else $OPENSEARCH_URL), e.g.
//   opensearch_get https://search-mydomain-abc.us-east-1.es.amazonaws.com/_cat/indices
// Credentials: the default chain (environment, shared files, role profiles, web identity,
// container, instance metadata); region: AWS_REGION, AWS_DEFAULT_REGION or the profile's
// `region`. Built by CMake when libcurl's headers are installed.

#include <curl/curl.h>

#include <cstdlib>
#include <exception>
#include <iostream>

#include "awsauth/request_signer_curl.hpp"

int main(int argc, char** argv) try {
  const char* url = argc > 1 ? argv[1] : std::getenv("OPENSEARCH_URL");
  if (url == nullptr) return std::cerr << "usage: opensearch_get URL (or OPENSEARCH_URL)\n", 2;
  const awsauth::RequestSigner signer({.service = "es"});  // one per program, share it
  CURL* curl = curl_easy_init();
  const awsauth::curl::SignedTransfer get(signer, curl, {.method = "GET", .url = url});
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);  // HTTP >= 400 fails; else body to stdout
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  return rc == CURLE_OK ? 0 : 1;
} catch (const std::exception& e) {  // no region, no credentials: says where it looked
  return std::cerr << e.what() << "\n", 1;
}
