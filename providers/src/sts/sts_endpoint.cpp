#include "awsauth/providers/detail/sts_endpoint.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/endpoints.hpp"
#include "awsauth/providers/profile/profile_properties.hpp"
#include "awsauth/providers/profile/resolved_profile.hpp"

namespace awsauth::providers {
namespace {

// A region becomes part of a host name: allow only what region names are made of.
bool valid_region(std::string_view r) {
  return !r.empty() && r.size() <= 63 && std::all_of(r.begin(), r.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '-';
  });
}

}  // namespace

StsEndpoint resolve_sts_endpoint(const Environment& env, const ProfileSet& profiles,
                                 const Profile* profile, const std::string& provider) {
  const auto resolved_region = resolve_region(env, profile);
  if (!resolved_region) {
    throw CredentialsError::invalid_configuration(
        provider,
        "no region is set for STS; set AWS_REGION or AWS_DEFAULT_REGION, or `region` in the "
        "selected profile");
  }
  const std::string& region = resolved_region->name;
  if (!valid_region(region)) {
    throw CredentialsError::invalid_configuration(
        provider, "the region from " + resolved_region->origin + " (\"" + printable(region) +
                      "\") is not a valid region name");
  }
  ServiceEndpoint endpoint =
      resolve_service_endpoint(env, profiles, profile, AwsService::Sts, region, provider);
  return {std::move(endpoint.url), std::move(endpoint.signing_region)};
}

StsEndpoint resolve_sts_endpoint(const Environment& env, const Profile* profile,
                                 const std::string& provider) {
  ProfileSet profiles;
  if (profile != nullptr && profile->find(property::services) != nullptr) {
    throw CredentialsError::invalid_configuration(
        provider, "profile `" + profile->name +
                      "` names a [services] section, but this call was given only the profile; "
                      "pass the profile set to resolve_sts_endpoint");
  }
  return resolve_sts_endpoint(env, profiles, profile, provider);
}

}  // namespace awsauth::providers
