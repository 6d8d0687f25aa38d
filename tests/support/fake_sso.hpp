#pragma once
/// @file fake_sso.hpp
/// A healthy IAM Identity Center behind a LoopbackServer: the portal's GetRoleCredentials
/// (`GET /federation/credentials`) and SSO-OIDC's CreateToken (`POST /token`, refresh_token and
/// device_code grants), RegisterClient (`POST /client/register`) and StartDeviceAuthorization
/// (`POST /device_authorization`), answered as the real services answer (rest-json, error
/// types in `x-amzn-ErrorType`). Both services share one server: point AWS_ENDPOINT_URL_SSO and
/// AWS_ENDPOINT_URL_SSO_OIDC at the same URL. A test changes what it needs and may replace any
/// answer with a fault.
///
/// ```
/// test::FakeSso sso;  // declared before the server, which calls into it
/// test::LoopbackServer server{sso.handler()};
/// sso.accept_access_token("tok");
/// ```

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "loopback_server.hpp"

namespace awsauth::test {

inline constexpr const char* kSsoPortalPath = "/federation/credentials";

struct FakeSso {
  // --- portal ---
  /// Expiration (epoch milliseconds) of every role credential served.
  std::int64_t role_expiration_ms = 1924991999000;  // 2030-12-31T23:59:59Z
  /// Role credentials answer `ASIA<account>` / `secret-<role>` / `session-<n>`, unless these
  /// are set (e.g. a moto user's keys, so a role chain can sign with them).
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;

  // --- OIDC registration the refresh grant checks ---
  std::string client_id = "client-id-1";
  std::string client_secret = "client-secret-1";
  /// The refresh token CreateToken(refresh_token) accepts.
  std::string refresh_token = "refresh-1";
  /// What a successful CreateToken answers: access token (accepted by the portal from then on)
  /// and its lifetime; `rotate_refresh_token`: also a new refresh token ("refresh-<n>"), which
  /// becomes the one accepted.
  std::string next_access_token = "access-refreshed";
  std::int64_t expires_in = 28800;
  bool rotate_refresh_token = true;
  /// CreateToken(device_code) answers authorization_pending this many times first.
  int pending_polls = 0;

  /// Called first for every request: a response it returns replaces the healthy answer.
  std::function<std::optional<ScriptedResponse>(const RecordedRequest&)> fault;

  /// Counters.
  std::atomic<int> role_credentials_served{0};
  std::atomic<int> tokens_created{0};

  /// Makes the portal accept `token` as a bearer token.
  void accept_access_token(const std::string& token);
  /// Whether the portal accepts `token`.
  [[nodiscard]] bool accepts(const std::string& token) const;

  /// The answer to `request` (called on the server's threads).
  [[nodiscard]] ScriptedResponse answer(const RecordedRequest& request);
  /// A LoopbackServer handler that answers through this object, which must outlive the server.
  [[nodiscard]] LoopbackServer::Handler handler();

 private:
  ScriptedResponse portal(const RecordedRequest& request);
  ScriptedResponse create_token(const RecordedRequest& request);
  mutable std::mutex mutex_;
  std::set<std::string> accepted_;
  int served_device_polls_ = 0;
};

/// An OIDC-style error answer: status, `x-amzn-ErrorType: <type>`, body
/// `{"error": <error>, "error_description": <description>}`.
[[nodiscard]] ScriptedResponse sso_oidc_error(int status, const std::string& type,
                                              const std::string& error,
                                              const std::string& description);

/// The value of `name` in a query string (`a=1&b=2`), percent-decoded; nullopt when absent.
[[nodiscard]] std::optional<std::string> query_parameter(const std::string& query,
                                                         const std::string& name);

}  // namespace awsauth::test
