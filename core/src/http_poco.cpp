// PLACEHOLDER until the credential-core work lands the Poco client (issue 3).
#include <stdexcept>

#include "awsauth/context.hpp"

namespace awsauth {
std::shared_ptr<HttpClient> make_poco_http_client() {
  throw std::logic_error("the Poco HTTP client is not built yet");
}
}  // namespace awsauth
