// botocore tokens.SSOTokenProvider._refresher and SSOCredentialFetcher's legacy token check.
#include "awsauth/providers/sso/sso_token_provider.hpp"

#include <map>
#include <mutex>

#include "awsauth/errors.hpp"
#include "awsauth/provider.hpp"

namespace awsauth::providers {
namespace {

constexpr std::string_view kProvider = provider_names::sso;

// One mutex per cache file for the whole process: two providers of profiles sharing an
// sso-session never refresh (and rewrite) the same token at once.
std::shared_ptr<std::mutex> refresh_mutex(const std::string& path) {
  static std::mutex registry_mutex;
  static std::map<std::string, std::shared_ptr<std::mutex>, std::less<>> registry;
  std::lock_guard lock(registry_mutex);
  auto& slot = registry[path];
  if (!slot) slot = std::make_shared<std::mutex>();
  return slot;
}

std::string who(const SsoTokenSettings& s) {
  return s.session_name ? "sso-session `" + *s.session_name + "`" : "start URL " + s.start_url;
}

}  // namespace

std::string sso_login_hint(const std::string& profile) {
  return "run `aws sso login --profile " + profile + "` (or `awsauth sso login --profile " +
         profile + "`)";
}

SsoTokenProvider::SsoTokenProvider(Context context, SsoTokenSettings settings, SsoTokenCache cache,
                                   std::shared_ptr<const SsoOidcClient> oidc)
    : context_(std::move(context)),
      settings_(std::move(settings)),
      cache_(std::move(cache)),
      oidc_(std::move(oidc)) {}

std::string SsoTokenProvider::cache_path() const {
  return cache_.path_for(settings_.start_url, settings_.session_name);
}

SsoAccessToken SsoTokenProvider::token() const {
  const auto mutex = refresh_mutex(cache_path());
  std::lock_guard lock(*mutex);

  auto entry = cache_.load(settings_.start_url, settings_.session_name);
  if (!entry) {
    throw CredentialsError::invalid_configuration(
        kProvider, "no cached IAM Identity Center token for " + who(settings_) + " of profile `" +
                       settings_.profile + "` (" + cache_path() + " does not exist); " +
                       sso_login_hint(settings_.profile));
  }
  const TimePoint now = context_.clock->now();
  std::optional<CredentialsError> refresh_failure;

  // Only sso-session tokens are refreshed (botocore gives the legacy fetcher no token provider).
  if (settings_.session_name && entry->token.expires_at - now < settings_.refresh_window) {
    const SsoToken& t = entry->token;
    const bool refreshable = t.refresh_token && t.client_id && t.client_secret &&
                             entry->document.has(sso_token_fields::registration_expires_at);
    // A registration time botocore cannot parse makes it raise; here it only stops the refresh.
    const bool registered = t.registration_expires_at && *t.registration_expires_at > now;
    if (refreshable && registered && oidc_) {
      std::optional<CreateTokenResult> created;
      try {
        created = oidc_->create_token({.client_id = *t.client_id,
                                       .client_secret = *t.client_secret,
                                       .grant_type = std::string(refresh_token_grant_type),
                                       .device_code = std::nullopt,
                                       .refresh_token = *t.refresh_token,
                                       .scope = std::nullopt});
      } catch (const CredentialsError& e) {
        refresh_failure = e;
      }
      if (created) {
        const TimePoint expires_at = now + std::chrono::seconds(created->expires_in);
        SsoTokenCacheEntry refreshed = *entry;
        JsonCacheDocument& doc = refreshed.document;
        doc.set_string(sso_token_fields::start_url, settings_.start_url);
        doc.set_string(sso_token_fields::region, settings_.region);
        doc.set_string(sso_token_fields::access_token, created->access_token.reveal());
        doc.set_string(sso_token_fields::expires_at, format_sso_cache_time(expires_at));
        if (created->refresh_token) {
          doc.set_string(sso_token_fields::refresh_token, created->refresh_token->reveal());
        } else {
          doc.erase(sso_token_fields::refresh_token);
        }
        // botocore writes the new token before using it; a token that cannot be saved is an
        // error (its rotated refresh token would be lost), not a failed refresh.
        SsoTokenCache::store(refreshed);
        return {created->access_token, expires_at};
      }
    }
  }

  if (entry->token.expires_at <= now) {
    std::string reason = "the IAM Identity Center token for " + who(settings_) + " of profile `" +
                         settings_.profile + "` expired at " +
                         format_iso8601(entry->token.expires_at) + " (" + entry->path + ")";
    if (refresh_failure) {
      reason += " and refreshing it failed: " + refresh_failure->reason();
    } else if (settings_.session_name) {
      reason +=
          " and cannot be refreshed (the cache holds no refresh token or a valid client "
          "registration)";
    }
    reason += "; " + sso_login_hint(settings_.profile);
    throw CredentialsError(
        refresh_failure ? refresh_failure->kind() : ErrorKind::InvalidConfiguration,
        std::string(kProvider), reason);
  }
  // Still valid: a failed refresh is not the caller's problem yet (botocore logs and goes on).
  return {entry->token.access_token, entry->token.expires_at};
}

}  // namespace awsauth::providers
