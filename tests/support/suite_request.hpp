#pragma once
/// @file suite_request.hpp
/// Reads the SigV4 suite's `request.txt` files (../shared/testdata/sigv4-suite/README.md) into
/// the signer's Request, for the v4 and v4a vector tests.

#include <string>

#include "awsauth/signer/request.hpp"

namespace awsauth::test {

struct SuiteRequest {
  signer::Request request;
  std::string body;
};

/// "METHOD target HTTP/1.1", `Name:value` lines (continuations start with whitespace and keep
/// their newline), an empty line, then the body. Request::host is the Host header's value.
[[nodiscard]] SuiteRequest parse_suite_request(const std::string& text);

}  // namespace awsauth::test
