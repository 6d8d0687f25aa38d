#pragma once
// sign() for SigningAlgorithm::V4a: sign() dispatches here before it does any SigV4 work.

#include "awsauth/signer/signer.hpp"

namespace awsauth::signer::sigv4a {

/// SigV4a signing of `request` into `out`, with the same inputs, modes and result fields as
/// sign(): the scope has no region, X-Amz-Region-Set is signed (header or query), and the
/// signature is the hex DER ECDSA P-256 signature of the string to sign.
void sign(const Request& request, const Payload& payload, const Credentials& credentials,
          const SigningSettings& settings, TimePoint time, SigningResult& out);

}  // namespace awsauth::signer::sigv4a
