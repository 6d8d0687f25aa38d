#include "chain_environment.hpp"

namespace awsauth::cli {

std::vector<EnvironmentSpec> default_chain_environment() {
  // The order of the chain; each group is read where providers/src reads it.
  return {
      {"AWS_DEFAULT_PROFILE, AWS_PROFILE",
       "the profile when --profile is not given; AWS_DEFAULT_PROFILE wins when both are set"},
      {"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, "
       "AWS_ACCOUNT_ID",
       "the environment provider, first in the chain (left out when --profile is given)"},
      {"AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_SESSION_NAME",
       "web identity through STS AssumeRoleWithWebIdentity (left out when --profile is given)"},
      {"AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE",
       "the shared files (default: ~/.aws/config and ~/.aws/credentials)"},
      {"AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC",
       "IAM Identity Center (SSO) profiles: the portal and SSO-OIDC endpoints (tokens from "
       "~/.aws/sso/cache, written by `aws sso login` or `awsauth sso login`)"},
      {"AWS_LOGIN_CACHE_DIRECTORY, AWS_ENDPOINT_URL_SIGNIN",
       "`aws login` (login_session) profiles: the token cache (default: ~/.aws/login/cache) "
       "and the sign-in endpoint that refreshes it"},
      {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_CREDENTIALS_FULL_URI, "
       "AWS_CONTAINER_AUTHORIZATION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
       "the container credentials endpoint (ECS, EKS Pod Identity)"},
      {"AWS_EC2_METADATA_DISABLED, AWS_EC2_METADATA_SERVICE_ENDPOINT, "
       "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE, AWS_EC2_METADATA_V1_DISABLED, "
       "AWS_METADATA_SERVICE_TIMEOUT, AWS_METADATA_SERVICE_NUM_ATTEMPTS",
       "instance metadata (IMDSv2), last in the chain"},
      {"AWS_REGION, AWS_DEFAULT_REGION, AWS_STS_REGIONAL_ENDPOINTS, AWS_ENDPOINT_URL_STS, "
       "AWS_ENDPOINT_URL, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, AWS_USE_FIPS_ENDPOINT, "
       "AWS_USE_DUALSTACK_ENDPOINT, AWS_MAX_ATTEMPTS, AWS_RETRY_MODE",
       "the STS endpoint and retries of role profiles and web identity"},
      {"AWSAUTH_CREDENTIALS_CACHE_DIR",
       "a directory where AssumeRole results are kept for other processes (off when unset)"},
  };
}

OptionSpec default_chain_profile_option() {
  return {.name = "profile",
          .value_name = "NAME",
          .meaning =
              "the profile of the shared config and credentials files; naming it leaves "
              "the environment keys and web identity out of the chain",
          .default_text = "AWS_DEFAULT_PROFILE, else AWS_PROFILE, else 'default'"};
}

}  // namespace awsauth::cli
