// awsauth creds [--profile NAME] [--format process|env|json]
//
// Resolves credentials through the default chain and prints them. The `process` format is
// exactly the credential_process JSON, so awsauth can be another tool's credential_process;
// nothing but the credentials goes to stdout. Exit codes: 0 found, 1 none / failure, 2 usage.

#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "args.hpp"
#include "awsauth/credentials.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "chain_environment.hpp"
#include "commands.hpp"
#include "mfa_prompt.hpp"
#include "quoting.hpp"

namespace awsauth::cli {
namespace {

enum class Format { Process, Env, Json };

struct CredsOptions {
  std::optional<std::string> profile;
  Format format = Format::Process;
};

// Throws UsageError.
CredsOptions read_creds_options(const ParsedArgs& parsed) {
  CredsOptions options;
  if (!parsed.positionals().empty()) {
    throw UsageError("unexpected argument '" + printable(parsed.positionals().front()) + "'");
  }
  if (const auto profile = parsed.value("profile")) {
    if (profile->empty()) throw UsageError("option '--profile' needs a non-empty name");
    options.profile = *profile;
  }
  const std::string format = parsed.value("format").value_or("process");
  if (format == "env") {
    options.format = Format::Env;
  } else if (format == "json") {
    options.format = Format::Json;
  }
  return options;
}

void print_json(const Credentials& c, bool with_provider) {
  std::cout << R"({"Version": 1, "AccessKeyId": )" << json_string(c.access_key_id())
            << ", \"SecretAccessKey\": " << json_string(c.secret_access_key().reveal());
  if (c.has_session_token()) {
    std::cout << ", \"SessionToken\": " << json_string(c.session_token().reveal());
  }
  if (c.expiration()) {
    std::cout << ", \"Expiration\": " << json_string(format_iso8601(*c.expiration()));
  }
  if (with_provider) {
    if (c.account_id()) std::cout << ", \"AccountId\": " << json_string(*c.account_id());
    std::cout << ", \"ProviderName\": " << json_string(c.provider_name());
  }
  std::cout << "}\n";
}

void print_env(const Credentials& c) {
  std::cout << "export AWS_ACCESS_KEY_ID=" << shell_quote(c.access_key_id()) << "\n"
            << "export AWS_SECRET_ACCESS_KEY=" << shell_quote(c.secret_access_key().reveal())
            << "\n";
  if (c.has_session_token()) {
    std::cout << "export AWS_SESSION_TOKEN=" << shell_quote(c.session_token().reveal()) << "\n";
  }
  if (c.expiration()) {
    std::cout << "export AWS_CREDENTIAL_EXPIRATION=" << format_iso8601(*c.expiration()) << "\n";
  }
  if (c.account_id()) {
    std::cout << "export AWS_ACCOUNT_ID=" << shell_quote(*c.account_id()) << "\n";
  }
}

}  // namespace

const CommandSpec& creds_spec() {
  static const CommandSpec kSpec{
      .name = "creds",
      .summary = "resolve credentials through the default chain and print them",
      .synopsis = "[--profile NAME] [--format process|env|json]",
      .description =
          "Resolves credentials through the default chain (environment, web identity, role "
          "profiles, shared files, credential_process, container endpoint, instance metadata) "
          "and prints them on stdout; nothing else goes to stdout, so awsauth can be another "
          "tool's credential_process.",
      .options = {default_chain_profile_option(),
                  {.name = "format",
                   .value_name = "FORMAT",
                   .meaning = "process: the credential_process JSON; env: export lines for a POSIX "
                              "shell; json: the process JSON plus AccountId and ProviderName",
                   .default_text = "process",
                   .choices = {"process", "env", "json"}}},
      .environment =
          [] {
            auto env = default_chain_environment();
            env.push_back(
                {"AWS_CA_BUNDLE, HTTPS_PROXY, HTTP_PROXY, NO_PROXY",
                 "TLS trust and proxy of the STS calls (the lower-case proxy names too)"});
            return env;
          }(),
      .exit_codes = {{0, "credentials printed"},
                     {1,
                      "no credentials found (every provider tried is listed with its reason) "
                      "or a provider failed (a malformed file is named with its line)"},
                     {2, "usage error"}},
      .examples = {"eval \"$(awsauth creds --profile deploy --format env)\"",
                   "awsauth creds --format json"},
  };
  return kSpec;
}

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
    const CredentialsPtr credentials = provider->get();
    switch (options->format) {
      case Format::Process:
        print_json(*credentials, false);
        break;
      case Format::Json:
        print_json(*credentials, true);
        break;
      case Format::Env:
        print_env(*credentials);
        break;
    }
    std::cout.flush();
    return std::cout.good() ? 0 : 1;
  } catch (const NoCredentialsError& e) {
    std::cerr << "awsauth creds: "
              << (e.kind() == ErrorKind::NotConfigured ? "no credentials found"
                                                       : "credentials could not be resolved")
              << "; providers tried:\n";
    for (const auto& attempt : e.attempts()) {
      std::cerr << "  " << provider_label(attempt.provider) << ": " << message_line(attempt.reason)
                << "\n";
    }
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
