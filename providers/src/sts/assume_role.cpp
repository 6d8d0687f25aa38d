#include "awsauth/providers/sts/assume_role.hpp"

#include <iostream>

#include "awsauth/providers/sts/credentials_file_cache.hpp"
#include "sts/sts_result_credentials.hpp"

namespace awsauth::providers {
namespace {

// AssumeRole's default DurationSeconds.
constexpr std::chrono::seconds kDefaultRoleLifetime{3600};

}  // namespace

AssumeRoleCacheOptions assume_role_cache_from_environment(const Context& context) {
  AssumeRoleCacheOptions options;
  const auto dir = context.environment->get(kCredentialsCacheDirVariable);
  if (!dir || dir->empty()) return options;
  // The file cache only drops entries already in the mandatory window; the provider applies
  // the advisory window for each role's own lifetime (load_cached).
  options.cache = std::make_shared<CredentialsFileCache>(
      CredentialsFileCacheOptions{.directory = expand_user(*dir, *context.environment),
                                  .refresh_window = options.policy.mandatory_window,
                                  .warn =
                                      [](const std::string& message) {
                                        std::cerr << "awsauth: credentials cache: " << message
                                                  << "\n";
                                      }},
      context.clock);
  return options;
}

std::string default_role_session_name(TimePoint now) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return "botocore-session-" + std::to_string(seconds);
}

AssumeRoleProvider::AssumeRoleProvider(Context context, std::shared_ptr<const StsClient> sts,
                                       std::shared_ptr<CredentialsProvider> source,
                                       AssumeRoleHop hop, MfaTokenCallback mfa_token,
                                       std::function<void()> invalidate_source,
                                       AssumeRoleCacheOptions cache)
    : context_(std::move(context)),
      sts_(std::move(sts)),
      source_(std::move(source)),
      hop_(std::move(hop)),
      mfa_token_(std::move(mfa_token)),
      invalidate_source_(std::move(invalidate_source)),
      cache_(std::move(cache)) {}

std::string AssumeRoleProvider::name() const { return std::string(provider_names::assume_role); }

std::string AssumeRoleProvider::cache_key(const Credentials& source) const {
  return make_assume_role_cache_key({.role_arn = hop_.role_arn,
                                     .role_session_name = hop_.role_session_name,
                                     .external_id = hop_.external_id,
                                     .mfa_serial = hop_.mfa_serial,
                                     .duration_seconds = hop_.duration_seconds,
                                     .source_access_key_id = source.access_key_id()});
}

CredentialsPtr AssumeRoleProvider::load_cached(const std::string& key) const {
  CredentialsPtr hit = cache_.cache->load(key);
  if (!hit || !hit->expiration()) return nullptr;
  const auto lifetime =
      hop_.duration_seconds ? std::chrono::seconds(*hop_.duration_seconds) : kDefaultRoleLifetime;
  if (*hit->expiration() - context_.clock->now() <= cache_.policy.advisory_window_for(lifetime)) {
    return nullptr;
  }
  return hit;
}

CredentialsPtr AssumeRoleProvider::get() {
  // The cache is consulted before an MFA code is asked for: sparing the prompt is the point of
  // botocore's assume-role cache. The key names the source identity, so the source is resolved
  // first (it is itself cached in memory, and for a chained role possibly on disk).
  std::string key;
  if (cache_.cache) {
    CredentialsPtr source = source_->get();
    key = cache_key(*source);
    if (CredentialsPtr hit = load_cached(key)) return hit;
  }
  AssumeRoleParams params{.role_arn = hop_.role_arn,
                          .role_session_name = hop_.role_session_name.value_or(
                              default_role_session_name(context_.clock->now())),
                          .duration_seconds = hop_.duration_seconds,
                          .external_id = hop_.external_id,
                          .serial_number = hop_.mfa_serial,
                          .token_code = std::nullopt};
  if (hop_.mfa_serial) {
    if (!mfa_token_) {
      throw CredentialsError::invalid_configuration(
          name(), "profile `" + hop_.profile + "` sets mfa_serial = " + *hop_.mfa_serial +
                      " but the application gave no MFA token callback "
                      "(StsProviderOptions::mfa_token)");
    }
    try {
      params.token_code = mfa_token_(*hop_.mfa_serial);
    } catch (const std::exception& e) {
      throw CredentialsError::provider_failure(
          name(), "profile `" + hop_.profile + "` sets mfa_serial = " + *hop_.mfa_serial +
                      " but the MFA token callback failed: " + e.what());
    }
  }
  const FormFields fields = assume_role_fields(params);

  auto fetch = [&] {
    CredentialsPtr source = source_->get();
    if (cache_.cache) key = cache_key(*source);
    return sts_->call_for_credentials(fields, source.get(), name());
  };
  StsCredentialsResult result;
  try {
    result = fetch();
  } catch (const StsServiceError& e) {
    if (!e.expired_token() || !invalidate_source_) throw;
    // The source's session token expired under us: drop it and try once with fresh ones.
    invalidate_source_();
    result = fetch();
  }
  CredentialsPtr credentials = detail::to_credentials(std::move(result), name());
  if (cache_.cache) cache_.cache->store(key, *credentials);
  return credentials;
}

}  // namespace awsauth::providers
