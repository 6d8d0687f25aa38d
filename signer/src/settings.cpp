#include "awsauth/signer/settings.hpp"

namespace awsauth::signer {

SigningSettings SigningSettings::for_service(std::string region, std::string service) {
  SigningSettings s;
  // S3 (and S3 Object Lambda) sign the path as sent and require x-amz-content-sha256
  // (botocore S3SigV4Auth; aws-c-auth's S3 flags).
  const bool s3 = service == "s3" || service == "s3-object-lambda";
  s.region = std::move(region);
  s.service = std::move(service);
  s.normalize_path = !s3;
  s.double_encode = !s3;
  s.add_content_sha256 = s3;
  return s;
}

}  // namespace awsauth::signer
