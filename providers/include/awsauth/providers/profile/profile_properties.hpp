#pragma once
/// @file profile_properties.hpp
/// Every profile property awsauth reads, by the name botocore and the AWS CLI write in
/// `~/.aws/config` and `~/.aws/credentials`: one place to find what a profile can say.

#include <string_view>

namespace awsauth::providers::property {

// Static keys (credentials file, or config file).
inline constexpr std::string_view aws_access_key_id = "aws_access_key_id";
inline constexpr std::string_view aws_secret_access_key = "aws_secret_access_key";
inline constexpr std::string_view aws_session_token = "aws_session_token";
inline constexpr std::string_view aws_security_token = "aws_security_token";  ///< legacy name
inline constexpr std::string_view aws_account_id = "aws_account_id";

// Role chains (AssumeRole) and web identity.
inline constexpr std::string_view role_arn = "role_arn";
inline constexpr std::string_view source_profile = "source_profile";
inline constexpr std::string_view credential_source = "credential_source";
inline constexpr std::string_view role_session_name = "role_session_name";
inline constexpr std::string_view external_id = "external_id";
inline constexpr std::string_view duration_seconds = "duration_seconds";
inline constexpr std::string_view mfa_serial = "mfa_serial";
inline constexpr std::string_view web_identity_token_file = "web_identity_token_file";

// Other credential sources.
inline constexpr std::string_view credential_process = "credential_process";
inline constexpr std::string_view sso_session = "sso_session";
inline constexpr std::string_view sso_start_url = "sso_start_url";
inline constexpr std::string_view sso_region = "sso_region";
inline constexpr std::string_view sso_account_id = "sso_account_id";
inline constexpr std::string_view sso_role_name = "sso_role_name";
inline constexpr std::string_view sso_registration_scopes = "sso_registration_scopes";
inline constexpr std::string_view login_session = "login_session";

// Where and how to call STS and the metadata services.
inline constexpr std::string_view region = "region";
inline constexpr std::string_view endpoint_url = "endpoint_url";
inline constexpr std::string_view ignore_configured_endpoint_urls =
    "ignore_configured_endpoint_urls";
inline constexpr std::string_view sts_regional_endpoints = "sts_regional_endpoints";
inline constexpr std::string_view services = "services";  ///< names a `[services NAME]` section
inline constexpr std::string_view use_fips_endpoint = "use_fips_endpoint";
inline constexpr std::string_view use_dualstack_endpoint = "use_dualstack_endpoint";
inline constexpr std::string_view ca_bundle = "ca_bundle";
inline constexpr std::string_view max_attempts = "max_attempts";
inline constexpr std::string_view retry_mode = "retry_mode";
inline constexpr std::string_view metadata_service_timeout = "metadata_service_timeout";
inline constexpr std::string_view metadata_service_num_attempts = "metadata_service_num_attempts";
inline constexpr std::string_view ec2_metadata_service_endpoint = "ec2_metadata_service_endpoint";
inline constexpr std::string_view ec2_metadata_service_endpoint_mode =
    "ec2_metadata_service_endpoint_mode";
inline constexpr std::string_view ec2_metadata_v1_disabled = "ec2_metadata_v1_disabled";

}  // namespace awsauth::providers::property
