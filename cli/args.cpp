#include "args.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "awsauth/printable.hpp"
#include "quoting.hpp"

namespace awsauth::cli {
namespace {

constexpr std::size_t kHelpWidth = 100;
constexpr std::size_t kOptionColumn = 30;
constexpr std::size_t kExitCodeColumn = 6;

const OptionSpec kHelpOption{.name = "help",
                             .short_name = 'h',
                             .takes_value = false,
                             .meaning = "print this help on stdout and exit 0"};

/// "a, b or c".
std::string or_list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

/// Optimal string alignment distance: edits, with a swap of two neighbours counted as one.
std::size_t damerau_levenshtein(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

/// " (did you mean '--profile'?)" for an unknown `typed` ("--profle", "-x", "-profile").
std::string suggestion(const std::string& typed, const std::vector<OptionSpec>& specs) {
  std::optional<std::string> found;
  if (typed.rfind("--", 0) == 0) {
    std::vector<std::string> names;
    for (const auto& s : specs) {
      if (!s.name.empty()) names.push_back(s.name);
    }
    if (auto name = closest_match(typed.substr(2), names)) found = "--" + *name;
  } else if (typed.size() == 2) {
    // A short option only suggests its other case (-x for -X): every letter is one edit away.
    for (const auto& s : specs) {
      if (s.short_name != '\0' && s.short_name != typed[1] &&
          std::tolower(static_cast<unsigned char>(s.short_name)) ==
              std::tolower(static_cast<unsigned char>(typed[1]))) {
        found = std::string{'-', s.short_name};
      }
    }
  } else {
    // "-profile": a long option written with one dash.
    std::vector<std::string> names;
    for (const auto& s : specs) {
      if (!s.name.empty()) names.push_back(s.name);
    }
    if (auto name = closest_match(typed.substr(1), names)) found = "--" + *name;
  }
  return found ? " (did you mean '" + *found + "'?)" : "";
}

/// Appends `text` to `out` wrapped at kHelpWidth, every line but the first indented by
/// `indent`; `column` is where the first line starts.
void wrap(std::string& out, const std::string& text, std::size_t column, std::size_t indent) {
  std::istringstream words(text);
  std::string word;
  bool first = true;
  while (words >> word) {
    if (!first && column + 1 + word.size() > kHelpWidth) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
    } else if (!first) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    first = false;
  }
  out += '\n';
}

/// A two-column entry: `left` padded to `column`, then `right` wrapped under itself. A `left`
/// too wide for the column (a list of variables) is wrapped on lines of its own first.
void entry(std::string& out, const std::string& left, const std::string& right,
           std::size_t column = kOptionColumn) {
  if (left.size() + 4 > column) {
    out += "  ";
    wrap(out, left, 2, 2);
    out.append(column, ' ');
  } else {
    out += "  ";
    out += left;
    out.append(column - 2 - left.size(), ' ');
  }
  wrap(out, right, column, column);
}

std::string option_left_column(const OptionSpec& spec) {
  std::string left;
  if (spec.short_name != '\0') left += std::string{'-', spec.short_name};
  if (!spec.name.empty()) left += (left.empty() ? "--" : ", --") + spec.name;
  if (spec.takes_value) left += " " + spec.value_name;
  return left;
}

std::string option_meaning(const OptionSpec& spec) {
  std::string text = spec.meaning;
  if (!spec.choices.empty()) text += "; one of " + or_list(spec.choices);
  if (spec.repeatable) text += " (repeatable)";
  if (!spec.default_text.empty()) text += " (default: " + spec.default_text + ")";
  return text;
}

}  // namespace

std::string CommandSpec::program() const { return name.empty() ? "awsauth" : "awsauth " + name; }

std::vector<OptionSpec> CommandSpec::accepted_options() const {
  std::vector<OptionSpec> all = options;
  all.push_back(kHelpOption);
  return all;
}

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) {
    return std::nullopt;
  }
  return it->second.back();
}

std::string ParsedArgs::required(const std::string& name) const {
  auto v = value(name);
  if (!v) {
    throw UsageError("missing required option '--" + name + "'");
  }
  return *v;
}

const std::vector<std::string>& ParsedArgs::values(const std::string& name) const {
  static const std::vector<std::string> kNone;
  auto it = values_.find(name);
  return it == values_.end() ? kNone : it->second;
}

