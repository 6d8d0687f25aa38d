// The device authorization sign-in: the AWS CLI v2's SSOTokenFetcher (awscli/botocore/utils.py)
// and `aws sso login`'s reading of the profile (awscli/customizations/sso/utils.py).
#include "awsauth/providers/sso/sso_device_login.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "awsauth/errors.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/profile/profile_properties.hpp"
#include "awsauth/providers/sso/json_cache_file.hpp"
#include "awsauth/providers/sso/sso_token_cache.hpp"

namespace awsauth::providers {
namespace {

constexpr std::string_view kProvider = provider_names::sso;
constexpr auto kExpiryWindow = std::chrono::minutes(15);  // SSOTokenFetcher._EXPIRY_WINDOW
constexpr std::int64_t kDefaultInterval = 5;              // RFC 8628 section 3.5
constexpr std::int64_t kSlowDownDelay = 5;                // RFC 8628 section 3.5

[[noreturn]] void invalid(std::string reason) {
  throw CredentialsError::invalid_configuration(kProvider, std::move(reason));
}

std::string where(const ProfileValue* v) {
  if (v == nullptr || v->file.empty()) return {};
  return " (" + v->file + ":" + std::to_string(v->line) + ")";
}

// The AWS CLI's parse_sso_registration_scopes.
std::vector<std::string> split_scopes(std::string_view raw) {
  std::vector<std::string> scopes;
  while (true) {
    const auto comma = raw.find(',');
    std::string_view scope = raw.substr(0, comma);
    while (!scope.empty() && (scope.front() == ' ' || scope.front() == '\t'))
      scope.remove_prefix(1);
    while (!scope.empty() && (scope.back() == ' ' || scope.back() == '\t')) scope.remove_suffix(1);
    if (!scope.empty()) scopes.emplace_back(scope);
    if (comma == std::string_view::npos) break;
    raw.remove_prefix(comma + 1);
  }
  return scopes;
}

// A string as Python's json.dumps writes it (ASCII only), through the cache document.
std::string json_text(std::string_view value) {
  JsonCacheDocument d;
  d.set_string("v", value);
  return *d.raw("v");
}

std::string json_list(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += json_text(values[i]);
  }
  return out + "]";
}

std::string sha1_hex(std::string_view text) {
  Poco::SHA1Engine sha1;
  sha1.update(text.data(), static_cast<unsigned>(text.size()));
  return Poco::DigestEngine::digestToHex(sha1.digest());
}

struct Registration {
  std::string client_id;
  SecretString client_secret;
  std::string expires_at;  // as cached: the token file copies it into registrationExpiresAt
};

// A cached registration still usable for the device flow, or nullopt.
std::optional<Registration> cached_registration(const Context& context, const std::string& path) {
  std::optional<std::string> text;
  try {
    text = context.files->read(path);
  } catch (const std::exception&) {
    return std::nullopt;  // unreadable: register again, as a cache miss
  }
  if (!text) return std::nullopt;
  try {
    const JsonCacheDocument doc = JsonCacheDocument::parse(*text);
    auto id = doc.string("clientId");
    auto secret = doc.string("clientSecret");
    auto expires = doc.string("expiresAt");
    if (!id || !secret || !expires) return std::nullopt;
    const auto expires_at = parse_sso_cache_time(*expires);
    if (!expires_at || *expires_at - context.clock->now() < kExpiryWindow) return std::nullopt;
    // A registration made for the authorization-code flow cannot run the device flow.
    if (auto grants = doc.raw("grantTypes");
        grants && grants->find("authorization_code") != std::string::npos) {
      return std::nullopt;
    }
    return Registration{*id, SecretString(*secret), *expires};
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

std::string client_name(const Context& context, const SsoLoginConfig& config) {
  if (config.session_name) return "botocore-client-" + *config.session_name;
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(context.clock->now().time_since_epoch());
  return "botocore-client-" + std::to_string(seconds.count());
}

Registration register_client(const Context& context, const SsoOidcClient& oidc,
                             const SsoLoginConfig& config, const std::string& path) {
  RegisterClientRequest request;
  request.client_name = client_name(context, config);
  request.client_type = "public";
  if (config.registration_scopes && !config.registration_scopes->empty()) {
    request.scopes = config.registration_scopes;
  }
  const RegisterClientResult result = oidc.register_client(request);
  const std::string expires_at =
      format_sso_cache_time(TimePoint(std::chrono::seconds(result.client_secret_expires_at)));
  JsonCacheDocument doc;
  doc.set_string("clientId", result.client_id);
  doc.set_string("clientSecret", result.client_secret.reveal());
  doc.set_string("expiresAt", expires_at);
  if (request.scopes) doc.set_raw("scopes", json_list(*request.scopes));
  try {
    write_json_cache_file(path, doc);
  } catch (const std::system_error& e) {
    throw CredentialsError::provider_failure(
        kProvider, std::string("could not write the client registration: ") + e.what());
  }
  return Registration{result.client_id, result.client_secret, expires_at};
}

}  // namespace

SsoLoginConfig sso_login_config(const ProfileSet& profiles, const Profile* profile,
                                std::string_view profile_name,
                                const std::optional<std::string>& session_override) {
  std::optional<std::string> session = session_override;
  if (!session && profile != nullptr) {
    if (const auto* v = profile->find(property::sso_session)) session = v->value;
  }
  if (!session && profile == nullptr) {
    invalid("profile `" + std::string(profile_name) +
            "` was not found in the config file; run `aws configure sso` to create it");
  }
  SsoLoginConfig config;
  const Profile* source = profile;
  std::string described = "profile `" + std::string(profile_name) + "`";
  if (session) {
    auto it = profiles.sso_sessions.find(*session);
    if (it == profiles.sso_sessions.end()) {
      const ProfileValue* named_by =
          session_override || profile == nullptr ? nullptr : profile->find(property::sso_session);
      invalid("the sso-session `" + *session + "`" +
              (named_by != nullptr ? " named by profile `" + profile->name + "`" + where(named_by)
                                   : std::string()) +
              " does not exist: there is no [sso-session " + *session +
              "] section in the config file");
    }
    source = &it->second;
    described = "[sso-session " + *session + "]";
    config.session_name = session;
    if (const auto* scopes = source->find(property::sso_registration_scopes)) {
      config.registration_scopes = split_scopes(scopes->value);
    }
  }
  std::vector<std::string> missing;
  const auto* url = source->find(property::sso_start_url);
  const auto* region = source->find(property::sso_region);
  if (url == nullptr) missing.emplace_back("sso_start_url");
  if (region == nullptr) missing.emplace_back("sso_region");
  if (!missing.empty()) {
    std::string names = missing[0];
    if (missing.size() > 1) names += ", " + missing[1];
    invalid(described + " is missing the SSO settings " + names +
            (session ? "" : "; run `aws configure sso` to set this profile up for SSO"));
  }
  config.start_url = url->value;
  config.region = region->value;
  return config;
}

std::string sso_registration_cache_key(const SsoLoginConfig& config) {
  // json.dumps(args, sort_keys=True): region, scopes, session_name, startUrl, tool.
  const std::string scopes =
      config.registration_scopes ? json_list(*config.registration_scopes) : std::string("null");
  const std::string session = config.session_name ? json_text(*config.session_name) : "null";
  const std::string args = "{\"region\": " + json_text(config.region) + ", \"scopes\": " + scopes +
                           ", \"session_name\": " + session +
                           ", \"startUrl\": " + json_text(config.start_url) +
                           ", \"tool\": \"botocore\"}";
  return sha1_hex(args);
}

SsoDeviceLoginResult sso_device_login(const Context& context, const SsoOidcClient& oidc,
                                      const std::string& cache_directory,
                                      const SsoLoginConfig& config,
                                      const SsoDeviceLoginOptions& options) {
  SsoDeviceLoginResult result;
  std::string directory = cache_directory;
  while (directory.size() > 1 && directory.back() == '/') directory.pop_back();
  result.registration_path = directory + "/" + sso_registration_cache_key(config) + ".json";
  result.token_path =
      directory + "/" + sso_token_cache_key(config.start_url, config.session_name) + ".json";

  std::optional<Registration> registration = cached_registration(context, result.registration_path);
  if (!registration) {
    registration = register_client(context, oidc, config, result.registration_path);
    result.registered = true;
  }

  const StartDeviceAuthorizationResult authorization = oidc.start_device_authorization(
      {registration->client_id, registration->client_secret, config.start_url});
  const TimePoint started = context.clock->now();
  const TimePoint deadline =
      started + (authorization.expires_in > 0 ? std::chrono::seconds(authorization.expires_in)
                                              : options.max_wait);
  std::int64_t interval = authorization.interval > 0 ? authorization.interval : kDefaultInterval;
  const auto sleep = options.sleep ? options.sleep
                                   : [](std::chrono::seconds s) { std::this_thread::sleep_for(s); };

  CreateTokenRequest request;
  request.client_id = registration->client_id;
  request.client_secret = registration->client_secret;
  request.grant_type = std::string(device_code_grant_type);
  request.device_code = authorization.device_code;

  bool prompted = false;
  std::optional<CreateTokenResult> token;
  while (!token) {
    try {
      token = oidc.create_token(request);
      break;
    } catch (const SsoServiceError& e) {
      if (e.slow_down()) {
        interval += kSlowDownDelay;
      } else if (e.authorization_pending()) {
        // the user has not approved yet
      } else if (e.expired_token()) {
        throw CredentialsError::non_recoverable(
            kProvider, "the sign-in for " + config.start_url +
                           " expired before it was approved; run the sign-in again");
      } else {
        throw;
      }
    }
    // One attempt before prompting: a pre-authorized client needs no user at all.
    if (!prompted) {
      prompted = true;
      if (options.on_pending) {
        options.on_pending({authorization.verification_uri, authorization.user_code,
                            authorization.verification_uri_complete, deadline});
      }
    }
    if (context.clock->now() + std::chrono::seconds(interval) > deadline) {
      throw CredentialsError::non_recoverable(
          kProvider,
          "the sign-in for " + config.start_url + " was not approved within " +
              std::to_string(
                  std::chrono::duration_cast<std::chrono::seconds>(deadline - started).count()) +
              " s; run the sign-in again");
    }
    sleep(std::chrono::seconds(interval));
  }

  result.expires_at = context.clock->now() + std::chrono::seconds(token->expires_in);
  JsonCacheDocument doc;
  doc.set_string("startUrl", config.start_url);
  doc.set_string("region", config.region);
  doc.set_string("accessToken", token->access_token.reveal());
  doc.set_string("expiresAt", format_sso_cache_time(result.expires_at));
  doc.set_string("clientId", registration->client_id);
  doc.set_string("clientSecret", registration->client_secret.reveal());
  doc.set_string("registrationExpiresAt", registration->expires_at);
  if (token->refresh_token) doc.set_string("refreshToken", token->refresh_token->reveal());
  try {
    write_json_cache_file(result.token_path, doc);
  } catch (const std::system_error& e) {
    throw CredentialsError::provider_failure(
        kProvider, std::string("could not write the SSO token: ") + e.what());
  }
  return result;
}

}  // namespace awsauth::providers
