#pragma once
// `awsauth creds` answered by the environment keys, in the front (cli/front.cpp): the hot path
// of a credential_process, run without loading the full command.

#include <optional>

#include "commands.hpp"

namespace awsauth::cli {

/// `awsauth ARGS...` (the arguments after the program name) when it is `creds` and the default
/// chain's answer comes from the environment keys: prints exactly what run_awsauth(ARGS) prints
/// and returns its exit code. nullopt, having printed nothing, for everything else (another
/// command, --help, a usage error, --profile, no or partial keys, any error), which the full
/// command answers.
[[nodiscard]] std::optional<int> run_creds_from_environment(const Args& args);

}  // namespace awsauth::cli