std::optional<std::string> closest_match(std::string_view typed,
                                         const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const auto& c : candidates) {
    const std::size_t d = damerau_levenshtein(typed, c);
    if (d < best_distance && d < typed.size()) {
      best = c;
      best_distance = d;
    }
  }
  if (best) return best;
  std::optional<std::string> prefixed;
  for (const auto& c : candidates) {
    if (!typed.empty() && c.rfind(typed, 0) == 0) {
      if (prefixed) return std::nullopt;  // ambiguous: say nothing rather than guess
      prefixed = c;
    }
  }
  return prefixed;
}

ParsedArgs parse_args(const Args& args, const std::vector<OptionSpec>& specs) {
  ParsedArgs out;
  auto find_long = [&](const std::string& name) -> const OptionSpec* {
    for (const auto& s : specs) {
      if (!s.name.empty() && s.name == name) return &s;
    }
    return nullptr;
  };
  auto find_short = [&](char c) -> const OptionSpec* {
    for (const auto& s : specs) {
      if (s.short_name != '\0' && s.short_name == c) return &s;
    }
    return nullptr;
  };
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      out.positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    const OptionSpec* spec = nullptr;
    std::optional<std::string> inline_value;
    std::string shown;
    if (arg[1] == '-') {
      std::string name = arg.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name.resize(eq);
      }
      spec = find_long(name);
      shown = "--" + name;
    } else {
      spec = find_short(arg[1]);
      shown = arg.substr(0, 2);
      if (spec == nullptr) shown = arg;  // "-profile" is shown whole
      if (spec != nullptr && arg.size() > 2) inline_value = arg.substr(2);
    }
    // What the user typed is quoted back through printable(): an argument may hold control
    // bytes (a terminal escape), and a usage error must be safe to print as it is.
    shown = printable(shown);
    if (spec == nullptr) {
      throw UsageError("unknown option '" + shown + "'" + suggestion(shown, specs));
    }
    auto& slot = out.values_[spec->name.empty() ? std::string{spec->short_name} : spec->name];
    if (!spec->takes_value) {
      // A switch given twice is still the same switch (curl's `-v -v`).
      if (inline_value) {
        throw UsageError("option '" + shown + "' takes no value");
      }
      slot.emplace_back();
      continue;
    }
    if (!spec->repeatable && !slot.empty()) {
      throw UsageError("option '" + shown + "' given more than once");
    }
    if (inline_value) {
      slot.push_back(*inline_value);
    } else if (i + 1 < args.size()) {
      slot.push_back(args[++i]);
    } else {
      throw UsageError("option '" + shown + "' needs a value (" + spec->value_name + ")");
    }
    if (!spec->choices.empty() &&
        std::find(spec->choices.begin(), spec->choices.end(), slot.back()) == spec->choices.end()) {
      throw UsageError("invalid value '" + printable(slot.back()) + "' for '" + shown +
                       "' (expected " + or_list(spec->choices) + ")");
    }
  }
  return out;
}

std::string help_text(const CommandSpec& command) {
  std::string out = "usage: " + command.program() + " " + command.synopsis + "\n";
  if (!command.description.empty()) {
    out += "\n";
    wrap(out, command.description, 0, 0);
  }
  out += "\noptions:\n";
  for (const auto& spec : command.accepted_options()) {
    entry(out, option_left_column(spec), option_meaning(spec));
  }
  if (!command.environment.empty()) {
    out += "\nenvironment:\n";
    for (const auto& env : command.environment) entry(out, env.names, env.meaning);
  }
  out += "\nexit codes:\n";
  for (const auto& code : command.exit_codes) {
    entry(out, std::to_string(code.code), code.meaning, kExitCodeColumn);
  }
  if (!command.examples.empty()) {
    out += "\nexamples:\n";
    for (const auto& example : command.examples) out += "  " + example + "\n";
  }
  return out;
}

int report_usage_error(const CommandSpec& command, std::string_view message) {
  std::cerr << command.program() << ": " << message_line(message) << "\n"
            << "Run '" << command.program() << " --help' for the "
            << (command.name.empty() ? "commands" : "options") << ".\n";
  return kExitUsage;
}

std::optional<int> parse_or_help(const CommandSpec& command, const Args& args, ParsedArgs& parsed) {
  parsed = parse_args(args, command.accepted_options());
  if (parsed.has("help")) {
    std::cout << help_text(command);
    std::cout.flush();
    return std::cout.good() ? 0 : 1;
  }
  return std::nullopt;
}

}  // namespace awsauth::cli
