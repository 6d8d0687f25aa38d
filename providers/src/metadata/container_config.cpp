#include "metadata/container_config.hpp"

#include <array>
#include <system_error>

#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/provider.hpp"
#include "metadata/http_url.hpp"

namespace awsauth::providers {

namespace {

constexpr std::string_view kRelativeVar = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
constexpr std::string_view kFullVar = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
constexpr std::string_view kTokenVar = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
constexpr std::string_view kTokenFileVar = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

}  // namespace

ContainerEndpoint resolve_container_endpoint(const Environment& env) {
  if (auto relative = env.get(kRelativeVar)) {
    return ContainerEndpoint{.url = "http://" + std::string(container_relative_host) + *relative,
                             .scheme = "http",
                             .host = std::string(container_relative_host),
                             .origin = std::string(kRelativeVar)};
  }
  auto full = env.get(kFullVar);
  if (!full) {
    throw CredentialsError::not_configured(
        provider_names::container,
        "No environment variables were set to configure ECS provider (neither " +
            std::string(kRelativeVar) + " nor " + std::string(kFullVar) + ")");
  }
  std::string error;
  auto url = detail::parse_endpoint_url(*full, error);
  if (!url) {
    throw CredentialsError::invalid_configuration(
        provider_names::container,
        std::string(kFullVar) + " `" + printable_url(*full) + "` is not usable: " + error);
  }
  return ContainerEndpoint{
      .url = *full, .scheme = url->scheme, .host = url->host, .origin = std::string(kFullVar)};
}

bool is_allowed_container_address(const std::string& numeric_address) {
  const auto bytes = detail::parse_ip_literal(numeric_address);
  if (!bytes) return false;
  if (bytes->size() == 4 && static_cast<unsigned char>((*bytes)[0]) == 127) return true;
  static const std::array<std::string_view, 4> kAllowed = {"::1", "169.254.170.2", "169.254.170.23",
                                                           "fd00:ec2::23"};
  for (std::string_view a : kAllowed) {
    if (detail::parse_ip_literal(a) == bytes) return true;
  }
  return false;
}

std::optional<std::string> checked_container_address(const ContainerEndpoint& endpoint,
                                                     Resolver& resolver) {
  if (endpoint.scheme == "https") return std::nullopt;
  std::vector<std::string> addresses;
  if (detail::parse_ip_literal(endpoint.host)) {
    addresses.push_back(endpoint.host);
  } else {
    try {
      addresses = resolver.resolve(endpoint.host);
    } catch (const HttpError& e) {
      throw CredentialsError::provider_failure(
          provider_names::container, "cannot resolve the host of " + endpoint.origin + " `" +
                                         printable_url(endpoint.url) + "`: " + e.reason());
    }
  }
  if (addresses.empty()) {
    throw CredentialsError::provider_failure(
        provider_names::container,
        "the host '" + endpoint.host + "' of " + endpoint.origin + " resolved to no address");
  }
  // Every address must be allowed, not just the first: otherwise a name with one good and one
  // bad address would pass the check and the connection could still go to the bad one.
  for (const auto& address : addresses) {
    if (!is_allowed_container_address(address)) {
      throw CredentialsError::invalid_configuration(
          provider_names::container,
          endpoint.origin + " `" + printable_url(endpoint.url) + "` uses plain http to host '" +
              printable(endpoint.host, 256) + "', which resolves to " + address +
              "; plain http is only allowed to loopback, 169.254.170.2, 169.254.170.23 or "
              "fd00:ec2::23 (use https for other hosts)");
    }
  }
  return addresses.front();
}

std::optional<SecretString> read_container_authorization_token(const Environment& env,
                                                               const FileSystem& files) {
  std::string token;
  std::string origin;
  if (auto path = env.get(kTokenFileVar)) {
    std::optional<std::string> contents;
    try {
      contents = files.read(*path);
    } catch (const std::system_error& e) {
      throw CredentialsError::provider_failure(
          provider_names::container, "cannot read the authorization token file '" + *path + "' (" +
                                         std::string(kTokenFileVar) + "): " + e.what());
    }
    if (!contents) {
      throw CredentialsError::provider_failure(provider_names::container,
                                               "the authorization token file '" + *path + "' (" +
                                                   std::string(kTokenFileVar) + ") does not exist");
    }
    token = std::move(*contents);
    wipe_string(*contents);
    // Files written by tools usually end in a newline; one is not part of the token.
    if (!token.empty() && token.back() == '\n') {
      token.pop_back();
      if (!token.empty() && token.back() == '\r') token.pop_back();
    }
    origin = "the file '" + *path + "' (" + std::string(kTokenFileVar) + ")";
  } else if (auto value = env.get(kTokenVar)) {
    token = std::move(*value);
    origin = std::string(kTokenVar);
  } else {
    return std::nullopt;
  }
  SecretString secret(std::move(token));
  if (secret.reveal().find_first_of("\r\n") != std::string::npos) {
    throw CredentialsError::invalid_configuration(
        provider_names::container,
        "the authorization token from " + origin +
            " contains a CR or LF character, which is not allowed in a header value");
  }
  return secret;
}

}  // namespace awsauth::providers
