// docs/cli.md and the parser agree: each command's section has an options table, and its rows
// are exactly the command's option table (names, short aliases, value names, defaults, the
// accepted values named in the meaning).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "paths.hpp"

namespace {

using awsauth::cli::CommandSpec;
using awsauth::cli::OptionSpec;

constexpr const char* kTableHeader = "| option | value | default | meaning |";

std::vector<std::string> doc_lines() {
  std::ifstream in(awsauth::test::source_dir() + "/docs/cli.md");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t i = 1; i < row.size(); ++i) {  // row starts with '|'
    if (row[i] == '|') {
      const auto first = cell.find_first_not_of(' ');
      const auto last = cell.find_last_not_of(' ');
      out.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return out;
}

std::string unquoted(const std::string& cell) {
  if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
    return cell.substr(1, cell.size() - 2);
  }
  return cell == "—" ? "" : cell;
}

/// One row as the parser's table would write it: "-H --header 'Name: value' | default".
std::string describe(const OptionSpec& o) {
  std::string out;
  if (o.short_name != '\0') out += std::string{'-', o.short_name} + " ";
  out += "--" + o.name + " | " + (o.takes_value ? o.value_name : "") + " | " + o.default_text;
  return out;
}

/// The rows of the options table in the section headed "## `<program>`".
std::vector<std::vector<std::string>> documented_rows(const std::vector<std::string>& lines,
                                                      const std::string& program) {
  const std::string heading = "## `" + program + "`";
  std::size_t i = 0;
  while (i < lines.size() && lines[i] != heading) ++i;
  if (i == lines.size()) {
    ADD_FAILURE() << "docs/cli.md has no section '" << heading << "'";
    return {};
  }
  while (i < lines.size() && lines[i] != kTableHeader) {
    if (++i < lines.size() && lines[i].rfind("## ", 0) == 0) i = lines.size();
  }
  if (i == lines.size()) {
    ADD_FAILURE() << "section '" << heading << "' has no table '" << kTableHeader << "'";
    return {};
  }
  std::vector<std::vector<std::string>> rows;
  for (i += 2; i < lines.size() && lines[i].rfind("|", 0) == 0; ++i)
    rows.push_back(cells(lines[i]));
  return rows;
}

void expect_table_matches(const std::vector<std::string>& lines, const CommandSpec& spec) {
  const auto rows = documented_rows(lines, spec.program());
  const auto options = spec.accepted_options();
  std::vector<std::string> documented;
  std::vector<std::string> parsed;
  const std::regex option_word("`(-[A-Za-z]|--[a-z0-9-]+)`");
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 4u) << spec.program() << ": " << row.front();
    std::string names;
    for (std::sregex_iterator it(row[0].begin(), row[0].end(), option_word), end; it != end; ++it) {
      names += (*it)[1].str() + " ";
    }
    documented.push_back(names + "| " + unquoted(row[1]) + " | " + unquoted(row[2]));
    // Every accepted value of a choice option is named in the meaning.
    for (const auto& o : options) {
      if (names.find("--" + o.name + " ") == std::string::npos) continue;
      for (const auto& choice : o.choices) {
        EXPECT_NE(row[3].find("`" + choice + "`"), std::string::npos)
            << spec.program() << " --" << o.name << ": " << choice;
      }
      if (o.repeatable) {
        EXPECT_NE(row[3].find("repeatable"), std::string::npos) << o.name;
      }
    }
  }
  for (const auto& o : options) parsed.push_back(describe(o));
  EXPECT_EQ(documented, parsed) << "docs/cli.md's table for '" << spec.program()
                                << "' differs from the parser's";
}

TEST(CliDocs, OptionTablesMatchTheParser) {
  const auto lines = doc_lines();
  ASSERT_FALSE(lines.empty());
  expect_table_matches(lines, awsauth::cli::top_level_spec());
  for (const auto& command : awsauth::cli::commands()) expect_table_matches(lines, command.spec());
}

}  // namespace

namespace {

/// Every source file of the library (providers/, core/) and `awsauth sign`'s own reader.
std::string library_sources() {
  std::string all;
  for (const char* dir : {"/providers", "/core"}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(awsauth::test::source_dir() + dir)) {
      const auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
      std::ifstream in(entry.path());
      all += std::string(std::istreambuf_iterator<char>(in), {});
    }
  }
  std::ifstream sign(awsauth::test::source_dir() + "/cli/sign.cpp");
  std::string text(std::istreambuf_iterator<char>(sign), {});
  // Only its getenv calls: the help strings in sign.cpp name the variables too.
  for (auto p = text.find("getenv(\""); p != std::string::npos; p = text.find("getenv(\"", p + 1)) {
    all += text.substr(p + 7, text.find(')', p) - p - 7);
  }
  return all;
}

// The help names only variables the code really reads (as a quoted name in the library, or
// sign's getenv), so a renamed or dropped variable cannot linger in the help.
TEST(CliHelp, EveryEnvironmentVariableItNamesIsReadByTheCode) {
  const std::string sources = library_sources();
  for (const auto& command : awsauth::cli::commands()) {
    for (const auto& env : command.spec().environment) {
      std::istringstream names(env.names);
      for (std::string name; std::getline(names, name, ',');) {
        name.erase(0, name.find_first_not_of(' '));
        EXPECT_NE(sources.find("\"" + name + "\""), std::string::npos)
            << command.spec().name << ": " << name;
      }
    }
  }
}

}  // namespace
