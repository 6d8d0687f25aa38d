#pragma once
// How `awsauth explain` and `awsauth curl` show a signer::Diagnosis: the differing lines as
// `-` (as signed here) and `+` (as the service computed them), then the likely causes.

#include <ostream>
#include <string>

#include "awsauth/http.hpp"
#include "awsauth/signer/explain.hpp"
#include "awsauth/signer/signer.hpp"

namespace awsauth::cli {

/// The human-readable report. Every line from the service is made printable.
void print_diagnosis(std::ostream& out, const signer::ServiceReport& report,
                     const signer::Diagnosis& diagnosis);

/// The same as one JSON object (`--format json`).
void print_diagnosis_json(std::ostream& out, const signer::ServiceReport& report,
                          const signer::Diagnosis& diagnosis);

/// `awsauth curl`'s hook: when `response` is a 403 whose body is a signature mismatch
/// (SignatureDoesNotMatch, InvalidSignatureException) carrying the service's canonical request
/// or string to sign, prints the diagnosis of `signed_request` against it on `out`; otherwise
/// prints nothing.
void print_rejection_diagnosis(std::ostream& out, const HttpResponse& response,
                               const signer::SigningResult& signed_request);

}  // namespace awsauth::cli
