// The seed's fourth use: temporary credentials from STS. A role profile in ~/.aws/config
//   [profile app]
//   role_arn = arn:aws:iam::123456789012:role/app
//   source_profile = base
// makes the default chain call AssumeRole (and refresh before expiry); every request is then
// signed with the role's key and session token. This one asks STS who it is.
//   AWS_PROFILE=app sts_role_profile [URL]   (else $STS_URL, else https://sts.amazonaws.com/)
// (The test points STS at moto with AWS_ENDPOINT_URL_STS and passes moto's URL.)

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/request_signer.hpp"

int main(int argc, char** argv) try {
  const char* from_env = std::getenv("STS_URL");
  const std::string url = argc > 1 ? argv[1] : from_env ? from_env : "https://sts.amazonaws.com/";
  const awsauth::RequestSigner signer({.service = "sts"});
  const awsauth::HttpRequest who_am_i{
      .method = "POST",
      .url = url,
      .headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
      .body = "Action=GetCallerIdentity&Version=2011-06-15"};
  const auto response = awsauth::make_poco_http_client()->send(signer.sign(who_am_i).request, {});
  std::cout << response.body << "\n";
  return response.status < 400 ? 0 : 1;
} catch (const std::exception& e) {
  return std::cerr << e.what() << "\n", 1;
}
