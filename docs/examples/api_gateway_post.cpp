// The seed's second use: POST a JSON document to an API Gateway endpoint with IAM
// authorization, sent by awsauth's own HTTP client (https with the system CA store).
//   api_gateway_post [URL [SERVICE]]   (else $API_URL; SERVICE defaults to execute-api), e.g.
//   api_gateway_post https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items
// (The test points it at moto's API Gateway control plane, which signs as `apigateway`.)

#include <cstdlib>
#include <exception>
#include <iostream>

#include "awsauth/context.hpp"
#include "awsauth/request_signer.hpp"

int main(int argc, char** argv) try {
  const char* url = argc > 1 ? argv[1] : std::getenv("API_URL");
  if (url == nullptr) return std::cerr << "usage: api_gateway_post URL [SERVICE]\n", 2;
  const awsauth::RequestSigner signer({.service = argc > 2 ? argv[2] : "execute-api"});
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
