#include "args.hpp"

namespace awsauth::cli {

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
    throw UsageError("missing required option --" + name);
  }
  return *v;
}

const std::vector<std::string>& ParsedArgs::values(const std::string& name) const {
  static const std::vector<std::string> kNone;
  auto it = values_.find(name);
  return it == values_.end() ? kNone : it->second;
}

ParsedArgs parse_args(const Args& args, const std::vector<OptionSpec>& specs) {
  ParsedArgs out;
  auto find_long = [&](const std::string& name) -> const OptionSpec* {
    for (const auto& s : specs) {
      if (s.name == name) return &s;
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
      if (arg.size() > 2) {
        inline_value = arg.substr(2);
      }
    }
    if (spec == nullptr) {
      throw UsageError("unknown option " + shown);
    }
    auto& slot = out.values_[spec->name];
    if (!spec->repeatable && !slot.empty()) {
      throw UsageError("option " + shown + " given more than once");
    }
    if (!spec->takes_value) {
      if (inline_value) {
        throw UsageError("option " + shown + " takes no value");
      }
      slot.emplace_back();
      continue;
    }
    if (inline_value) {
      slot.push_back(*inline_value);
    } else if (i + 1 < args.size()) {
      slot.push_back(args[++i]);
    } else {
      throw UsageError("option " + shown + " needs a value");
    }
  }
  return out;
}

}  // namespace awsauth::cli
