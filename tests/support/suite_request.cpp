#include "suite_request.hpp"

#include <algorithm>
#include <cctype>

namespace awsauth::test {

SuiteRequest parse_suite_request(const std::string& text) {
  SuiteRequest out;
  auto line_end = text.find('\n');
  std::string first = text.substr(0, line_end);
  // The target may hold a literal space (get-space-*): drop the version, do not split.
  const std::string suffix = " HTTP/1.1";
  if (first.size() >= suffix.size() &&
      first.compare(first.size() - suffix.size(), suffix.size(), suffix) == 0) {
    first.resize(first.size() - suffix.size());
  }
  const auto sp = first.find(' ');
  out.request.method = first.substr(0, sp);
  const std::string target = first.substr(sp + 1);
  const auto q = target.find('?');
  out.request.path = target.substr(0, q);
  if (q != std::string::npos) {
    out.request.query = target.substr(q + 1);
  }
  std::size_t pos = line_end + 1;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) {
      end = text.size();
    }
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      out.body = pos <= text.size() ? text.substr(std::min(pos, text.size())) : "";
      break;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      out.request.headers.back().value += "\n" + line;
      continue;
    }
    const auto colon = line.find(':');
    out.request.headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
  }
  for (const auto& h : out.request.headers) {
    std::string lower = h.name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "host") {
      out.request.host = h.value;
    }
  }
  return out;
}

}  // namespace awsauth::test
