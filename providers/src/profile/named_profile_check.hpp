#pragma once
// Internal: the check the default chain makes before any provider runs, shared by DefaultChain
// and default_chain_environment_credentials() so that both refuse the same inputs.

#include <string>

#include "awsauth/providers/profile/resolved_profile.hpp"

namespace awsauth::providers::detail {

/// botocore checks the profile when it builds its resolver: a profile named by the API,
/// `AWS_DEFAULT_PROFILE` or `AWS_PROFILE` that is in neither shared file is an
/// InvalidConfiguration error (raised as `chain_name`), even when environment keys are set. The
/// message names both files, any file skipped as not regular, and a `[profile NAME]` section
/// misplaced in the credentials file. An unnamed `default` may be absent.
void check_named_profile_exists(const ResolvedProfile& resolved, const std::string& chain_name);

}  // namespace awsauth::providers::detail
