#pragma once
// Internal: the stricter URL grammar the metadata providers accept for their endpoints, on top
// of the core URL parser (awsauth/url.hpp).

#include <optional>
#include <string>
#include <string_view>

#include "awsauth/url.hpp"

namespace awsauth::providers::detail {

/// parse_http_url() of awsauth/url.hpp, also refusing the characters RFC 3986 excludes
/// (quotes, angle brackets, `\ ^ ` { | }`) and user information, which the metadata endpoints
/// never carry. On failure returns nullopt and sets `error` to a short reason.
[[nodiscard]] std::optional<HttpUrl> parse_endpoint_url(std::string_view text, std::string& error);

using awsauth::parse_ip_literal;

}  // namespace awsauth::providers::detail
