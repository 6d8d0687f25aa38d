#include "creds_from_environment.hpp"

#include <memory>

#include "args.hpp"
#include "awsauth/context.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "creds_contract.hpp"

namespace awsauth::cli {

std::optional<int> run_creds_from_environment(const Args& args) {
  // run_awsauth's dispatch: the command is the first word, matched by its exact name.
  if (args.empty() || args.front() != creds_spec().name) return std::nullopt;
  const Args rest(args.begin() + 1, args.end());
  CredsOptions options;
  try {
    // run_creds's parsing (run_command), without printing: --help and usage errors are the
    // full command's to report.
    const ParsedArgs parsed = parse_args(rest, creds_spec().accepted_options());
    if (parsed.has("help")) return std::nullopt;
    options = read_creds_options(parsed);
  } catch (const UsageError&) {
    return std::nullopt;
  }
  // Only the seams the environment path uses. The HTTP client, process runner and resolver of
  // Context::system() are left out: their implementations are what loads Poco and OpenSSL.
  const Context context{
      .environment = std::make_shared<SystemEnvironment>(),
      .files = std::make_shared<RealFileSystem>(),
      .clock = std::make_shared<SystemClock>(),
      .random = std::make_shared<SystemRandom>(),
  };
  // run_creds's chain options, less the MFA prompt, which only role profiles use.
  const CredentialsPtr credentials =
      providers::default_chain_environment_credentials(context, {.profile = options.profile});
  if (!credentials) return std::nullopt;
  return print_creds(*credentials, options.format);
}

}  // namespace awsauth::cli
