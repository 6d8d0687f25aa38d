#pragma once
/// @file sts_endpoint.hpp
/// Where STS calls go and which region signs them, from the environment and the selected
/// profile (a pure function: the environment is passed in).

#include <string>

#include "awsauth/environment.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/profile/profile.hpp"

namespace awsauth::providers {

/// The resolved STS endpoint.
struct AWSAUTH_API StsEndpoint {
  std::string url;             ///< `https://sts.us-west-2.amazonaws.com` or an override
  std::string signing_region;  ///< the region in the SigV4 scope
};

/// Resolves the STS endpoint for the selected profile. The same endpoint serves every hop of
/// a role chain (the selected profile's settings apply to all of them, as in botocore).
///
/// Region: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region`. (botocore 1.43
/// reads only `AWS_DEFAULT_REGION`; awsauth also honours `AWS_REGION`, as the other SDKs do.)
/// No region is an InvalidConfiguration error saying how to set one.
///
/// URL: resolve_service_endpoint() for AwsService::Sts (endpoints.hpp): a configured URL
/// (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the `[services]` section's `sts`
/// `endpoint_url`, the profile's `endpoint_url`), else the STS rule set's host for the region,
/// FIPS and dual-stack settings; `AWS_STS_REGIONAL_ENDPOINTS` / `sts_regional_endpoints` =
/// `legacy` selects `https://sts.amazonaws.com` (signed for us-east-1) for botocore's legacy
/// global regions when neither FIPS nor dual-stack is on.
///
/// `profile` may be null (no selected profile in the files); `profiles` holds the `[services]`
/// sections. Throws CredentialsError with `provider` as its provider name.
[[nodiscard]] AWSAUTH_API StsEndpoint resolve_sts_endpoint(const Environment& env,
                                                           const ProfileSet& profiles,
                                                           const Profile* profile,
                                                           const std::string& provider);

/// The same for a profile given without its files: a profile whose `services` key names a
/// `[services]` section is an InvalidConfiguration error (the section cannot be read).
[[nodiscard]] AWSAUTH_API StsEndpoint resolve_sts_endpoint(const Environment& env,
                                                           const Profile* profile,
                                                           const std::string& provider);

}  // namespace awsauth::providers
