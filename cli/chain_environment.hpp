#pragma once
// The environment variables the default credentials chain reads, as `creds --help` and
// `curl --help` list them (docs/providers.md has each one's details). The TLS and proxy
// variables of the STS calls are left to each command: curl's request reads them too.

#include <vector>

#include "args.hpp"

namespace awsauth::cli {

[[nodiscard]] std::vector<EnvironmentSpec> default_chain_environment();

/// `--profile NAME` of the commands that resolve through the default chain (creds, which).
[[nodiscard]] OptionSpec default_chain_profile_option();

}  // namespace awsauth::cli
