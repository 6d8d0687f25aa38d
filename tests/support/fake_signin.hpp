#pragma once
/// @file fake_signin.hpp
/// The sign-in service's token endpoint (`POST /v1/token`, CreateOAuth2Token with grantType
/// refresh_token) to put behind a LoopbackServer. It VERIFIES what it receives before it
/// answers: the DPoP proof's signature against the session key's public half (check_dpop_proof,
/// written apart from the library), htm POST, htu the URL it was sent to, iat within
/// `max_iat_skew` of `now()`, a jti never seen before; the JSON body's clientId, grantType and
/// refreshToken. A request that fails a check gets 400 ValidationException and is listed in
/// rejections().
///
/// Answers are a pure function of the refresh token presented (keys `ASIA...` derived from it,
/// a new refresh token `<old>.next`), so two clients refreshing the same session get the same
/// answer; every refresh token it issued stays valid, an unknown one gets 401
/// AccessDeniedException TOKEN_EXPIRED (the service's answer to an expired session).
///
/// ```
/// test::FakeSignin signin(pem, "refresh-1");  // declared before the server, which calls it
/// test::LoopbackServer server{signin.handler()};
/// env.set("AWS_ENDPOINT_URL_SIGNIN", server.url(""));
/// ```

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dpop_check.hpp"
#include "loopback_server.hpp"

namespace awsauth::test {

inline constexpr const char* kSigninTokenPath = "/v1/token";
inline constexpr const char* kSigninClientId = "arn:aws:signin:::devtools/same-device";

/// The error answers of the service model (AccessDeniedException with its `error` enum, and
/// InternalServerException), as rest-json sends them.
[[nodiscard]] ScriptedResponse signin_error(int status, const std::string& type,
                                            const std::string& error, const std::string& message);
[[nodiscard]] ScriptedResponse signin_token_expired();             ///< 401 TOKEN_EXPIRED
[[nodiscard]] ScriptedResponse signin_credentials_changed();       ///< 403 USER_CREDENTIALS_CHANGED
[[nodiscard]] ScriptedResponse signin_insufficient_permissions();  ///< 403
[[nodiscard]] ScriptedResponse signin_server_error();              ///< 500 InternalServerException

/// What a refresh with `refresh_token` answers (deterministic).
struct SigninTokens {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string refresh_token;
};
[[nodiscard]] SigninTokens signin_tokens_for(const std::string& refresh_token);

/// A token cache file as `aws login` writes it (see login_token.hpp), with `extra` (JSON
/// members, e.g. `"idToken": "x"`) after the known fields.
struct LoginCacheFile {
  std::string access_key_id = "ASIACACHED";
  std::string secret_access_key = "cached-secret";
  std::string session_token = "cached-session";
  std::string account_id = "123456789012";
  std::string expires_at = "2030-01-01T00:00:00Z";
  std::string refresh_token = "refresh-1";
  std::string dpop_key;  ///< PEM
  std::string client_id = kSigninClientId;
  std::string extra = R"("idToken": "header.payload.signature")";
};
[[nodiscard]] std::string login_cache_json(const LoginCacheFile& file);

class FakeSignin {
 public:
  FakeSignin(const std::string& dpop_key_pem, std::string refresh_token);

  /// The clock iat is checked against (seconds since the epoch). Default: the real time.
  std::function<std::int64_t()> now = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  std::chrono::seconds max_iat_skew{60};
  std::int64_t expires_in = 900;
  std::string client_id = kSigninClientId;
  /// Called after a request passed every check: a response it returns replaces the healthy
  /// answer (faults: signin_token_expired(), signin_server_error(), a delay, a bad body).
  std::function<std::optional<ScriptedResponse>(const RecordedRequest&)> fault;

  /// The answer to `request` (called on the server's threads).
  [[nodiscard]] ScriptedResponse answer(const RecordedRequest& request);
  /// A LoopbackServer handler that answers through this object, which must outlive the server.
  [[nodiscard]] LoopbackServer::Handler handler();

  /// Accepts one more refresh token (another session signed in with the same key).
  void accept_refresh_token(std::string refresh_token);

  /// Why each rejected request was rejected, in order.
  [[nodiscard]] std::vector<std::string> rejections() const;
  /// Every proof that passed, decoded.
  [[nodiscard]] std::vector<DpopCheck> proofs() const;
  /// Refreshes answered with new tokens.
  [[nodiscard]] int refreshes() const noexcept { return refreshes_.load(); }

 private:
  PublicJwk key_;
  mutable std::mutex mutex_;
  std::set<std::string> valid_refresh_tokens_;
  std::set<std::string> seen_jti_;
  std::vector<std::string> rejections_;
  std::vector<DpopCheck> proofs_;
  std::atomic<int> refreshes_{0};
};

}  // namespace awsauth::test
