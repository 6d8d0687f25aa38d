#pragma once
/// @file instance_metadata_config.hpp
/// Where and how the EC2 instance metadata service (IMDS) is reached: a pure function of the
/// environment, the selected profile's keys and explicit settings. No network, no files.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/environment.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/profile/profile.hpp"

namespace awsauth::providers {

/// The IMDS keys of the selected profile in the shared config file, with where they were
/// written (for error messages). Absent keys stay empty. The config-file parser fills it with
/// `from_profile`; tests may fill it by hand.
struct AWSAUTH_API InstanceMetadataProfileSettings {
  std::optional<ProfileValue> endpoint;       ///< ec2_metadata_service_endpoint
  std::optional<ProfileValue> endpoint_mode;  ///< ec2_metadata_service_endpoint_mode
  std::optional<ProfileValue> v1_disabled;    ///< ec2_metadata_v1_disabled
  std::optional<ProfileValue> timeout;        ///< metadata_service_timeout (seconds)
  std::optional<ProfileValue> num_attempts;   ///< metadata_service_num_attempts

  /// Reads the five keys from a profile; a null profile gives empty settings.
  [[nodiscard]] static InstanceMetadataProfileSettings from_profile(const Profile* profile);
};

/// Settings given in code. They win over the environment and the profile, except that an
/// endpoint from anywhere wins over an endpoint mode from anywhere (the SDKs' rule, pinned by
/// imds-endpoint-tests.json).
struct AWSAUTH_API InstanceMetadataOverrides {
  std::optional<std::string> endpoint;       ///< e.g. "http://127.0.0.1:8080"
  std::optional<std::string> endpoint_mode;  ///< "IPv4" or "IPv6", any case
};

/// The resolved configuration of the instance metadata provider.
struct AWSAUTH_API InstanceMetadataConfig {
  /// AWS_EC2_METADATA_DISABLED is "true" (any case): the provider is off.
  bool disabled = false;
  /// Base URL without a trailing '/': "http://169.254.169.254" by default.
  std::string endpoint;
  /// AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled: never fall back to IMDSv1.
  bool v1_disabled = false;
  /// AWS_METADATA_SERVICE_TIMEOUT / metadata_service_timeout: bound of one whole HTTP exchange.
  std::chrono::milliseconds timeout{1000};
  /// AWS_METADATA_SERVICE_NUM_ATTEMPTS / metadata_service_num_attempts: attempts per request.
  int num_attempts = 1;

  /// The endpoint joined with `path` (botocore's rule: one '/' between them).
  [[nodiscard]] std::string url(std::string_view path) const;
  /// The IMDSv2 session token URL, `<endpoint>/latest/api/token`.
  [[nodiscard]] std::string token_url() const { return url("latest/api/token"); }
};

inline constexpr std::string_view imds_ipv4_endpoint = "http://169.254.169.254";
inline constexpr std::string_view imds_ipv6_endpoint = "http://[fd00:ec2::254]";

/// Resolves the configuration. Precedence for the endpoint: explicit endpoint, then
/// AWS_EC2_METADATA_SERVICE_ENDPOINT, then ec2_metadata_service_endpoint; otherwise the
/// endpoint mode (explicit, then AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE, then
/// ec2_metadata_service_endpoint_mode; "IPv4" or "IPv6", case-insensitive) picks the address.
/// When the service is disabled nothing else is read or checked.
///
/// Throws CredentialsError(InvalidConfiguration) naming the setting (variable, or file and
/// line) for an endpoint that is not an http(s) URL, an unknown mode, a timeout that is not a
/// positive number of seconds or an attempt count that is not a positive integer.
[[nodiscard]] AWSAUTH_API InstanceMetadataConfig resolve_instance_metadata_config(
    const Environment& env, const InstanceMetadataProfileSettings& profile,
    const InstanceMetadataOverrides& overrides = {});

}  // namespace awsauth::providers
