#pragma once
/// @file region.hpp
/// The signing region, resolved by the library (the CLI's `awsauth curl` and RequestSigner use
/// it): `AWS_REGION`, `AWS_DEFAULT_REGION`, the selected profile's `region`, and — only when
/// asked for, on EC2 — the instance metadata placement region. See docs/request_signer.md.

#include <optional>
#include <stdexcept>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/metadata/instance_metadata_config.hpp"
#include "awsauth/providers/profile/resolved_profile.hpp"

namespace awsauth::providers {

/// Where a region may come from beyond the environment and the profile.
struct RegionLookup {
  /// Ask EC2 instance metadata (`GET /latest/meta-data/placement/region`, IMDSv2) when neither
  /// the environment nor the profile names a region. Off by default, so nothing off EC2 waits
  /// on 169.254.169.254. Honours AWS_EC2_METADATA_DISABLED and every endpoint, timeout and
  /// attempt setting of the instance metadata provider (docs/metadata.md).
  bool instance_metadata = false;
  /// Endpoint settings given in code for that lookup (win over the environment and profile).
  InstanceMetadataOverrides instance_metadata_overrides;
};

/// No region anywhere. The message names every place looked at (and, for instance metadata,
/// why it gave none); it holds no secret.
class AWSAUTH_API RegionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The region for `profile`: its `region` field (AWS_REGION, AWS_DEFAULT_REGION, the profile's
/// `region`, from resolve_region(); the files are not read again), else with
/// `lookup.instance_metadata` the placement region from instance metadata, reached through
/// `context` (its environment, HTTP client and clock) with the profile's IMDS keys. nullopt when
/// none has one; an instance metadata failure is then nullopt as well (find_region) or part
/// of the message (require_region).
[[nodiscard]] AWSAUTH_API std::optional<ResolvedRegion> find_region(
    const Context& context, const ResolvedProfile& profile, const RegionLookup& lookup = {});

/// find_region(), or RegionError naming every place looked at, e.g. "no AWS region: AWS_REGION
/// and AWS_DEFAULT_REGION are not set, profile `default` has no `region` (in
/// /home/me/.aws/config or /home/me/.aws/credentials), and EC2 instance metadata was not asked
/// (RegionLookup::instance_metadata)".
[[nodiscard]] AWSAUTH_API ResolvedRegion require_region(const Context& context,
                                                        const ResolvedProfile& profile,
                                                        const RegionLookup& lookup = {});

/// require_region() for the process: Context::system() and the profile of
/// default_credentials_provider()'s chain (the files that chain read, read once).
[[nodiscard]] AWSAUTH_API ResolvedRegion default_region(const RegionLookup& lookup = {});

}  // namespace awsauth::providers
