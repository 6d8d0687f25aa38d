#pragma once
// The one wording of a chain that found no credentials, shared by the commands that resolve
// them (creds, curl, serve).

#include <string>

#include "awsauth/errors.hpp"

namespace awsauth::cli {

/// "no credentials found; providers tried:" (NotConfigured) or "credentials could not be
/// resolved; providers tried:", then one line per provider tried, "  LABEL: REASON", each reason
/// through message_line(); lines joined by "\n", no newline at the end. No secret is in it:
/// the reasons never carry one.
[[nodiscard]] std::string providers_tried_message(const NoCredentialsError& error);

}  // namespace awsauth::cli
