// The AWS CLI's SSO token cache: botocore utils.SSOTokenLoader (key, required fields) and
// tokens.SSOTokenProvider (the fields a refresh writes).
#include "awsauth/providers/sso/sso_token_cache.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <stdexcept>
#include <system_error>

#include "awsauth/errors.hpp"
#include "awsauth/provider.hpp"

namespace awsauth::providers {
namespace {

constexpr std::string_view kProvider = provider_names::sso;

[[noreturn]] void malformed(const std::string& path, const std::string& what) {
  throw CredentialsError::invalid_configuration(
      kProvider, "the SSO token cache file " + path + " " + what +
                     "; run `aws sso login` (or `awsauth sso login`) to replace it");
}

}  // namespace

std::optional<TimePoint> parse_sso_cache_time(std::string_view text) {
  // Older AWS CLI v2 releases wrote strftime('%Z') of tzutc: "2024-01-01T00:00:00UTC".
  if (text.size() > 3 && text.substr(text.size() - 3) == "UTC") {
    std::string z(text.substr(0, text.size() - 3));
    z += 'Z';
    return parse_iso8601(z);
  }
  return parse_iso8601(text);
}

std::string format_sso_cache_time(TimePoint t) { return format_iso8601(t); }

std::string sso_token_cache_key(std::string_view start_url,
                                const std::optional<std::string>& session_name) {
  Poco::SHA1Engine sha1;
  const std::string_view input = session_name ? std::string_view(*session_name) : start_url;
  sha1.update(input.data(), static_cast<unsigned>(input.size()));
  return Poco::DigestEngine::digestToHex(sha1.digest());
}

std::string default_sso_cache_directory(const Environment& env) {
  return expand_user("~/.aws/sso/cache", env);
}

SsoTokenCache::SsoTokenCache(std::shared_ptr<const FileSystem> files, std::string directory)
    : files_(std::move(files)), directory_(std::move(directory)) {
  while (directory_.size() > 1 && directory_.back() == '/') directory_.pop_back();
}

std::string SsoTokenCache::path_for(std::string_view start_url,
                                    const std::optional<std::string>& session_name) const {
  return directory_ + "/" + sso_token_cache_key(start_url, session_name) + ".json";
}

SsoTokenCacheEntry SsoTokenCache::parse(std::string path, std::string_view text) {
  SsoTokenCacheEntry entry;
  try {
    entry.document = JsonCacheDocument::parse(text);
  } catch (const std::invalid_argument& e) {
    malformed(path, std::string("is not a JSON object (") + e.what() + ")");
  }
  const JsonCacheDocument& doc = entry.document;
  try {
    auto access_token = doc.string(sso_token_fields::access_token);
    auto expires_at = doc.string(sso_token_fields::expires_at);
    if (!access_token || !expires_at) {
      std::string missing;
      if (!access_token) missing = "\"accessToken\"";
      if (!expires_at) missing += std::string(missing.empty() ? "" : " and ") + "\"expiresAt\"";
      malformed(path, "has no " + missing);
    }
    entry.token.access_token = SecretString(std::move(*access_token));
    const auto expiry = parse_sso_cache_time(*expires_at);
    if (!expiry) {
      malformed(path, "has \"expiresAt\" " + describe_iso8601_error(*expires_at));
    }
    entry.token.expires_at = *expiry;
    entry.token.start_url = doc.string(sso_token_fields::start_url);
    entry.token.region = doc.string(sso_token_fields::region);
    entry.token.client_id = doc.string(sso_token_fields::client_id);
    if (auto secret = doc.string(sso_token_fields::client_secret)) {
      entry.token.client_secret = SecretString(std::move(*secret));
    }
    if (auto refresh = doc.string(sso_token_fields::refresh_token)) {
      entry.token.refresh_token = SecretString(std::move(*refresh));
    }
    if (auto registration = doc.string(sso_token_fields::registration_expires_at)) {
      entry.token.registration_expires_at = parse_sso_cache_time(*registration);
    }
  } catch (const std::invalid_argument& e) {
    malformed(path, std::string("has a member of the wrong type: ") + e.what());
  }
  entry.path = std::move(path);
  return entry;
}

std::optional<SsoTokenCacheEntry> SsoTokenCache::load(
    std::string_view start_url, const std::optional<std::string>& session_name) const {
  std::string path = path_for(start_url, session_name);
  std::optional<std::string> text;
  try {
    text = files_->read(path);
  } catch (const std::exception& e) {
    throw CredentialsError::invalid_configuration(
        kProvider, "cannot read the SSO token cache file " + path + ": " + e.what());
  }
  if (!text) return std::nullopt;
  try {
    auto entry = parse(std::move(path), *text);
    wipe_string(*text);
    return entry;
  } catch (...) {
    wipe_string(*text);
    throw;
  }
}

void SsoTokenCache::store(const SsoTokenCacheEntry& entry) {
  try {
    write_json_cache_file(entry.path, entry.document);
  } catch (const std::system_error& e) {
    throw CredentialsError::provider_failure(
        kProvider, "cannot write the SSO token cache file " + entry.path + ": " + e.what());
  }
}

}  // namespace awsauth::providers
