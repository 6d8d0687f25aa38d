#include "awsauth/providers/profile/profile_parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "awsauth/detail/ascii.hpp"

namespace awsauth::providers {

ProfileParseError::ProfileParseError(std::string file, int line, std::string message)
    : std::runtime_error(file + ":" + std::to_string(line) + ": " + message),
      file_(std::move(file)),
      line_(line),
      message_(std::move(message)) {}

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_comment_char(char c) { return c == '#' || c == ';'; }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Trims, then cuts a trailing comment. In a property line a comment needs whitespace before its
// `#`/`;` ("value; x" keeps the `; x`); in a section line it does not ("[profile a]; x").
std::string_view strip_comment(std::string_view line, bool comment_needs_whitespace) {
  line = trim_blanks(line);
  bool prev_blank = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (is_comment_char(line[i]) && (prev_blank || !comment_needs_whitespace)) {
      return trim_blanks(line.substr(0, i));
    }
    prev_blank = is_space(line[i]);
  }
  return line;
}

// Names of profiles, sso-sessions and properties: letters, digits and `_-/.%@:+`.
bool is_identifier(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("_-/.%@:+").find(c) != std::string_view::npos;
  });
}

// A `k = v` line. Errors name the kind of line ("property" or "sub-property").
struct KeyValue {
  std::string key;
  std::string_view value;
};
enum class KeyValueError { None, NoEquals, NoName };

KeyValueError split_key_value(std::string_view line, KeyValue& out) {
  line = strip_comment(line, true);
  const auto eq = line.find('=');
  if (eq == std::string_view::npos) return KeyValueError::NoEquals;
  const auto key = trim_blanks(line.substr(0, eq));
  if (key.empty()) return KeyValueError::NoName;
  out.key = awsauth::detail::ascii_lower(key);
  out.value = trim_blanks(line.substr(eq + 1));
  return KeyValueError::None;
}

// The file as written: sections in order, before names are validated.
struct RawSection {
  std::string header;  // between the brackets, comment removed
  int line = 0;        // 1-based line of the header
  std::vector<std::pair<std::string, ProfileValue>> properties;
};

class RawParser {
 public:
  RawParser(std::string_view file) : file_(file) {}

  std::vector<RawSection> parse(std::string_view text) {
    int number = 0;
    while (!text.empty() || number == 0) {
      const auto nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      ++number;
      read_line(line, number);
      if (nl == std::string_view::npos) break;
    }
    return std::move(sections_);
  }

 private:
  [[noreturn]] void fail(int line, std::string message) const {
    throw ProfileParseError(std::string(file_), line, std::move(message));
  }

  void read_line(std::string_view line, int number) {
    if (trim_blanks(line).empty() || is_comment_char(line.front())) return;
    if (line.front() == '[') {
      read_section(line, number);
    } else if (is_blank(line.front())) {
      read_continuation(line, number);
    } else {
      read_property(line, number);
    }
  }

  void read_section(std::string_view line, int number) {
    line = strip_comment(line, false);
    if (line.size() < 2 || line.back() != ']') fail(number, "Profile definition must end with ']'");
    sections_.push_back({std::string(line.substr(1, line.size() - 2)), number, {}});
    property_ = std::nullopt;
  }

  void read_property(std::string_view line, int number) {
    if (sections_.empty()) fail(number, "Expected a profile definition");
    KeyValue kv;
    switch (split_key_value(line, kv)) {
      case KeyValueError::NoEquals:
        fail(number, "Expected an '=' sign defining a property");
      case KeyValueError::NoName:
        fail(number, "Property did not have a name");
      case KeyValueError::None:
        break;
    }
    auto& props = sections_.back().properties;
    props.emplace_back(kv.key, ProfileValue{std::string(kv.value), std::string(file_), number});
    property_ = props.size() - 1;
    sub_properties_ = kv.value.empty();
  }

