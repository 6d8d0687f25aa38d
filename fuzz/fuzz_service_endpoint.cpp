// Endpoint resolution over any config file and region: the first line of the input is the
// region, the rest the config file (its `default` profile is used). Every service gives an
// endpoint whose URL starts with http:// or https:// (in any case) and whose default host holds
// only what a host name may hold, or a CredentialsError; never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "awsauth/environment.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/providers/endpoints.hpp"
#include "awsauth/providers/profile/profile_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto nl = input.find('\n');
  const std::string_view region = input.substr(0, nl);
  const std::string_view config = nl == std::string_view::npos ? "" : input.substr(nl + 1);
  using namespace awsauth::providers;
  ProfileSet set;
  try {
    set = parse_profile_file(config, "fuzz", ProfileFileKind::Config);
  } catch (const ProfileParseError&) {
    return 0;
  }
  const awsauth::MapEnvironment env;
  for (AwsService service :
       {AwsService::Sts, AwsService::Sso, AwsService::SsoOidc, AwsService::Signin}) {
    try {
      const ServiceEndpoint e =
          resolve_service_endpoint(env, set, set.find("default"), service, region, "fuzz");
      std::string scheme = e.url.substr(0, 8);
      for (char& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      const bool http = scheme.rfind("http://", 0) == 0 || scheme.rfind("https://", 0) == 0;
      if (!http) std::abort();
      if (!e.configured) {
        const std::string host = e.url.substr(8);
        for (const char c : host) {
          const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
          if (!ok) std::abort();
        }
      }
    } catch (const awsauth::CredentialsError&) {
    }
  }
  return 0;
}
