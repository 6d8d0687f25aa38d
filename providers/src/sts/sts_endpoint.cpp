#include "awsauth/providers/detail/sts_endpoint.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string_view>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/profile/profile_properties.hpp"
#include "awsauth/providers/profile/resolved_profile.hpp"

namespace awsauth::providers {
namespace {

// botocore/args.py LEGACY_GLOBAL_STS_REGIONS (botocore 1.43).
constexpr std::array<std::string_view, 16> kLegacyGlobalRegions = {
    "ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2",
    "aws-global",     "ca-central-1", "eu-central-1",   "eu-north-1",
    "eu-west-1",      "eu-west-2",    "eu-west-3",      "sa-east-1",
    "us-east-1",      "us-east-2",    "us-west-1",      "us-west-2"};

std::optional<std::string> non_empty(std::optional<std::string> v) {
  if (v && v->empty()) return std::nullopt;
  return v;
}

std::optional<std::string> profile_value(const Profile* p, std::string_view key) {
  if (p == nullptr) return std::nullopt;
  if (const auto* v = p->find(key)) return non_empty(v->value);
  return std::nullopt;
}

// A region becomes part of a host name: allow only what region names are made of.
bool valid_region(std::string_view r) {
  return !r.empty() && r.size() <= 63 && std::all_of(r.begin(), r.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '-';
  });
}

}  // namespace

StsEndpoint resolve_sts_endpoint(const Environment& env, const Profile* profile,
                                 const std::string& provider) {
  const auto resolved_region = resolve_region(env, profile);
  if (!resolved_region) {
    throw CredentialsError::invalid_configuration(
        provider,
        "no region is set for STS; set AWS_REGION or AWS_DEFAULT_REGION, or `region` in the "
        "selected profile");
  }
  const std::string& region = resolved_region->name;
  const std::string& region_from = resolved_region->origin;
  if (!valid_region(region)) {
    throw CredentialsError::invalid_configuration(
        provider,
        "the region from " + region_from + " (\"" + region + "\") is not a valid region name");
  }

  bool ignore_urls = false;
  if (auto v = env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
    ignore_urls = awsauth::detail::ascii_lower(*v) == "true";
  } else if (auto pv = profile_value(profile, property::ignore_configured_endpoint_urls)) {
    ignore_urls = awsauth::detail::ascii_lower(*pv) == "true";
  }
  if (!ignore_urls) {
    std::optional<std::string> url = non_empty(env.get("AWS_ENDPOINT_URL_STS"));
    std::string from = "AWS_ENDPOINT_URL_STS";
    if (!url) {
      url = non_empty(env.get("AWS_ENDPOINT_URL"));
      from = "AWS_ENDPOINT_URL";
    }
    if (!url) {
      url = profile_value(profile, property::endpoint_url);
      from = "endpoint_url";
    }
    if (url) {
      const std::string l = awsauth::detail::ascii_lower(*url);
      if (l.rfind("http://", 0) != 0 && l.rfind("https://", 0) != 0) {
        throw CredentialsError::invalid_configuration(
            provider, "the STS endpoint from " + from + " (\"" + printable_url(*url) +
                          "\") must start with http:// or https://");
      }
      while (url->size() > 8 && url->back() == '/') url->pop_back();
      return {*url, region};
    }
  }

  std::string mode = "regional";
  if (auto m = non_empty(env.get("AWS_STS_REGIONAL_ENDPOINTS"))) {
    mode = awsauth::detail::ascii_lower(*m);
  } else if (auto pm = profile_value(profile, property::sts_regional_endpoints)) {
    mode = awsauth::detail::ascii_lower(*pm);
  }
  if (mode != "regional" && mode != "legacy") {
    throw CredentialsError::invalid_configuration(
        provider,
        "sts_regional_endpoints is \"" + mode + "\"; valid values are legacy and regional");
  }
  if (mode == "legacy" && std::find(kLegacyGlobalRegions.begin(), kLegacyGlobalRegions.end(),
                                    region) != kLegacyGlobalRegions.end()) {
    return {"https://sts.amazonaws.com", "us-east-1"};
  }
  if (region == "aws-global") return {"https://sts.amazonaws.com", "us-east-1"};
  const std::string suffix = region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn" : ".amazonaws.com";
  return {"https://sts." + region + suffix, region};
}

}  // namespace awsauth::providers
