#pragma once
/// @file assume_role.hpp
/// One STS AssumeRole hop: source credentials in, role credentials out.

#include <functional>
#include <memory>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/detail/profile_plan.hpp"
#include "awsauth/providers/sts/assume_role_cache.hpp"
#include "awsauth/providers/sts/sts_client.hpp"
#include "awsauth/refresh_policy.hpp"

namespace awsauth::providers {

/// Returns the current code of the MFA device `mfa_serial` (e.g. by prompting the user).
/// The application supplies it. It runs inside CredentialsProvider::get(), so it may be called
/// on ANY thread that asks for credentials (including a cache's refresh), and must be
/// thread-safe; it should throw (any std::exception) to abort the fetch.
using MfaTokenCallback = std::function<std::string(const std::string& mfa_serial)>;

/// Reuse of AssumeRole results across processes (opt-in; botocore's assume-role JSON cache).
struct AWSAUTH_API AssumeRoleCacheOptions {
  /// Where results are kept (e.g. a CredentialsFileCache). Empty: nothing leaves memory.
  std::shared_ptr<AssumeRoleCache> cache;
  /// A cached result whose expiration is within this policy's advisory window for the role's
  /// session lifetime (DurationSeconds, default 3600 s) is not used: the CachingProvider in
  /// front would refresh it at once.
  RefreshPolicy policy;
};

/// The environment variable that switches the on-disk AssumeRole cache on: its value is the
/// cache directory (created 0700 when absent). Unset or empty: no on-disk cache.
inline constexpr const char* kCredentialsCacheDirVariable = "AWSAUTH_CREDENTIALS_CACHE_DIR";

/// A CredentialsFileCache in `$AWSAUTH_CREDENTIALS_CACHE_DIR` (read through the context's
/// environment), or empty when the variable is unset or empty. Warnings go to stderr.
[[nodiscard]] AWSAUTH_API AssumeRoleCacheOptions
assume_role_cache_from_environment(const Context& context);

/// Calls AssumeRole for `hop.role_arn`, signed with the credentials of `source`.
///
/// - `role_session_name` absent: `botocore-session-<unix seconds>` (botocore's form).
/// - `mfa_serial` set: `mfa_token` is asked for a code on every fetch; none given is an
///   InvalidConfiguration error. MFA credentials are never refreshed in the background: a
///   refresh would prompt again (see requires_mfa()); the default chain caches them without an
///   advisory window, so they are fetched again only when due.
/// - `cache.cache` set: before calling STS (and before asking for an MFA code) the result
///   stored under this hop's arguments plus the source credentials' access key id is used
///   when it is outside the advisory window; a fresh result is stored.
/// - STS answering ExpiredToken means the *source* credentials are stale: `invalidate_source`
///   is called (a CachingProvider's invalidate) and the call is made once more with fresh
///   source credentials.
class AWSAUTH_API AssumeRoleProvider final : public CredentialsProvider {
 public:
  AssumeRoleProvider(Context context, std::shared_ptr<const StsClient> sts,
                     std::shared_ptr<CredentialsProvider> source, AssumeRoleHop hop,
                     MfaTokenCallback mfa_token = {}, std::function<void()> invalidate_source = {},
                     AssumeRoleCacheOptions cache = {});

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
  AssumeRoleCacheOptions cache_;

  [[nodiscard]] std::string cache_key(const Credentials& source) const;
  [[nodiscard]] CredentialsPtr load_cached(const std::string& key) const;
};

/// `botocore-session-<unix seconds of now>`.
[[nodiscard]] AWSAUTH_API std::string default_role_session_name(TimePoint now);

}  // namespace awsauth::providers
