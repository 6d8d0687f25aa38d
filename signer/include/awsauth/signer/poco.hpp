#pragma once
/// @file poco.hpp
/// Adapter: signs a Poco::Net::HTTPRequest in place (the C++ twin of `AWSRequestsAuth`).
/// Header-only so the signer library itself does not need Poco's headers.

#include <Poco/Net/HTTPRequest.h>
#include <Poco/URI.h>

#include "awsauth/signer/signer.hpp"

namespace awsauth::signer {

/// Builds the signer's Request from a Poco request. `scheme` is only used for presigned URLs.
/// The URI is taken as it goes on the wire (`getURI()`); Host comes from the request's Host
/// header, which must be set.
inline Request request_from_poco(const Poco::Net::HTTPRequest& http, std::string scheme = "https") {
  Request r;
  r.method = http.getMethod();
  r.scheme = std::move(scheme);
  const std::string& target = http.getURI();
  const auto q = target.find('?');
  r.path = target.substr(0, q);
  if (r.path.empty()) {
    r.path.push_back('/');  // not `r.path = "/"`: GCC 12 -O2 warns -Wrestrict on it (PR105329)
  }
  if (q != std::string::npos) {
    r.query = target.substr(q + 1);
  }
  for (const auto& [name, value] : http) {
    r.headers.push_back({name, value});
  }
  if (!http.has("Host")) {
    throw SigningError("the Poco request has no Host header (call setHost first)");
  }
  return r;
}

/// Signs `http` in place: header mode sets X-Amz-Date, X-Amz-Security-Token,
/// X-Amz-Content-SHA256 (when the settings add it) and Authorization; presign mode replaces
/// the request URI with the presigned path and query. Returns the full result (canonical
/// request, string to sign, signature).
inline SigningResult sign_poco_request(Poco::Net::HTTPRequest& http, const Payload& payload,
                                       const Credentials& credentials,
                                       const SigningSettings& settings, TimePoint time) {
  SigningResult result = sign(request_from_poco(http), payload, credentials, settings, time);
  if (settings.presign_expires) {
    const auto q = http.getURI().find('?');
    http.setURI(http.getURI().substr(0, q) + "?" + result.presigned_query);
  } else {
    for (const auto& h : result.headers) {
      http.set(h.name, h.value);
    }
  }
  return result;
}

}  // namespace awsauth::signer
