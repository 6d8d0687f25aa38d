// The CLI's `-H 'Name: value'` argument (awsauth curl and awsauth sign): split_header_line
// (cli/header_line.cpp), validate_header (core), and parse_curl_options with the line as -H
// (cli/curl_options.cpp); message_line (cli/quoting.cpp) on every message. The input is the
// argument's bytes.
// Properties: the split name and value are trimmed and rejoin to the argument; what
// validation accepts has a token name and a value with no CR, LF or NUL, and curl keeps it
// unchanged; a refusal never quotes a value of 8 bytes or more; every message is
// terminal-safe after message_line, which leaves already-printable text unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/http.hpp"
#include "awsauth/printable.hpp"
#include "curl_options.hpp"
#include "header_line.hpp"
#include "printable_checks.hpp"
#include "quoting.hpp"

namespace {

namespace cli = awsauth::cli;

bool trimmed(std::string_view s) {
  return s.empty() ||
         (s.front() != ' ' && s.front() != '\t' && s.back() != ' ' && s.back() != '\t');
}

void check_message_line(std::string_view text) {
  const std::string line = cli::message_line(text);
  if (awsauth::fuzz::has_c0_or_del(line) || awsauth::fuzz::has_c1_sequence(line)) std::abort();
}

// What `awsauth curl -H <line> https://h/` does with the line: nullopt when accepted, else
// the usage message.
std::optional<std::string> curl_refusal(const std::string& line, cli::CurlOptions* parsed) {
  try {
    *parsed = cli::parse_curl_options({"--service", "s3", "-H", line, "https://h.example/"});
    return std::nullopt;
  } catch (const cli::CurlUsageError& e) {
    return std::string(e.what());
  }
}

std::string with_value_replaced(std::string_view line, std::size_t colon) {
  std::string out(line);
  for (std::size_t i = colon + 1; i < out.size(); ++i) {
    char& c = out[i];
    if (c != '\r' && c != '\n' && c != '\0' && c != ' ' && c != '\t') c = c == 'Q' ? 'Z' : 'Q';
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  check_message_line(line);
  if (cli::message_line(awsauth::printable(line)) != awsauth::printable(line)) std::abort();

  const auto parts = cli::split_header_line(line);
  const auto colon = line.find(':');
  if (parts.has_value() != (colon != std::string::npos)) std::abort();

  cli::CurlOptions parsed;
  const auto refused = curl_refusal(line, &parsed);
  if (refused) check_message_line(*refused);

  if (!parts) {
    if (!refused) std::abort();  // no colon, no header
    return 0;
  }
  const auto& [name, value] = *parts;
  if (!trimmed(name) || !trimmed(value) || name.find(':') != std::string::npos) std::abort();
  // Trimming only drops blanks around the two halves.
  if (line.substr(0, colon).find(name) == std::string::npos ||
      line.substr(colon + 1).find(value) == std::string::npos) {
    std::abort();
  }

  std::optional<std::string> invalid;
  try {
    awsauth::validate_header(name, value);
  } catch (const awsauth::HttpError& e) {
    invalid = e.what();
    check_message_line(*invalid);
    const auto replaced = with_value_replaced(line, colon);
    const auto other = cli::split_header_line(replaced);
    try {
      awsauth::validate_header(other->first, other->second);
      std::abort();  // the same CR/LF/NUL positions, the same name: refused the same way
    } catch (const awsauth::HttpError& e2) {
      if (awsauth::fuzz::leaks(*invalid, value, e2.what())) std::abort();
    }
  }
  const bool valid = !invalid;
  if (valid) {
    if (!awsauth::is_http_token(name)) std::abort();
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) std::abort();
    if (refused || parsed.headers.size() != 1 || parsed.headers[0] != *parts) std::abort();
    return 0;
  }
  if (!refused) std::abort();  // curl accepted what validate_header refuses
  if (!name.empty()) {
    // A refusal past the split is validate_header's: it must not echo the value.
    const auto without = curl_refusal(with_value_replaced(line, colon), &parsed);
    if (!without || awsauth::fuzz::leaks(*refused, value, *without)) std::abort();
  }
  return 0;
}
