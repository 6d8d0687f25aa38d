#include "awsauth/providers/region.hpp"

#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/metadata/instance_metadata.hpp"

namespace awsauth::providers {
namespace {

constexpr std::string_view kPlacementRegionPath = "latest/meta-data/placement/region";

struct Lookup {
  std::optional<ResolvedRegion> region;
  std::string imds_reason;  ///< why instance metadata gave none (when it was asked)
};

Lookup look_up(const Context& context, const ResolvedProfile& profile, const RegionLookup& lookup) {
  if (profile.region) return {profile.region, {}};
  if (!lookup.instance_metadata) return {};
  // The credentials provider's client: the same configuration, token protocol, timeout and
  // attempts (botocore's InstanceMetadataRegionFetcher is an IMDSFetcher too).
  InstanceMetadataProvider imds(context,
                                InstanceMetadataProfileSettings::from_profile(profile.profile()),
                                lookup.instance_metadata_overrides);
  try {
    std::string body = imds.read_metadata(kPlacementRegionPath);
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) {
      body.pop_back();
    }
    if (!body.empty()) {
      return {ResolvedRegion{std::move(body), "EC2 instance metadata (placement/region)"}, {}};
    }
    return {std::nullopt, "it answered an empty region"};
  } catch (const CredentialsError& e) {
    return {std::nullopt, printable(e.reason())};
  }
}

}  // namespace

std::optional<ResolvedRegion> find_region(const Context& context, const ResolvedProfile& profile,
                                          const RegionLookup& lookup) {
  return look_up(context, profile, lookup).region;
}

ResolvedRegion require_region(const Context& context, const ResolvedProfile& profile,
                              const RegionLookup& lookup) {
  Lookup found = look_up(context, profile, lookup);
  if (found.region) return std::move(*found.region);
  std::string message = "no AWS region: AWS_REGION and AWS_DEFAULT_REGION are not set, profile `" +
                        printable(profile.selection.name, 128) + "` has no `region` (in " +
                        printable(profile.files->config_path) + " or " +
                        printable(profile.files->credentials_path) + "), and ";
  if (lookup.instance_metadata) {
    message += "EC2 instance metadata gave none: " + found.imds_reason;
  } else {
    message += "EC2 instance metadata was not asked (RegionLookup::instance_metadata)";
  }
  throw RegionError(message);
}

}  // namespace awsauth::providers
