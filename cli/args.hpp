#pragma once
// A small argument parser shared by the awsauth subcommands: `--flag value`, `--flag=value`,
// `-H value` / `-Hvalue`, repeatable flags, and usage errors that name the offending flag.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.hpp"

namespace awsauth::cli {

/// A usage mistake (unknown flag, missing value, bad value). Commands print it and exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One accepted option.
struct OptionSpec {
  std::string name;         ///< long name without dashes: "method"
  char short_name = '\0';   ///< optional one-letter alias: 'H'
  bool takes_value = true;  ///< false: a switch such as --s3
  bool repeatable = false;  ///< may be given several times (values kept in order)
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
  [[nodiscard]] const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  friend ParsedArgs parse_args(const Args&, const std::vector<OptionSpec>&);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

/// Parses `args` against `specs`. `--` ends the options. Throws UsageError.
[[nodiscard]] ParsedArgs parse_args(const Args& args, const std::vector<OptionSpec>& specs);

}  // namespace awsauth::cli
