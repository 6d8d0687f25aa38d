// Endpoint resolution for awsauth's own calls: botocore's ConfiguredEndpointProvider for
// custom URLs, then the services' endpoint rule sets (botocore/data/<service>/*/
// endpoint-rule-set-1.json) over the partitions of botocore/data/partitions.json.
#include "awsauth/providers/endpoints.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/profile/profile_properties.hpp"

namespace awsauth::providers {
namespace {

struct Partition {
  std::string_view name;
  std::string_view dns_suffix;
  std::string_view dual_stack_dns_suffix;
  std::string_view global_region;  // the partition's pseudo-region, listed explicitly
  // Region prefixes of the partition's regionRegex, `^(p1|p2)\-\w+\-\d+$`.
  std::array<std::string_view, 9> prefixes;
};

// botocore 1.43 partitions.json, in its order (the order decides between regexes). Every
// partition there supports FIPS and dual-stack, so the rule sets' "does not support" errors
// cannot happen.
constexpr std::array<Partition, 8> kPartitions = {{
    {"aws",
     "amazonaws.com",
     "api.aws",
     "aws-global",
     {"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"}},
    {"aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", "aws-cn-global", {"cn"}},
    {"aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu", "", {"eusc-de"}},
    {"aws-iso", "c2s.ic.gov", "api.aws.ic.gov", "aws-iso-global", {"us-iso"}},
    {"aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud", "aws-iso-b-global", {"us-isob"}},
    {"aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", "aws-iso-e-global", {"eu-isoe"}},
    {"aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov", "aws-iso-f-global", {"us-isof"}},
    {"aws-us-gov", "amazonaws.com", "api.aws", "aws-us-gov-global", {"us-gov"}},
}};

// `<prefix>-<word>-<digits>`, the shape every partition's regionRegex describes.
bool matches_region_shape(std::string_view region, std::string_view prefix) {
  if (prefix.empty() || region.size() <= prefix.size() + 1 || !region.starts_with(prefix) ||
      region[prefix.size()] != '-') {
    return false;
  }
  std::string_view rest = region.substr(prefix.size() + 1);
  const auto dash = rest.find('-');
  if (dash == std::string_view::npos || dash == 0) return false;
  const std::string_view word = rest.substr(0, dash);
  const std::string_view digits = rest.substr(dash + 1);
  const auto is_word = [](unsigned char c) { return std::isalnum(c) != 0 || c == '_'; };
  return std::all_of(word.begin(), word.end(), is_word) && !digits.empty() &&
         std::all_of(digits.begin(), digits.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

// The rule sets' aws.partition(): an explicitly listed region first, then the regexes, then
// the aws partition for anything else.
const Partition& partition_of(std::string_view region) {
  for (const auto& p : kPartitions) {
    if (!p.global_region.empty() && region == p.global_region) return p;
  }
  for (const auto& p : kPartitions) {
    for (std::string_view prefix : p.prefixes) {
      if (matches_region_shape(region, prefix)) return p;
    }
  }
  return kPartitions[0];
}

// A region becomes part of a host name: allow only what region names are made of.
bool valid_region(std::string_view r) {
  return !r.empty() && r.size() <= 63 && std::all_of(r.begin(), r.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '-';
  });
}

std::optional<std::string> non_empty(std::optional<std::string> v) {
  if (v && v->empty()) return std::nullopt;
  return v;
}

const ProfileValue* profile_value(const Profile* p, std::string_view key) {
  if (p == nullptr) return nullptr;
  const ProfileValue* v = p->find(key);
  return v != nullptr && !v->value.empty() ? v : nullptr;
}

std::string where(const ProfileValue& v) {
  if (v.file.empty()) return {};
  return " (" + v.file + ":" + std::to_string(v.line) + ")";
}

// botocore's ensure_boolean on a string: only "true" (any case) is true.
bool is_true(std::string_view v) { return awsauth::detail::ascii_lower(std::string(v)) == "true"; }

// An environment variable, else the profile's key; false when neither is set.
bool flag(const Environment& env, std::string_view variable, const Profile* profile,
          std::string_view key) {
  if (auto v = non_empty(env.get(std::string(variable)))) return is_true(*v);
  if (const auto* pv = profile_value(profile, key)) return is_true(pv->value);
  return false;
}

struct ConfiguredUrl {
  std::string url;
  std::string origin;
};

// The sub-property `key` of a `[services]` entry, whose value the parser keeps as
// "\nk1 = v1\nk2 = v2".
std::optional<std::string> sub_property(std::string_view text, std::string_view key) {
  std::optional<std::string> found;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view k = line.substr(0, eq);
    std::string_view v = line.substr(eq + 1);
    while (!k.empty() && (k.back() == ' ' || k.back() == '\t')) k.remove_suffix(1);
    while (!k.empty() && (k.front() == ' ' || k.front() == '\t')) k.remove_prefix(1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (awsauth::detail::ascii_lower(std::string(k)) == key) found = std::string(v);  // last wins
  }
  return found;
}

std::optional<ConfiguredUrl> services_section_url(const ProfileSet& profiles,
                                                  const Profile* profile, AwsService service,
                                                  std::string_view provider) {
  const ProfileValue* name = profile_value(profile, property::services);
  if (name == nullptr) return std::nullopt;
  auto section = profiles.services.find(name->value);
  if (section == profiles.services.end()) {
    throw CredentialsError::invalid_configuration(
        std::string(provider), "profile `" + profile->name + "` uses the services section `" +
                                   name->value + "`" + where(*name) +
                                   ", but there is no [services " + name->value +
                                   "] section in the config file");
  }
  const ProfileValue* entry = section->second.find(services_key(service));
  if (entry == nullptr) return std::nullopt;
  auto url = non_empty(sub_property(entry->value, "endpoint_url"));
  if (!url) return std::nullopt;
  return ConfiguredUrl{*url, "[services " + name->value + "] " + services_key(service) +
                                 " endpoint_url" + where(*entry)};
}

// botocore's ConfiguredEndpointProvider order.
std::optional<ConfiguredUrl> configured_url(const Environment& env, const ProfileSet& profiles,
                                            const Profile* profile, AwsService service,
                                            std::string_view provider) {
  if (flag(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", profile,
           property::ignore_configured_endpoint_urls)) {
    return std::nullopt;
  }
  const std::string service_variable = endpoint_env_var(service);
  if (auto v = non_empty(env.get(service_variable))) return ConfiguredUrl{*v, service_variable};
  if (auto v = non_empty(env.get("AWS_ENDPOINT_URL"))) {
    return ConfiguredUrl{*v, "AWS_ENDPOINT_URL"};
  }
  if (auto s = services_section_url(profiles, profile, service, provider)) return s;
  if (const auto* v = profile_value(profile, property::endpoint_url)) {
    return ConfiguredUrl{v->value, "endpoint_url of profile `" + profile->name + "`" + where(*v)};
  }
  return std::nullopt;
}

// botocore 1.43 legacy global STS regions (the STS rule set's UseGlobalEndpoint branch).
constexpr std::array<std::string_view, 16> kLegacyGlobalStsRegions = {
    "ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2",
    "aws-global",     "ca-central-1", "eu-central-1",   "eu-north-1",
    "eu-west-1",      "eu-west-2",    "eu-west-3",      "sa-east-1",
    "us-east-1",      "us-east-2",    "us-west-1",      "us-west-2"};

bool sts_global_endpoint(const Environment& env, const Profile* profile,
                         std::string_view provider) {
  std::string mode = "regional";
  if (auto m = non_empty(env.get("AWS_STS_REGIONAL_ENDPOINTS"))) {
    mode = awsauth::detail::ascii_lower(*m);
  } else if (const auto* pm = profile_value(profile, property::sts_regional_endpoints)) {
    mode = awsauth::detail::ascii_lower(pm->value);
  }
  if (mode != "regional" && mode != "legacy") {
    throw CredentialsError::invalid_configuration(std::string(provider),
                                                  "sts_regional_endpoints is \"" + printable(mode) +
                                                      "\"; valid values are legacy and regional");
  }
  return mode == "legacy";
}

// botocore: the variable is AWS_ENDPOINT_URL_ and the service id, spaces to underscores, upper
// case; the `[services]` key is the same in lower case.
struct ServiceNames {
  std::string_view id;
  std::string_view variable;
  std::string_view services_key;
};

ServiceNames service_names(AwsService service) {
  switch (service) {
    case AwsService::Sts:
      return {"STS", "AWS_ENDPOINT_URL_STS", "sts"};
    case AwsService::Sso:
      return {"SSO", "AWS_ENDPOINT_URL_SSO", "sso"};
    case AwsService::SsoOidc:
      return {"SSO OIDC", "AWS_ENDPOINT_URL_SSO_OIDC", "sso_oidc"};
    case AwsService::Signin:
      return {"Signin", "AWS_ENDPOINT_URL_SIGNIN", "signin"};
  }
  return {"STS", "AWS_ENDPOINT_URL_STS", "sts"};
}

// The host prefix each rule set puts before the region.
std::string_view host_prefix(AwsService service) {
  switch (service) {
    case AwsService::Sts:
      return "sts";
    case AwsService::Sso:
      return "portal.sso";
    case AwsService::SsoOidc:
      return "oidc";
    case AwsService::Signin:
      return "signin";
  }
  return "sts";
}

}  // namespace

std::string_view service_id(AwsService service) { return service_names(service).id; }

std::string endpoint_env_var(AwsService service) {
  return std::string(service_names(service).variable);
}

std::string services_key(AwsService service) {
  return std::string(service_names(service).services_key);
}

ServiceEndpoint resolve_service_endpoint(const Environment& env, const ProfileSet& profiles,
                                         const Profile* profile, AwsService service,
                                         std::string_view region, std::string_view provider) {
  if (auto custom = configured_url(env, profiles, profile, service, provider)) {
    std::string url = std::move(custom->url);
    const std::string lower = awsauth::detail::ascii_lower(url);
    if (!lower.starts_with("http://") && !lower.starts_with("https://")) {
      throw CredentialsError::invalid_configuration(
          std::string(provider), "the " + std::string(service_id(service)) + " endpoint from " +
                                     custom->origin + " (\"" + printable_url(url) +
                                     "\") must start with http:// or https://");
    }
    while (url.size() > 8 && url.back() == '/') url.pop_back();
    // botocore turns FIPS and dual-stack off when a custom endpoint is given.
    return {std::move(url), std::string(region), std::move(custom->origin), true};
  }

  if (!valid_region(region)) {
    throw CredentialsError::invalid_configuration(
        std::string(provider), "the region \"" + printable(std::string(region)) +
                                   "\" is not a valid region name, so there is no " +
                                   std::string(service_id(service)) + " endpoint for it");
  }
  const bool fips = flag(env, "AWS_USE_FIPS_ENDPOINT", profile, property::use_fips_endpoint);
  const bool dual_stack =
      flag(env, "AWS_USE_DUALSTACK_ENDPOINT", profile, property::use_dualstack_endpoint);
  const Partition& partition = partition_of(region);
  const std::string r(region);
  const std::string prefix(host_prefix(service));
  const std::string dns(partition.dns_suffix);
  const std::string dual_dns(partition.dual_stack_dns_suffix);
  std::string origin = "the default for " + r;
  if (fips && dual_stack) {
    origin += " (FIPS, dual-stack)";
  } else if (fips) {
    origin += " (FIPS)";
  } else if (dual_stack) {
    origin += " (dual-stack)";
  }
  // STS signs calls for the aws-global pseudo-region as us-east-1, whatever the host.
  const std::string default_signing_region =
      service == AwsService::Sts && region == "aws-global" ? "us-east-1" : r;
  const auto endpoint = [&](std::string url) {
    return ServiceEndpoint{std::move(url), default_signing_region, origin, false};
  };

  if (service == AwsService::Sts && !fips && !dual_stack &&
      sts_global_endpoint(env, profile, provider) &&
      std::find(kLegacyGlobalStsRegions.begin(), kLegacyGlobalStsRegions.end(), region) !=
          kLegacyGlobalStsRegions.end()) {
    return ServiceEndpoint{"https://sts.amazonaws.com", "us-east-1", origin, false};
  }
  if (service == AwsService::Signin && !fips && !dual_stack) {
    // The sign-in service keeps its console host names in the three main partitions.
    if (partition.name == "aws") return endpoint("https://" + r + ".signin.aws.amazon.com");
    if (partition.name == "aws-cn") return endpoint("https://" + r + ".signin.amazonaws.cn");
    if (partition.name == "aws-us-gov") {
      return endpoint("https://" + r + ".signin.amazonaws-us-gov.com");
    }
  }
  // GovCloud's regular STS, portal and OIDC hosts are FIPS endpoints already.
  const bool gov_fips_is_regular = partition.name == "aws-us-gov" && service != AwsService::Signin;
  if (fips && dual_stack) return endpoint("https://" + prefix + "-fips." + r + "." + dual_dns);
  if (fips && gov_fips_is_regular)
    return endpoint("https://" + prefix + "." + r + ".amazonaws.com");
  if (fips) return endpoint("https://" + prefix + "-fips." + r + "." + dns);
  if (dual_stack) return endpoint("https://" + prefix + "." + r + "." + dual_dns);
  if (service == AwsService::Sts && region == "aws-global") {
    return endpoint("https://sts.amazonaws.com");
  }
  return endpoint("https://" + prefix + "." + r + "." + dns);
}

}  // namespace awsauth::providers
