// The seed's third use: code running in AWS Lambda, whose credentials (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) and AWS_REGION are in the environment. It indexes a
// JSON document with a signed POST, sent by awsauth's own HTTP client.
//   lambda_environment [URL [SERVICE]]   (else $DOCUMENT_URL; SERVICE defaults to es), e.g.
//   lambda_environment https://search-mydomain-abc.us-east-1.es.amazonaws.com/logs/_doc

#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>

#include "awsauth/context.hpp"
#include "awsauth/providers/environment_provider.hpp"
#include "awsauth/request_signer.hpp"

int main(int argc, char** argv) try {
  const char* url = argc > 1 ? argv[1] : std::getenv("DOCUMENT_URL");
  if (url == nullptr) return std::cerr << "usage: lambda_environment URL [SERVICE]\n", 2;
  // The environment provider only: in Lambda nothing else is needed (or wanted).
  auto env = std::make_shared<awsauth::providers::EnvironmentProvider>(awsauth::Context::system());
  const awsauth::RequestSigner signer({.service = argc > 2 ? argv[2] : "es", .credentials = env});
  const awsauth::HttpRequest post{.method = "POST",
                                  .url = url,
                                  .headers = {{"Content-Type", "application/json"}},
                                  .body = R"({"name": "awsauth-example"})"};
  const auto response = awsauth::make_poco_http_client()->send(signer.sign(post).request, {});
  std::cout << response.body << "\n";
  return response.status < 400 ? 0 : 1;
} catch (const std::exception& e) {
  return std::cerr << e.what() << "\n", 1;
}
