#pragma once
// The `awsauth creds` contract other tools rely on: its options and its three output formats.
// Nothing here reaches a credentials provider, so the front (cli/front.cpp) links it without
// Poco or OpenSSL; run_creds (cli/creds.cpp) and the front print through the same code.

#include <optional>
#include <string>

#include "args.hpp"
#include "awsauth/credentials.hpp"

namespace awsauth::cli {

enum class CredsFormat { Process, Env, Json };

struct CredsOptions {
  std::optional<std::string> profile;
  CredsFormat format = CredsFormat::Process;
};

/// The options of `awsauth creds` from its parsed arguments (--help already handled). Throws
/// UsageError.
[[nodiscard]] CredsOptions read_creds_options(const ParsedArgs& parsed);

/// Prints `credentials` on stdout in `format` and flushes: 0 when stdout took it all, else 1.
[[nodiscard]] int print_creds(const Credentials& credentials, CredsFormat format);

}  // namespace awsauth::cli
