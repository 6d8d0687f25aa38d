#pragma once
/// @file request.hpp
/// The plain request description the signer reads: any HTTP client can fill it in a few lines.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/export.hpp"

namespace awsauth::signer {

/// One header line, in request order. Repeated names are allowed and keep their order.
struct AWSAUTH_API Header {
  std::string name;
  std::string value;
};

/// What is signed. `path` and `query` are as they go on the wire (already percent-encoded);
/// `query` has no leading `?`. `host` is `host[:port]` as the Host header carries it; when
/// empty, the signer uses a `Host` entry of `headers`.
struct AWSAUTH_API Request {
  std::string method;
  std::string scheme = "https";  ///< only used to build a presigned URL
  std::string host;
  std::string path = "/";
  std::string query;
  std::vector<Header> headers;
};

/// Thrown for input the signer cannot sign: an unparseable URL, a missing host.
class AWSAUTH_API SigningError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Splits `scheme://[user@]host[:port]/path?query#fragment` into a Request (no headers).
/// The host is lowercased and carries the port only when it is not the scheme's default
/// (botocore `_host_from_url`). Throws SigningError saying what is wrong with the URL.
[[nodiscard]] AWSAUTH_API Request parse_url(std::string_view method, std::string_view url);

}  // namespace awsauth::signer
