#include "python_oracle.hpp"

#include <Poco/JSON/Parser.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "paths.hpp"

namespace awsauth::test {

std::vector<Poco::JSON::Object::Ptr> run_json_lines_oracle(const std::string& script,
                                                           const std::string& args,
                                                           const std::optional<std::string>& input,
                                                           const std::string& python) {
  std::string cmd = python + " '" + source_dir() + "/tests/differential/" + script + "'";
  if (!args.empty()) cmd += " " + args;
  std::filesystem::path input_file;
  if (input) {
    input_file = std::filesystem::temp_directory_path() /
                 ("awsauth-oracle-" + std::to_string(::getpid()) + "-" + script + ".in");
    std::ofstream(input_file, std::ios::binary) << *input;
    cmd += " < '" + input_file.string() + "'";
  }
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("cannot start " + python);
  std::string text;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  const int status = ::pclose(p);
  if (input) std::filesystem::remove(input_file);
  if (status != 0) {
    throw std::runtime_error("oracle " + script + " failed (exit status " + std::to_string(status) +
                             "): is its Python package (botocore, " + "awscrt) importable by " +
                             python + "?");
  }
  std::vector<Poco::JSON::Object::Ptr> out;
  std::istringstream lines(text);
  std::string line;
  Poco::JSON::Parser parser;
  while (std::getline(lines, line)) {
    parser.reset();
    out.push_back(parser.parse(line).extract<Poco::JSON::Object::Ptr>());
  }
  return out;
}

}  // namespace awsauth::test
