#include "awsauth/providers/metadata/instance_metadata_config.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/profile/profile_properties.hpp"
#include "metadata/http_url.hpp"

namespace awsauth::providers {

namespace {

/// One setting's value and where it came from, for error messages.
struct Setting {
  std::string value;
  std::string origin;  ///< "AWS_X", "profile key k (file:line)" or "explicit setting k"
};

std::optional<Setting> pick(const std::optional<std::string>& explicit_value,
                            std::string_view explicit_name, const Environment& env,
                            std::string_view env_name, const std::optional<ProfileValue>& profile,
                            std::string_view key) {
  if (explicit_value) {
    return Setting{*explicit_value, "explicit setting " + std::string(explicit_name)};
  }
  if (auto v = env.get(env_name)) return Setting{*v, std::string(env_name)};
  if (profile) {
    return Setting{profile->value,
                   std::string(key) + " in " + profile->file + ":" + std::to_string(profile->line)};
  }
  return std::nullopt;
}

}  // namespace

InstanceMetadataProfileSettings InstanceMetadataProfileSettings::from_profile(
    const Profile* profile) {
  InstanceMetadataProfileSettings s;
  if (profile == nullptr) return s;
  auto get = [profile](std::string_view key) -> std::optional<ProfileValue> {
    if (const ProfileValue* v = profile->find(key)) return *v;
    return std::nullopt;
  };
  s.endpoint = get(property::ec2_metadata_service_endpoint);
  s.endpoint_mode = get(property::ec2_metadata_service_endpoint_mode);
  s.v1_disabled = get(property::ec2_metadata_v1_disabled);
  s.timeout = get(property::metadata_service_timeout);
  s.num_attempts = get(property::metadata_service_num_attempts);
  return s;
}

std::string InstanceMetadataConfig::url(std::string_view path) const {
  std::string out = endpoint;
  if (out.empty() || out.back() != '/') out += '/';
  out += path;
  return out;
}

InstanceMetadataConfig resolve_instance_metadata_config(
    const Environment& env, const InstanceMetadataProfileSettings& profile,
    const InstanceMetadataOverrides& overrides) {
  InstanceMetadataConfig config;
  // botocore: env.get('AWS_EC2_METADATA_DISABLED', 'false').lower() == 'true'.
  config.disabled = awsauth::detail::ascii_lower(
                        env.get("AWS_EC2_METADATA_DISABLED").value_or("false")) == "true";
  if (config.disabled) return config;

  const auto endpoint =
      pick(overrides.endpoint, "endpoint", env, "AWS_EC2_METADATA_SERVICE_ENDPOINT",
           profile.endpoint, property::ec2_metadata_service_endpoint);
  const auto mode =
      pick(overrides.endpoint_mode, "endpoint_mode", env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
           profile.endpoint_mode, property::ec2_metadata_service_endpoint_mode);
  // The mode is validated even when an endpoint makes it moot: a typo should not lie dormant.
  bool ipv6 = false;
  if (mode) {
    const std::string m = awsauth::detail::ascii_lower(mode->value);
    if (m == "ipv6") {
      ipv6 = true;
    } else if (m != "ipv4") {
      throw CredentialsError::invalid_configuration(provider_names::instance_metadata,
                                                    "`" + mode->value +
                                                        "` is not a valid endpoint mode (from " +
                                                        mode->origin + "); expected IPv4 or IPv6");
    }
  }
  if (endpoint) {
    std::string error;
    if (!detail::parse_endpoint_url(endpoint->value, error)) {
      throw CredentialsError::invalid_configuration(
          provider_names::instance_metadata,
          "the instance metadata endpoint `" + printable_url(endpoint->value) + "` (from " +
              endpoint->origin + ") is not a valid http(s) URL: " + error);
    }
    config.endpoint = endpoint->value;
    while (config.endpoint.size() > 1 && config.endpoint.back() == '/') config.endpoint.pop_back();
  } else {
    config.endpoint = std::string(ipv6 ? imds_ipv6_endpoint : imds_ipv4_endpoint);
  }

  const auto v1 = pick(std::nullopt, "", env, "AWS_EC2_METADATA_V1_DISABLED", profile.v1_disabled,
                       property::ec2_metadata_v1_disabled);
  // botocore's ensure_boolean: only "true" (any case) is true.
  config.v1_disabled = v1 && awsauth::detail::ascii_lower(v1->value) == "true";

  if (const auto t = pick(std::nullopt, "", env, "AWS_METADATA_SERVICE_TIMEOUT", profile.timeout,
                          property::metadata_service_timeout)) {
    char* end = nullptr;
    const double seconds = std::strtod(t->value.c_str(), &end);
    if (t->value.empty() || end == nullptr || *end != '\0' || !std::isfinite(seconds) ||
        seconds <= 0 || seconds > 3600) {
      throw CredentialsError::invalid_configuration(
          provider_names::instance_metadata, "metadata service timeout `" + t->value + "` (from " +
                                                 t->origin +
                                                 ") is not a positive number of seconds");
    }
    config.timeout = std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
  }
  if (const auto n = pick(std::nullopt, "", env, "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
                          profile.num_attempts, property::metadata_service_num_attempts)) {
    char* end = nullptr;
    const long attempts = std::strtol(n->value.c_str(), &end, 10);
    if (n->value.empty() || end == nullptr || *end != '\0' || attempts < 1 || attempts > 100) {
      throw CredentialsError::invalid_configuration(provider_names::instance_metadata,
                                                    "metadata service attempt count `" + n->value +
                                                        "` (from " + n->origin +
                                                        ") is not a whole number from 1 to 100");
    }
    config.num_attempts = static_cast<int>(attempts);
  }
  return config;
}

}  // namespace awsauth::providers
