#pragma once
/// @file assume_role.hpp
/// One STS AssumeRole hop: source credentials in, role credentials out.

#include <functional>
#include <memory>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/profile_plan.hpp"
#include "awsauth/providers/sts_client.hpp"

namespace awsauth::providers {

/// Returns the current code of the MFA device `mfa_serial` (e.g. by prompting the user).
/// The application supplies it. It runs inside CredentialsProvider::get(), so it may be called
/// on ANY thread that asks for credentials (including a cache's refresh), and must be
/// thread-safe; it should throw (any std::exception) to abort the fetch.
using MfaTokenCallback = std::function<std::string(const std::string& mfa_serial)>;

/// Calls AssumeRole for `hop.role_arn`, signed with the credentials of `source`.
///
/// - `role_session_name` absent: `botocore-session-<unix seconds>` (botocore's form).
/// - `mfa_serial` set: `mfa_token` is asked for a code on every fetch; none given is an
///   InvalidConfiguration error. MFA credentials are never refreshed in the background: a
///   refresh would prompt again (see requires_mfa()); the default chain caches them without an
///   advisory window, so they are fetched again only when due.
/// - STS answering ExpiredToken means the *source* credentials are stale: `invalidate_source`
///   is called (a CachingProvider's invalidate) and the call is made once more with fresh
///   source credentials.
class AssumeRoleProvider final : public CredentialsProvider {
 public:
  AssumeRoleProvider(Context context, std::shared_ptr<const StsClient> sts,
                     std::shared_ptr<CredentialsProvider> source, AssumeRoleHop hop,
                     MfaTokenCallback mfa_token = {}, std::function<void()> invalidate_source = {});

  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override;

  /// True when fetching needs an MFA code (a background refresher must skip this provider).
  [[nodiscard]] bool requires_mfa() const noexcept { return hop_.mfa_serial.has_value(); }
  [[nodiscard]] const AssumeRoleHop& hop() const noexcept { return hop_; }

 private:
  Context context_;
  std::shared_ptr<const StsClient> sts_;
  std::shared_ptr<CredentialsProvider> source_;
  AssumeRoleHop hop_;
  MfaTokenCallback mfa_token_;
  std::function<void()> invalidate_source_;
};

/// `botocore-session-<unix seconds of now>`.
[[nodiscard]] std::string default_role_session_name(TimePoint now);

}  // namespace awsauth::providers
