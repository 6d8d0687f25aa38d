// `awsauth` itself: the command table, the top-level help and the dispatch to a command.

#include <iostream>
#include <optional>
#include <string>

#include "args.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/version.hpp"
#include "commands.hpp"
#include "quoting.hpp"

namespace awsauth::cli {
namespace {

std::optional<Command> find_command(const std::string& name) {
  for (const auto& c : commands()) {
    if (c.spec().name == name) return c;
  }
  return std::nullopt;
}

/// "unknown command 'sgin' (did you mean 'sign'?)", suggesting a command name (or help).
std::string unknown_command(const std::string& typed) {
  std::vector<std::string> names{"help"};
  for (const auto& c : commands()) names.push_back(c.spec().name);
  const auto close = closest_match(typed, names);
  return "unknown command '" + printable(typed) + "'" +
         (close ? " (did you mean '" + *close + "'?)" : "");
}

/// The top-level help: the usage, one line per command, the options, exit codes, examples.
std::string top_level_help() {
  std::string commands_text;
  for (const auto& c : commands()) {
    std::string line = "  " + c.spec().name;
    line.resize(10, ' ');
    commands_text += line + c.spec().summary + "\n";
  }
  std::string help = help_text(top_level_spec());
  // The command list goes right after the usage and description, before the options.
  const auto at = help.find("\noptions:\n");
  return help.insert(at, "\ncommands:\n" + commands_text +
                             "\nRun 'awsauth help COMMAND' or 'awsauth COMMAND --help' for a "
                             "command's options,\ndefaults, environment variables and exit "
                             "codes.\n");
}

int print(const std::string& text) {
  std::cout << text;
  std::cout.flush();
  return std::cout.good() ? 0 : 1;
}

}  // namespace

const std::vector<Command>& commands() {
  // One row per command; the top-level help lists them in this order.
  static const std::vector<Command> kTable = {
      {sign_spec, run_sign},   {creds_spec, run_creds}, {curl_spec, run_curl},
      {which_spec, run_which}, {sso_spec, run_sso},     {explain_spec, run_explain},
      {serve_spec, run_serve},
  };
  return kTable;
}

const CommandSpec& top_level_spec() {
  static const CommandSpec kSpec{
      .name = "",
      .summary = "",
      .synopsis =
          "<command> [options]\n"
          "       awsauth help [COMMAND]\n"
          "       awsauth --help | --version",
      .description =
          "Finds AWS credentials the way the AWS SDKs do and signs HTTP requests "
          "with SigV4.",
      .options = {{.name = "version",
                   .takes_value = false,
                   .meaning = "print the version on stdout and exit 0"}},
      .environment = {},
      .exit_codes = {{0, "success (a command's own codes are in its help)"},
                     {1, "a runtime failure: no credentials, a network error"},
                     {2, "usage error: no or unknown command, unknown option, missing value"}},
      .examples = {"eval \"$(awsauth creds --format env)\"", "awsauth help curl"},
  };
  return kSpec;
}

int run_awsauth(const Args& args) {
  const CommandSpec& top = top_level_spec();
  if (args.empty()) return report_usage_error(top, "missing command");
  const std::string& first = args.front();
  const Args rest(args.begin() + 1, args.end());
  if (auto command = find_command(first)) return command->run(rest);
  if (first == "help") {
    if (rest.empty()) return print(top_level_help());
    if (rest.size() > 1) return report_usage_error(top, "help takes one command name");
    if (auto command = find_command(rest.front())) return print(help_text(command->spec()));
    return report_usage_error(top, unknown_command(rest.front()));
  }
  if (first.size() > 1 && first[0] == '-') {
    try {
      const ParsedArgs parsed = parse_args(args, top.accepted_options());
      if (!parsed.positionals().empty()) {
        // `awsauth --version sign`: options of the top level come alone.
        throw UsageError("unexpected argument '" + printable(parsed.positionals().front()) + "'");
      }
      if (parsed.has("help")) return print(top_level_help());
      return print("awsauth " + std::string(version()) + "\n");
    } catch (const UsageError& e) {
      return report_usage_error(top, e.what());
    }
  }
  return report_usage_error(top, unknown_command(first));
}

}  // namespace awsauth::cli
