#pragma once
/// @file request_signer_poco.hpp
/// RequestSigner for Poco::Net: the request and the one body it will send. Header-only, and
/// the only RequestSigner header that includes Poco (link Poco::Net yourself).
///
// clang-format off
/// ```
/// Poco::Net::HTTPClientSession session(host, port);
/// Poco::Net::HTTPRequest request("POST", "/", "HTTP/1.1");
/// request.setContentType("application/json");
/// Poco::Net::HTTPResponse response;
/// std::istream& in = awsauth::poco::send_signed(signer, session, request, body, response);
/// ```
// clang-format on

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "awsauth/request_signer.hpp"

namespace awsauth::poco {

namespace detail {

// The signer's view of a Poco request: scheme://Host + the URI as it goes on the wire, and every
// header including Host, so the Host signed is the Host line Poco sends, byte for byte.
inline HttpRequest describe(const Poco::Net::HTTPRequest& http, std::string_view scheme) {
  if (!http.has("Host")) {
    throw signer::SigningError("the Poco request has no Host header (call setHost first)");
  }
  HttpRequest out;
  out.method = http.getMethod();
  std::string target = http.getURI();
  if (target.empty() || target.front() != '/') target.insert(0, "/");
  out.url = std::string(scheme) + "://" + http.getHost() + target;
  for (const auto& [name, value] : http) out.headers.emplace_back(name, value);
  return out;
}

// Puts the signed URL's target and the signed headers on the Poco request.
inline void apply(const SignedRequest& signed_request, Poco::Net::HTTPRequest& http) {
  const std::string& url = signed_request.request.url;
  const auto scheme_end = url.find("://");
  const auto path = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  http.setURI(path == std::string::npos ? "/" : url.substr(path));
  for (const auto& h : signed_request.signing.headers) http.set(h.name, h.value);
}

inline bool method_carries_body(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace detail

/// Signs `http` for sending exactly `body`: sets Content-Length from `body` (when it is not
/// empty or the method is POST, PUT or PATCH), then the signed headers, and sets the URI to the
/// path as signed (or, presigning, the presigned path and query). The Host header must be set
/// (HTTPRequest::setHost); `scheme` only matters for a presigned URL. Send `body`, and nothing
/// else, after the request (send_signed does both).
inline SignedRequest sign(const RequestSigner& signer, Poco::Net::HTTPRequest& http,
                          std::string_view body, std::string_view scheme = "https") {
  if (!body.empty() || detail::method_carries_body(http.getMethod())) {
    http.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  HttpRequest request = detail::describe(http, scheme);
  SignedRequest signed_request = signer.sign(std::move(request), signer::Payload::from_bytes(body));
  detail::apply(signed_request, http);
  return signed_request;
}

/// Signs `http` for a body hashed elsewhere (streamed through signer::PayloadHasher, or a
/// precomputed hash). `content_length`, when given, is set (and signed) first; otherwise set
/// Content-Length or chunked transfer encoding yourself before calling.
inline SignedRequest sign(const RequestSigner& signer, Poco::Net::HTTPRequest& http,
                          const signer::Payload& payload,
                          std::optional<std::uint64_t> content_length = std::nullopt,
                          std::string_view scheme = "https") {
  if (content_length) http.setContentLength64(static_cast<Poco::Int64>(*content_length));
  SignedRequest signed_request = signer.sign(detail::describe(http, scheme), payload);
  detail::apply(signed_request, http);
  return signed_request;
}

/// Signs `http` for `body`, sends both on `session` and receives the response head: the body
/// that was hashed is the body that is sent. The Host header defaults to the session's host
/// and port. Returns the response body stream (HTTPClientSession::receiveResponse).
inline std::istream& send_signed(const RequestSigner& signer, Poco::Net::HTTPClientSession& session,
                                 Poco::Net::HTTPRequest& http, std::string_view body,
                                 Poco::Net::HTTPResponse& response,
                                 std::string_view scheme = "https") {
  if (!http.has("Host")) http.setHost(session.getHost(), session.getPort());
  (void)sign(signer, http, body, scheme);
  std::ostream& out = session.sendRequest(http);
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
  return session.receiveResponse(response);
}

}  // namespace awsauth::poco
