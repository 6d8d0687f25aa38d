#pragma once
// The MFA code for a role profile with `mfa_serial`, asked on the controlling terminal.

#include "awsauth/providers/sts/assume_role.hpp"

namespace awsauth::cli {

/// A callback for DefaultChainOptions::mfa_token that writes `Enter MFA code for SERIAL: ` to
/// /dev/tty and reads one line from it (stdout and stderr stay clean: `creds` output may be
/// piped into a shell). The terminal is opened only when a code is needed, so a run served
/// from the on-disk assumed-role cache works without one. Without a terminal it throws, and
/// the library reports it naming the profile and its mfa_serial.
[[nodiscard]] providers::MfaTokenCallback terminal_mfa_prompt();

}  // namespace awsauth::cli
