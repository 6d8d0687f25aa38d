#include "awsauth/version.hpp"

namespace awsauth {

#define AWSAUTH_STRINGIFY_(x) #x
#define AWSAUTH_STRINGIFY(x) AWSAUTH_STRINGIFY_(x)

std::string_view version() noexcept {
  return AWSAUTH_STRINGIFY(AWSAUTH_VERSION_MAJOR) "." AWSAUTH_STRINGIFY(
      AWSAUTH_VERSION_MINOR) "." AWSAUTH_STRINGIFY(AWSAUTH_VERSION_PATCH);
}

}  // namespace awsauth
