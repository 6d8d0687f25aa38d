#pragma once
// The request `awsauth sign`'s flags describe, signed as `awsauth sign` signs it: for
// `awsauth explain`, which takes the same flags to re-sign the request a service rejected.

#include <optional>
#include <stdexcept>

#include "args.hpp"
#include "awsauth/clock.hpp"
#include "awsauth/signer/signer.hpp"

namespace awsauth::cli {

/// Credentials missing from the environment or an unreadable --data-file: not a usage error.
class SignFlagsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Signs what `parsed` (the `sign` options: --method, --url, --region, --service, -H, --data,
/// --data-file, --time, --s3, --unsigned-payload, --presign) describes with the environment's
/// keys, exactly as `awsauth sign` would; `time_if_not_given` replaces "now" when --time is
/// absent. Throws UsageError for bad flags, SignFlagsError otherwise.
[[nodiscard]] signer::SigningResult sign_from_flags(const ParsedArgs& parsed,
                                                    std::optional<TimePoint> time_if_not_given);

}  // namespace awsauth::cli
