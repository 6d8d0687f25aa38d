#pragma once
/// @file endpoints.hpp
/// Where awsauth's own service calls go (STS, the IAM Identity Center portal, SSO-OIDC and the
/// sign-in service): a configured endpoint URL when the user set one, else the host the AWS
/// SDKs' endpoint rules pick for the region, FIPS and dual-stack settings and partition.
/// A pure function: the environment and the parsed files are passed in.

#include <string>
#include <string_view>

#include "awsauth/environment.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/profile/profile.hpp"

namespace awsauth::providers {

/// The services awsauth itself calls to obtain credentials.
enum class AwsService {
  Sts,      ///< service id "STS": `AWS_ENDPOINT_URL_STS`, `[services]` key `sts`
  Sso,      ///< "SSO" (the portal, GetRoleCredentials): `AWS_ENDPOINT_URL_SSO`, `sso`
  SsoOidc,  ///< "SSO OIDC" (CreateToken): `AWS_ENDPOINT_URL_SSO_OIDC`, `sso_oidc`
  Signin,   ///< "Signin" (`aws login` tokens): `AWS_ENDPOINT_URL_SIGNIN`, `signin`
};

/// The service id as the SDKs spell it ("STS", "SSO", "SSO OIDC", "Signin").
[[nodiscard]] AWSAUTH_API std::string_view service_id(AwsService service);
/// `AWS_ENDPOINT_URL_<SERVICE>` for the service.
[[nodiscard]] AWSAUTH_API std::string endpoint_env_var(AwsService service);
/// The key of the service in a `[services NAME]` section ("sts", "sso", "sso_oidc", "signin").
[[nodiscard]] AWSAUTH_API std::string services_key(AwsService service);

/// A resolved endpoint.
struct AWSAUTH_API ServiceEndpoint {
  std::string url;             ///< scheme, host, optional path; no trailing slash
  std::string signing_region;  ///< the region in the SigV4 scope (when the call is signed)
  /// Where the URL came from, for messages: "AWS_ENDPOINT_URL_STS", "endpoint_url of profile
  /// `dev` (/home/u/.aws/config:4)", "[services dev] sts endpoint_url (/home/u/.aws/config:9)",
  /// or "the default for us-west-2 (FIPS)".
  std::string origin;
  bool configured = false;  ///< a URL the user configured (custom endpoint), not a default
};

/// Resolves the endpoint of `service` in `region` for the selected profile.
///
/// Configured URLs, first match wins (botocore's ConfiguredEndpointProvider):
///   1. `AWS_ENDPOINT_URL_<SERVICE>`
///   2. `AWS_ENDPOINT_URL`
///   3. the service's `endpoint_url` in the `[services NAME]` section the profile's `services`
///      key names (a missing section is an InvalidConfiguration error naming it)
///   4. the profile's own `endpoint_url`
/// none of which apply when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's
/// `ignore_configured_endpoint_urls` is `true`. A custom endpoint wins over FIPS and
/// dual-stack. An empty value counts as unset; a URL must start with http:// or https://.
///
/// Otherwise the default host for the region's partition (aws, aws-cn, aws-us-gov, the ISO
/// partitions), honouring `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint` and
/// `AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint` as the services' endpoint rule sets
/// do (for example `sts-fips.us-east-1.amazonaws.com`, `sts.us-east-1.api.aws`,
/// `oidc-fips.us-east-1.api.aws`, `portal.sso.cn-north-1.amazonaws.com.cn`). A FIPS or
/// dual-stack request a partition cannot serve is an InvalidConfiguration error.
///
/// `profile` may be null. Errors are CredentialsError with `provider` as the provider name.
[[nodiscard]] AWSAUTH_API ServiceEndpoint
resolve_service_endpoint(const Environment& env, const ProfileSet& profiles, const Profile* profile,
                         AwsService service, std::string_view region, std::string_view provider);

}  // namespace awsauth::providers