  void read_continuation(std::string_view line, int number) {
    if (sections_.empty()) fail(number, "Expected a profile definition");
    if (!property_) fail(number, "Expected a property definition, found continuation");
    line = trim_spaces(line);
    if (sub_properties_) {
      KeyValue kv;
      switch (split_key_value(line, kv)) {
        case KeyValueError::NoEquals:
          fail(number, "Expected an '=' sign defining a sub-property");
        case KeyValueError::NoName:
          fail(number, "Sub-property did not have a name");
        case KeyValueError::None:
          break;
      }
    }
    auto& value = sections_.back().properties[*property_].second.value;
    value += '\n';
    value += line;
  }

  std::string_view file_;
  std::vector<RawSection> sections_;
  std::optional<std::size_t> property_;  // index in the last section of the open property
  bool sub_properties_ = false;
};

// A section header split into its prefix and name: "profile foo" -> ("profile", "foo").
struct SectionName {
  std::string_view prefix;  // "profile", "sso-session", "services" or empty
  std::string_view name;
};

SectionName split_header(std::string_view header) {
  header = trim_blanks(header);
  for (std::string_view prefix : {std::string_view("profile"), std::string_view("sso-session"),
                                  std::string_view("services")}) {
    // "[profilefoo]" has no prefix: the prefix must be followed by whitespace.
    if (header.size() > prefix.size() && header.substr(0, prefix.size()) == prefix &&
        is_blank(header[prefix.size()])) {
      return {prefix, trim_blanks(header.substr(prefix.size()))};
    }
  }
  return {{}, header};
}

void merge_properties(Profile& target, const RawSection& raw) {
  for (const auto& [key, value] : raw.properties) {
    if (is_identifier(key)) target.properties[key] = value;
  }
}

}  // namespace

ProfileSet parse_profile_file(std::string_view text, std::string_view file_name,
                              ProfileFileKind kind) {
  const std::vector<RawSection> raw = RawParser(file_name).parse(text);

  std::vector<std::pair<SectionName, const RawSection*>> sections;
  bool prefixed_default = false;
  for (const auto& section : raw) {
    const SectionName name = split_header(section.header);
    sections.emplace_back(name, &section);
    if (kind == ProfileFileKind::Config && name.prefix == "profile" && name.name == "default") {
      prefixed_default = true;
    }
  }

  ProfileSet set;
  for (const auto& [name, section] : sections) {
    if (!is_identifier(name.name)) continue;
    std::map<std::string, Profile, std::less<>>* target = &set.profiles;
    if (kind == ProfileFileKind::Config) {
      if (name.prefix == "sso-session") {
        target = &set.sso_sessions;
      } else if (name.prefix == "services") {
        target = &set.services;
      } else if (name.prefix.empty()) {
        // Only `[default]` may omit the prefix in the config file, and `[profile default]`
        // replaces it entirely when both are written.
        if (name.name != "default" || prefixed_default) continue;
      }
    } else if (!name.prefix.empty()) {
      // `[profile foo]` in the credentials file is not a profile (the SDKs ignore it); kept
      // aside so a missing `foo` can say what was probably meant.
      if (name.prefix == "profile") {
        set.prefixed_in_credentials.try_emplace(std::string(name.name), section->line);
      }
      continue;
    }
    auto [it, inserted] = target->try_emplace(std::string(name.name));
    if (inserted) it->second.name = std::string(name.name);
    merge_properties(it->second, *section);
  }
  return set;
}

ProfileSet merge_profile_sets(const ProfileSet& config, const ProfileSet& credentials) {
  ProfileSet merged = config;
  for (const auto& [name, profile] : credentials.profiles) {
    auto [it, inserted] = merged.profiles.try_emplace(name, profile);
    if (!inserted) {
      for (const auto& [key, value] : profile.properties) it->second.properties[key] = value;
    }
  }
  for (const auto& [name, session] : credentials.sso_sessions) {
    merged.sso_sessions.try_emplace(name, session);
  }
  // `[services NAME]` sections exist only in the config file, already copied above.
  return merged;
}

}  // namespace awsauth::providers
