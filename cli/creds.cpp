// awsauth creds [--profile NAME] [--format process|env|json]
//
// Resolves credentials through the default chain and prints them. The `process` format is
// exactly the credential_process JSON, so awsauth can be another tool's credential_process;
// nothing but the credentials goes to stdout. Exit codes: 0 found, 1 none / failure, 2 usage.

#include <iostream>
#include <optional>

#include "args.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "commands.hpp"
#include "creds_contract.hpp"
#include "mfa_prompt.hpp"
#include "no_credentials.hpp"
#include "quoting.hpp"

namespace awsauth::cli {

int run_creds(const Args& args) {
  std::optional<CredsOptions> options;
  const int parse_exit = run_command(creds_spec(), args, [&](const ParsedArgs& parsed) {
    options = read_creds_options(parsed);
    return 0;
  });
  if (!options) return parse_exit;  // --help printed, or a usage error reported

  try {
    // The library's one-call entry point: the default chain behind the cache, resolved once.
    const auto provider = providers::make_default_credentials_provider(
        Context::system(), {.profile = options->profile, .mfa_token = terminal_mfa_prompt()});
    return print_creds(*provider->get(), options->format);
  } catch (const NoCredentialsError& e) {
    std::cerr << "awsauth creds: " << providers_tried_message(e) << "\n";
    return 1;
  } catch (const CredentialsError& e) {
    // A failure before any provider ran (malformed file, missing named profile), or expired
    // credentials. The reason names the source in the user's words; e.what() would lead with
    // the chain's internal name.
    std::cerr << "awsauth creds: " << message_line(e.reason()) << "\n";
    return 1;
  }
}

}  // namespace awsauth::cli
