#pragma once
/// @file canonical.hpp
/// The SigV4 steps, each a small pure function named after the spec's step. They can be
/// called one by one (tests, or to show a request's steps) or through sign() in signer.hpp,
/// whose SigningResult keeps the canonical request and string to sign.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/export.hpp"
#include "awsauth/signer/request.hpp"
#include "awsauth/signer/settings.hpp"
#include "awsauth/signer/signing_key.hpp"

namespace awsauth::signer {

/// The SigV4 algorithm name.
inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

/// botocore's `remove_dot_segments`: drops empty and `.` segments, `..` pops one, keeps a
/// trailing `/` only when something remains, keeps the leading `/`. Empty input gives `/`.
[[nodiscard]] AWSAUTH_API std::string normalize_path(std::string_view path);

/// Canonical URI from the wire path: normalized if `settings.normalize_path`, then encoded
/// once more if `settings.double_encode` (every byte but A-Z a-z 0-9 - . _ ~ /), otherwise
/// used as given with only bytes that are not valid in a path (and `%` not starting an
/// escape) encoded, as S3 does.
[[nodiscard]] AWSAUTH_API std::string canonical_uri(std::string_view path,
                                                    const SigningSettings& settings);

/// The path to put on the request line for a request whose `path` is signed with `settings`:
/// the canonical URI before its second encoding. For services that double-encode, the path
/// as given, normalized when `settings.normalize_path` (the service normalizes the same way);
/// for S3, canonical_uri() itself. A client that sends this path sends exactly what was
/// signed; sending a path re-encoded by a URL library (`%2F` as `/`, `%7E` as `~`) is not.
[[nodiscard]] AWSAUTH_API std::string wire_path(std::string_view path,
                                                const SigningSettings& settings);

/// Canonical query: each `k=v` (or `k`, signed as `k=`) is percent-decoded (`+` is a space)
/// and re-encoded strictly (RFC 3986 unreserved kept), then sorted by key, then value.
/// `extra` are already-encoded pairs added before sorting (the presign parameters).
[[nodiscard]] AWSAUTH_API std::string canonical_query(
    std::string_view query, const std::vector<std::pair<std::string, std::string>>& extra = {});

/// Canonical headers block (each `name:value\n`) and the SignedHeaders list.
struct AWSAUTH_API CanonicalHeaders {
  std::string block;
  std::string signed_headers;
};

/// True for headers SigV4 signers never sign (botocore's list: connection, expect, ...).
[[nodiscard]] AWSAUTH_API bool is_unsigned_header(std::string_view lowercase_name) noexcept;

/// Lowercases names, trims values and collapses whitespace runs (space, tab, CR, LF, VT,
/// FF) to one space, joins repeated headers with `,` in request order, sorts by name, and
/// leaves out is_unsigned_header() names.
[[nodiscard]] AWSAUTH_API CanonicalHeaders canonical_headers(const std::vector<Header>& headers);

/// `METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED\nPAYLOAD`.
[[nodiscard]] AWSAUTH_API std::string canonical_request(std::string_view method,
                                                        std::string_view uri,
                                                        std::string_view query,
                                                        const CanonicalHeaders& headers,
                                                        std::string_view payload_hash);

/// `AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical request)>`.
[[nodiscard]] AWSAUTH_API std::string string_to_sign(std::string_view amz_date, const Scope& scope,
                                                     std::string_view canonical_request);

/// Lowercase hex HMAC-SHA256(signing key, string to sign).
[[nodiscard]] AWSAUTH_API std::string signature(const SigningKey& key,
                                                std::string_view string_to_sign);

/// `AWS4-HMAC-SHA256 Credential=<akid>/<scope>, SignedHeaders=<...>, Signature=<...>`.
[[nodiscard]] AWSAUTH_API std::string authorization_header(std::string_view access_key_id,
                                                           const Scope& scope,
                                                           std::string_view signed_headers,
                                                           std::string_view signature);

/// Percent-encodes every byte except A-Z a-z 0-9 - . _ ~ (and `/` when `keep_slash`).
AWSAUTH_API void uri_encode(std::string_view in, std::string& out, bool keep_slash);

}  // namespace awsauth::signer
