#pragma once
// The one argument parser of the awsauth commands. A command declares its options in a
// CommandSpec; the same table drives parsing (`--flag value`, `--flag=value`, `-H value`,
// `-Hvalue`, repeatable flags, `--` ends the options), the typo suggestion of a usage error and
// the help text, so the three cannot disagree.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"

namespace awsauth::cli {

/// Exit code of every usage error, of every command.
constexpr int kExitUsage = 2;

/// A usage mistake (unknown flag, missing value, bad value). run_command prints it in the one
/// style (`awsauth CMD: <message>` then a pointer at `awsauth CMD --help`) and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One accepted option, as parsed and as documented.
struct OptionSpec {
  std::string name;                  ///< long name without dashes: "method"
  char short_name = '\0';            ///< optional one-letter alias: 'H'
  bool takes_value = true;           ///< false: a switch such as --s3
  bool repeatable = false;           ///< may be given several times (values kept in order)
  std::string value_name;            ///< what the value is, for the help: "NAME", "'Name: value'"
  std::string meaning;               ///< one sentence for the help and docs/cli.md
  std::string default_text;          ///< the default as the help states it; "" when none
  std::vector<std::string> choices;  ///< the accepted values; empty: any value
};

/// An environment variable a command reads (or a group read together), for the help.
struct EnvironmentSpec {
  std::string names;  ///< "AWS_REGION, AWS_DEFAULT_REGION"
  std::string meaning;
};

struct ExitCodeSpec {
  int code;
  std::string meaning;
};

/// Everything `awsauth NAME --help` says, and the options it accepts.
struct CommandSpec {
  std::string name;      ///< "creds"; "" for the top level (`awsauth` itself)
  std::string summary;   ///< one line, for the top-level command list
  std::string synopsis;  ///< the usage after "usage: awsauth NAME " (may span lines)
  std::string description;
  std::vector<OptionSpec> options;
  std::vector<EnvironmentSpec> environment;
  std::vector<ExitCodeSpec> exit_codes;
  std::vector<std::string> examples;  ///< command lines, one per entry

  /// "awsauth creds" (or "awsauth" for the top level): the prefix of its messages.
  [[nodiscard]] std::string program() const;
  /// `options` plus `-h, --help`, which every command accepts: what is parsed and documented.
  [[nodiscard]] std::vector<OptionSpec> accepted_options() const;
};

/// The parsed command line.
class ParsedArgs {
 public:
  [[nodiscard]] bool has(const std::string& name) const { return values_.count(name) > 0; }
  /// The value of a non-repeatable option, if given.
  [[nodiscard]] std::optional<std::string> value(const std::string& name) const;
  /// The value of a required option; throws UsageError naming it when absent.
  [[nodiscard]] std::string required(const std::string& name) const;
  /// Every value of a repeatable option, in command-line order.
  [[nodiscard]] const std::vector<std::string>& values(const std::string& name) const;
  /// The arguments that are not options (and everything after `--`), in order.
  [[nodiscard]] const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  friend ParsedArgs parse_args(const Args&, const std::vector<OptionSpec>&);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

/// Parses `args` against `specs`. `--` ends the options; a value is taken as given even when
/// it starts with a dash (`--data -x`). Throws UsageError, with a suggestion for a typo.
[[nodiscard]] ParsedArgs parse_args(const Args& args, const std::vector<OptionSpec>& specs);

/// The closest of `candidates` to `typed`: Damerau-Levenshtein distance at most 2 (and less
/// than the length of `typed`), else the only candidate `typed` is a prefix of; nullopt when
/// nothing is close.
[[nodiscard]] std::optional<std::string> closest_match(std::string_view typed,
                                                       const std::vector<std::string>& candidates);

/// `awsauth NAME --help`: usage, description, every option with its meaning and default, the
/// environment variables, the exit codes and the examples.
[[nodiscard]] std::string help_text(const CommandSpec& command);

/// Prints a usage error in the one style on stderr and returns kExitUsage:
///   awsauth CMD: <message>
///   Run 'awsauth CMD --help' for the options.
int report_usage_error(const CommandSpec& command, std::string_view message);

/// The shape of every command: parses `args` against `command.options`, prints the help on
/// stdout (exit 0) for `--help` / `-h`, runs `body` otherwise. A UsageError from the parser or
/// from `body` is reported by report_usage_error (exit 2).
template <typename Body>
int run_command(const CommandSpec& command, const Args& args, Body&& body);

/// Non-template part of run_command.
[[nodiscard]] std::optional<int> parse_or_help(const CommandSpec& command, const Args& args,
                                               ParsedArgs& parsed);

template <typename Body>
int run_command(const CommandSpec& command, const Args& args, Body&& body) {
  try {
    ParsedArgs parsed;
    if (auto done = parse_or_help(command, args, parsed)) return *done;
    return body(parsed);
  } catch (const UsageError& e) {
    return report_usage_error(command, e.what());
  }
}

}  // namespace awsauth::cli
