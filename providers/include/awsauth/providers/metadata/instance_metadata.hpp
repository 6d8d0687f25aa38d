#pragma once
/// @file instance_metadata.hpp
/// Credentials of the IAM role attached to an EC2 instance, from the instance metadata service
/// (IMDSv2 session tokens, with botocore's IMDSv1 fallback rules). See docs/metadata.md.

#include <memory>
#include <string>
#include <string_view>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/metadata/instance_metadata_config.hpp"

namespace awsauth::providers {

/// Fetches `GET /latest/meta-data/iam/security-credentials/` (the role name) and then that
/// role's credentials document, with an IMDSv2 token from `PUT /latest/api/token` that is kept
/// and reused until shortly before its six-hour TTL ends.
///
/// Each HTTP exchange is bounded as a whole by the configured timeout (default 1 s) and made
/// up to `num_attempts` times (default 1); it never goes through a proxy. The credentials carry
/// provider name "iam-role" and the document's expiration. The provider keeps no credentials:
/// wrap it in a CachingProvider for reuse and static stability.
///
/// Errors (CredentialsError, provider "iam-role"):
/// - NotConfigured: AWS_EC2_METADATA_DISABLED=true; or, until the provider has once supplied
///   credentials, the service could not be reached at all or reports no role attached (404) —
///   the cases in which botocore's provider returns nothing and its chain moves on.
/// - InvalidConfiguration: a bad endpoint, mode, timeout or attempt count.
/// - NonRecoverable: the document's Code is not "Success" (names the code and message).
/// - ProviderFailure: everything else (token PUT answered 400, 5xx, unreadable documents,
///   IMDSv1 needed but disabled, ...). Messages name the URL and the status or error.
///
/// Thread-safe.
class AWSAUTH_API InstanceMetadataProvider final : public CredentialsProvider {
 public:
  /// `profile` holds the selected profile's IMDS keys; `overrides` wins over both it and the
  /// environment. The configuration is resolved again on every get().
  explicit InstanceMetadataProvider(Context context, InstanceMetadataProfileSettings profile = {},
                                    InstanceMetadataOverrides overrides = {});
  ~InstanceMetadataProvider() override;
  InstanceMetadataProvider(const InstanceMetadataProvider&) = delete;
  InstanceMetadataProvider& operator=(const InstanceMetadataProvider&) = delete;

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override;

  /// Any other metadata item, e.g. `latest/meta-data/placement/region` (the region lookup of
  /// region.hpp): the same configuration, IMDSv2 token (shared with get()), attempts, timeout
  /// and IMDSv1 rules as the credentials. Returns the 200 body. Throws CredentialsError as
  /// get() does: NotConfigured when disabled or never reached, ProviderFailure otherwise; the
  /// message names the URL and the status, never the token.
  [[nodiscard]] std::string read_metadata(std::string_view path);

  /// The TTL requested for session tokens, in seconds (the header value sent with the PUT).
  static constexpr int token_ttl_seconds = 21600;
  /// A cached token is replaced this long before its TTL ends.
  static constexpr int token_refresh_margin_seconds = 60;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace awsauth::providers
