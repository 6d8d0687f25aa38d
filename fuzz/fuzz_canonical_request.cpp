// SigV4 canonicalization from a raw request: "METHOD SP target" then "name: value" lines, as a
// request arrives on the wire. Every step (path, query, headers, the canonical request) runs
// with the default and the S3 settings; SigningError is the only failure allowed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/signer/canonical.hpp"
#include "awsauth/signer/request.hpp"
#include "awsauth/signer/settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace s = awsauth::signer;
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  const auto next_line = [&raw]() {
    const auto lf = raw.find('\n');
    std::string_view line = raw.substr(0, lf);
    raw = lf == std::string_view::npos ? std::string_view() : raw.substr(lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };
  const std::string_view request_line = next_line();
  const auto space = request_line.find(' ');
  const std::string_view method = request_line.substr(0, space);
  const std::string_view target =
      space == std::string_view::npos ? std::string_view() : request_line.substr(space + 1);
  const auto q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  std::vector<s::Header> headers;
  while (!raw.empty()) {
    const std::string_view line = next_line();
    const auto colon = line.find(':');
    headers.push_back({std::string(line.substr(0, colon)),
                       colon == std::string_view::npos ? "" : std::string(line.substr(colon + 1))});
  }
  try {
    const auto canonical_headers = s::canonical_headers(headers);
    const std::string canonical_query = s::canonical_query(query);
    for (const char* service : {"sts", "s3"}) {
      const auto settings = s::SigningSettings::for_service("us-east-1", service);
      (void)s::canonical_request(method, s::canonical_uri(path, settings), canonical_query,
                                 canonical_headers, "UNSIGNED-PAYLOAD");
    }
    (void)s::normalize_path(path);
  } catch (const s::SigningError&) {
  }
  return 0;
}
