#pragma once
/// @file container_config.hpp
/// Where the container credentials endpoint (ECS task roles, EKS Pod Identity) is, and whether
/// it may be contacted: pure functions of the environment plus an injected resolver.

#include <optional>
#include <string>

#include "awsauth/environment.hpp"
#include "awsauth/http.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers {

/// The endpoint chosen from the environment.
struct ContainerEndpoint {
  std::string url;     ///< full URL to GET
  std::string scheme;  ///< "http" or "https"
  std::string host;    ///< without IPv6 brackets
  std::string origin;  ///< the variable it came from, for error messages
};

/// The ECS agent's address, host of AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.
inline constexpr std::string_view container_relative_host = "169.254.170.2";

/// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (appended to http://169.254.170.2) wins over
/// AWS_CONTAINER_CREDENTIALS_FULL_URI. Throws CredentialsError: NotConfigured when neither is
/// set, InvalidConfiguration when the full URI is not an http(s) URL with a host.
[[nodiscard]] ContainerEndpoint resolve_container_endpoint(const Environment& env);

/// True for the addresses a plain-http endpoint may use: loopback (127.0.0.0/8, ::1),
/// 169.254.170.2 (ECS), 169.254.170.23 and fd00:ec2::23 (EKS Pod Identity).
[[nodiscard]] bool is_allowed_container_address(const std::string& numeric_address);

/// For https: nullopt (any host; TLS names the peer). For http: resolves the host with
/// `resolver` (IP literals are used as they are), requires every address to be allowed and
/// returns the one to connect to, so that the connection goes where the check looked. Throws
/// CredentialsError: InvalidConfiguration naming the host and the refused address;
/// ProviderFailure when the name does not resolve.
[[nodiscard]] std::optional<std::string> checked_container_address(
    const ContainerEndpoint& endpoint, Resolver& resolver);

/// The authorization token: the file named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read
/// now, through `files`; one trailing newline dropped) wins over
/// AWS_CONTAINER_AUTHORIZATION_TOKEN. nullopt when neither is set. Throws CredentialsError:
/// InvalidConfiguration when the token holds CR or LF (it would split the header),
/// ProviderFailure when the file is missing or unreadable.
[[nodiscard]] std::optional<SecretString> read_container_authorization_token(
    const Environment& env, const FileSystem& files);

}  // namespace awsauth::providers
