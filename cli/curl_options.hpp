#pragma once
// `awsauth curl`'s command line, parsed into a plain value (curl's own option spellings).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "args.hpp"
#include "commands.hpp"

namespace awsauth::cli {

/// A command line `awsauth curl` cannot run: exit code 2, the message says what was wrong.
using CurlUsageError = UsageError;

struct CurlOptions {
  std::optional<std::string> profile;
  std::optional<std::string> region;
  std::string service;
  std::optional<std::string> method;  ///< -X; default POST with a body, else GET
  std::vector<std::pair<std::string, std::string>> headers;  ///< -H, in order
  std::optional<std::string> data;                           ///< -d DATA (sent as given)
  std::optional<std::string> data_file;                      ///< --data-binary @FILE
  std::optional<std::string> upload_file;                    ///< --upload-file FILE (aws-chunked)
  std::size_t chunk_size = 65536;                            ///< --chunk-size N
  std::optional<std::string> checksum;                       ///< --checksum ALG (lowercase)
  bool unsigned_payload = false;                             ///< --unsigned-payload
  std::optional<std::string> output;                         ///< -o FILE
  bool include = false;                                      ///< -i
  bool verbose = false;                                      ///< -v
  bool help = false;
  std::string url;

  /// The method to send: -X, else PUT with --upload-file (curl's -T), else POST when there is
  /// a body, else GET (as curl does).
  [[nodiscard]] std::string effective_method() const {
    if (method) return *method;
    if (upload_file) return "PUT";
    return (data || data_file) ? "POST" : "GET";
  }
};

/// Checks the parsed arguments after `curl` (curl_spec()'s options). Throws CurlUsageError.
[[nodiscard]] CurlOptions read_curl_options(const ParsedArgs& parsed);

/// Parses and checks the arguments after `curl`; `help` is set for --help / -h, and nothing
/// else is checked then. Throws CurlUsageError.
[[nodiscard]] CurlOptions parse_curl_options(const Args& args);

}  // namespace awsauth::cli
