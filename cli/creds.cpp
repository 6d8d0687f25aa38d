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
#include "awsauth/provider.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "commands.hpp"
#include "quoting.hpp"

namespace awsauth::cli {
namespace {

constexpr std::string_view kCredsUsage =
    "usage: awsauth creds [--profile NAME] [--format process|env|json]\n"
    "\n"
    "Resolves credentials through the default chain and prints them:\n"
    "  process  the credential_process JSON (default; use awsauth as a credential_process)\n"
    "  env      export lines for a POSIX shell\n"
    "  json     the credential_process JSON plus the provider's name\n";

enum class Format { Process, Env, Json };

struct CredsOptions {
  std::optional<std::string> profile;
  Format format = Format::Process;
};

// Throws UsageError; sets `help` when --help was given.
CredsOptions parse(const Args& args, bool& help) {
  const auto parsed = parse_args(args, {{"profile"}, {"format"}, {"help", 'h', false}});
  CredsOptions options;
  help = parsed.has("help");
  if (!parsed.positionals().empty()) {
    throw UsageError("unexpected argument '" + parsed.positionals().front() + "'");
  }
  if (const auto profile = parsed.value("profile")) {
    if (profile->empty()) throw UsageError("--profile needs a non-empty name");
    options.profile = *profile;
  }
  const std::string format = parsed.value("format").value_or("process");
  if (format == "process") {
    options.format = Format::Process;
  } else if (format == "env") {
    options.format = Format::Env;
  } else if (format == "json") {
    options.format = Format::Json;
  } else {
    throw UsageError("invalid --format '" + format + "' (expected process, env or json)");
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

int run_creds(const Args& args) {
  bool help = false;
  std::optional<CredsOptions> options;
  try {
    options = parse(args, help);
  } catch (const UsageError& e) {
    std::cerr << "awsauth creds: " << message_line(e.what()) << "\n" << kCredsUsage;
    return 2;
  }
  if (help) {
    std::cout << kCredsUsage;
    return 0;
  }

  try {
    // The library's one-call entry point: the default chain behind the cache, resolved once.
    const auto provider = providers::make_default_credentials_provider(
        Context::system(), {.profile = options->profile});
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
