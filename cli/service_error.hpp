#pragma once
// The error code and message an AWS service put in a failed response, for curl's stderr.

#include <optional>
#include <string>

#include "awsauth/http.hpp"

namespace awsauth::cli {

struct ServiceError {
  std::string code;     ///< e.g. SignatureDoesNotMatch
  std::string message;  ///< may be empty
};

/// Reads the error out of a response body the way the SDKs' protocol parsers do (through
/// signer::read_service_report(), which `awsauth explain` reads the signing details with): XML
/// (`<Error><Code>`/`<Message>`, as query, EC2 and S3 answers carry) or JSON (`__type` /
/// `code` and `message` / `Message`, with `x-amzn-ErrorType` as a fallback for the code).
/// nullopt when neither form is found.
[[nodiscard]] std::optional<ServiceError> parse_service_error(const HttpResponse& response);

}  // namespace awsauth::cli
