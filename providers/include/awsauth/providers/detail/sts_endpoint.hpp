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
/// URL: `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, then the profile's `endpoint_url`
/// (all ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's
/// `ignore_configured_endpoint_urls` is true); plain `http://` is accepted there. Otherwise
/// the regional endpoint `https://sts.<region>.amazonaws.com` (`.amazonaws.com.cn` for
/// `cn-*`), except that `AWS_STS_REGIONAL_ENDPOINTS` / profile `sts_regional_endpoints` =
/// `legacy` selects `https://sts.amazonaws.com` (signed for us-east-1) for the regions in
/// botocore's LEGACY_GLOBAL_STS_REGIONS list.
///
/// `profile` may be null (no selected profile in the files). Throws CredentialsError with
/// `provider` as its provider name.
[[nodiscard]] AWSAUTH_API StsEndpoint resolve_sts_endpoint(const Environment& env,
                                                           const Profile* profile,
                                                           const std::string& provider);

}  // namespace awsauth::providers
