#include "fake_imds.hpp"

namespace awsauth::test {

std::string imds_document(const std::string& expiration, const std::string& key,
                          const std::string& code) {
  return R"({"Code":")" + code + R"(","Type":"AWS-HMAC","AccessKeyId":")" + key +
         R"(","SecretAccessKey":"s3cr3t","Token":"sess","Expiration":")" + expiration + R"("})";
}

ScriptedResponse FakeImds::answer(const RecordedRequest& request) {
  if (fault) {
    if (auto response = fault(request)) return *response;
  }
  if (request.method == "PUT" && request.path == kImdsTokenPath) {
    const int issued = ++tokens_issued;
    return {.body = token.empty() ? "token-" + std::to_string(issued) : token};
  }
  if (request.path == kImdsListingPath) return {.body = role};
  if (request.path == std::string(kImdsListingPath) + role) return {.body = document_body()};
  return {.status = 404};
}

LoopbackServer::Handler FakeImds::handler() {
  return [this](const RecordedRequest& request) { return answer(request); };
}

}  // namespace awsauth::test
