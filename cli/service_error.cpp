// Service error extraction for `awsauth curl` (exit code 3 reports it on stderr): the
// library's error-body reader (awsauth/signer/service_report.hpp), plus the header fallback.

#include "service_error.hpp"

#include "awsauth/signer/service_report.hpp"

namespace awsauth::cli {

std::optional<ServiceError> parse_service_error(const HttpResponse& response) {
  ServiceError err;
  if (auto report = signer::read_service_report(response.body)) {
    err.code = std::move(report->code);
    err.message = std::move(report->message);
  }
  if (err.code.empty()) {
    if (const auto* h = find_header(response.headers, "x-amzn-ErrorType")) {
      err.code = signer::clean_code(*h);
    }
  }
  if (err.code.empty()) return std::nullopt;
  return err;
}

}  // namespace awsauth::cli
