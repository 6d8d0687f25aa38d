#pragma once
/// @file login_token.hpp
/// The token cache of `aws login` (console credentials sign-in): where the AWS CLI keeps a
/// `login_session`'s tokens, how the file is named, what it holds, and how a refresh is written
/// back. Matches botocore 1.43 (utils.py get_login_token_cache_directory,
/// generate_login_cache_key, LoginTokenLoader; credentials.py LoginCredentialFetcher).

#include <string>
#include <string_view>

#include "awsauth/credentials.hpp"
#include "awsauth/environment.hpp"
#include "awsauth/export.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers {

/// The directory of the login token files: `AWS_LOGIN_CACHE_DIRECTORY` when it is set (even
/// to ""), with `$VAR` / `${VAR}` expanded from `env` (unset variables stay as written, as
/// Python's os.path.expandvars leaves them) and then a leading `~` expanded; otherwise
/// `~/.aws/login/cache`.
[[nodiscard]] AWSAUTH_API std::string login_cache_directory(const Environment& env);

/// The file name of a session's tokens: the lowercase hex SHA-256 of the `login_session` value
/// (its UTF-8 bytes) followed by `.json`, as botocore and the AWS CLI name it.
[[nodiscard]] AWSAUTH_API std::string login_cache_file_name(std::string_view login_session);

/// `login_cache_directory(env)` joined with `login_cache_file_name(login_session)` (an empty
/// directory gives the bare file name, relative to the working directory, as os.path.join).
[[nodiscard]] AWSAUTH_API std::string login_cache_path(const Environment& env,
                                                       std::string_view login_session);

/// What a token file holds (the fields botocore reads). The file looks like
/// ```
/// {"accessToken": {"accessKeyId": "ASIA...", "secretAccessKey": "...", "sessionToken": "...",
///                  "accountId": "123456789012", "expiresAt": "2026-01-01T00:15:00Z"},
///  "refreshToken": "...", "dpopKey": "-----BEGIN EC PRIVATE KEY-----\n...",
///  "clientId": "arn:aws:signin:::devtools/same-device", "idToken": "...", ...}
/// ```
struct AWSAUTH_API LoginToken {
  std::string access_key_id;
  SecretString secret_access_key;
  SecretString session_token;
  std::string account_id;
  TimePoint expires_at;
  SecretString refresh_token;
  SecretString dpop_key;  ///< the PEM text of the P-256 private key (see dpop.hpp)
  std::string client_id;
  /// The whole file as read, so that a write-back keeps every field a refresh does not change
  /// (idToken, and anything a later AWS CLI adds).
  SecretString document;
};

/// Where a token file came from, for messages: its path and the profile whose `login_session`
/// named it (the one to give `aws login --profile`).
struct AWSAUTH_API LoginTokenOrigin {
  std::string path;
  std::string profile;
};

/// Parses a token file's text. Throws CredentialsError(InvalidConfiguration, provider "login")
/// naming the file and saying to run `aws login --profile NAME` when the text is not a JSON
/// object, lacks a required field (botocore's list: accessToken, refreshToken, dpopKey,
/// clientId; and in accessToken: accessKeyId, secretAccessKey, sessionToken, accountId,
/// expiresAt), holds one of the wrong type, or has an expiresAt that is not an ISO-8601 time
/// with an offset. The message never contains a token, a key or a secret.
[[nodiscard]] AWSAUTH_API LoginToken parse_login_token(std::string_view text,
                                                       const LoginTokenOrigin& origin);

/// Reads `origin.path` through `files` and parses it; a missing file is the same
/// InvalidConfiguration error ("no login session ...: run `aws login --profile NAME`").
[[nodiscard]] AWSAUTH_API LoginToken read_login_token(const FileSystem& files,
                                                      const LoginTokenOrigin& origin);

/// What one refresh gives back (the sign-in service's CreateOAuth2Token answer).
struct AWSAUTH_API LoginTokenRefresh {
  std::string access_key_id;
  SecretString secret_access_key;
  SecretString session_token;
  TimePoint expires_at;  ///< when the call returned plus expiresIn, to the whole second
  SecretString refresh_token;
};

/// The token file after a refresh, as botocore writes it: `document` with `accessToken`
/// replaced by the new keys (accountId kept from the old ones, expiresAt as
/// `YYYY-MM-DDTHH:MM:SSZ`) and `refreshToken` by the new one; every other field, and the
/// order of the fields, as it was. Throws CredentialsError(InvalidConfiguration) when
/// `document` is not a JSON object.
[[nodiscard]] AWSAUTH_API SecretString
updated_login_token_document(const SecretString& document, const std::string& account_id,
                             const LoginTokenRefresh& refresh, const LoginTokenOrigin& origin);

/// Replaces the file at `origin.path` with `contents` atomically: a 0600 temporary file in the
/// same directory, written, fsynced and renamed over it (then the directory is fsynced), so a
/// reader sees the old file or the new one, never a part; on failure the temporary file is
/// removed and the old file is left as it was. The directory is created (0700) when missing.
/// Throws CredentialsError(ProviderFailure) naming the file and the system error.
AWSAUTH_API void write_login_token_file(const LoginTokenOrigin& origin,
                                        const SecretString& contents);

}  // namespace awsauth::providers
