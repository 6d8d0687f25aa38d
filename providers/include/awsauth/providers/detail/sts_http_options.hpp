#pragma once
/// @file sts_http_options.hpp
/// TLS trust and proxy routing for STS calls (never for the metadata services).

#include <string>

#include "awsauth/environment.hpp"
#include "awsauth/export.hpp"
#include "awsauth/http.hpp"
#include "awsauth/providers/profile/profile.hpp"

namespace awsauth::providers {

/// HttpOptions for a call to `url`:
/// - `ca_bundle` from `AWS_CA_BUNDLE`, else the profile's `ca_bundle` (a leading `~` expanded);
///   empty means the system CA store. Certificates are always verified.
/// - `proxy` from `HTTPS_PROXY`/`https_proxy` for https URLs, `HTTP_PROXY`/`http_proxy` for
///   http URLs, unless the host matches `NO_PROXY`/`no_proxy` (comma-separated; `*` matches
///   all; an entry matches the host itself and its subdomains; a leading `.` is ignored;
///   an entry may carry a `:port`).
[[nodiscard]] AWSAUTH_API HttpOptions sts_http_options(const Environment& env,
                                                       const Profile* profile,
                                                       const std::string& url);

/// True when `host` (no port, IPv6 without brackets) matches a NO_PROXY list.
[[nodiscard]] AWSAUTH_API bool no_proxy_matches(const std::string& no_proxy,
                                                const std::string& host, int port);

}  // namespace awsauth::providers
