#include "creds_contract.hpp"

#include <iostream>

#include "awsauth/printable.hpp"
#include "chain_environment.hpp"
#include "commands.hpp"
#include "quoting.hpp"

namespace awsauth::cli {
namespace {

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
    options.format = CredsFormat::Env;
  } else if (format == "json") {
    options.format = CredsFormat::Json;
  }
  return options;
}

int print_creds(const Credentials& credentials, CredsFormat format) {
  switch (format) {
    case CredsFormat::Process:
      print_json(credentials, false);
      break;
    case CredsFormat::Json:
      print_json(credentials, true);
      break;
    case CredsFormat::Env:
      print_env(credentials);
      break;
  }
  std::cout.flush();
  return std::cout.good() ? 0 : 1;
}

}  // namespace awsauth::cli
