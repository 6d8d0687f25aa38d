// Parsing `awsauth curl`'s options: the contract in docs/cli.md, kept exactly.

#include "curl_options.hpp"

#include <string_view>

#include "awsauth/http.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/url.hpp"
#include "header_line.hpp"

namespace awsauth::cli {

const char* const kCurlUsage =
    "usage: awsauth curl [--profile P] [--region R] --service S [-X METHOD] [-H 'Name: value']...\n"
    "                    [-d DATA | --data-binary @FILE] [-o FILE] [-i] [-v] URL\n"
    "\n"
    "Sends one SigV4-signed request with credentials from the default chain.\n"
    "  --profile P        use profile P (default: AWS_PROFILE, else 'default')\n"
    "  --region R         signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)\n"
    "  --service S        signing service name (s3 applies S3's signing rules)\n"
    "  -X METHOD          request method (default: POST with a body, else GET)\n"
    "  -H 'Name: value'   add a header (repeatable)\n"
    "  -d DATA            send DATA as the body (Content-Type defaults to\n"
    "                     application/x-www-form-urlencoded)\n"
    "  --data-binary @FILE  send FILE's bytes as the body\n"
    "  -o FILE            write the body to FILE instead of stdout\n"
    "  -i                 print the status line and response headers before the body\n"
    "  -v                 describe the signing and the exchange on stderr (no secrets)\n"
    "exit codes: 0 success, 1 no credentials or network error, 2 usage error, 3 HTTP status >= "
    "400\n";

CurlOptions parse_curl_options(const Args& args) {
  CurlOptions o;
  bool have_url = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= args.size()) throw CurlUsageError(std::string(flag) + " needs a value");
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (a == "--profile") {
      o.profile = value("--profile");
    } else if (a == "--region") {
      o.region = value("--region");
    } else if (a == "--service") {
      o.service = value("--service");
    } else if (a == "-X" || a == "--request") {
      o.method = value("-X");
      if (o.method->empty()) throw CurlUsageError("-X needs a method name");
      if (!is_http_token(*o.method)) {
        throw CurlUsageError("-X '" + printable(*o.method, 64) + "' is not a valid method name");
      }
    } else if (a == "-H" || a == "--header") {
      const std::string h = value("-H");
      auto parts = split_header_line(h);
      if (!parts || parts->first.empty()) {
        throw CurlUsageError("-H '" + printable(h) + "': expected 'Name: value'");
      }
      try {
        validate_header(parts->first, parts->second);
      } catch (const HttpError& e) {
        throw CurlUsageError(std::string("-H: ") + e.what());
      }
      o.headers.push_back(std::move(*parts));
    } else if (a == "-d" || a == "--data") {
      if (o.data || o.data_file) throw CurlUsageError("give one body: -d or --data-binary");
      o.data = value("-d");
    } else if (a == "--data-binary") {
      if (o.data || o.data_file) throw CurlUsageError("give one body: -d or --data-binary");
      const std::string v = value("--data-binary");
      if (v.size() < 2 || v.front() != '@') {
        throw CurlUsageError("--data-binary takes @FILE");
      }
      o.data_file = v.substr(1);
    } else if (a == "-o" || a == "--output") {
      o.output = value("-o");
    } else if (a == "-i" || a == "--include") {
      o.include = true;
    } else if (a == "-v" || a == "--verbose") {
      o.verbose = true;
    } else if (a.size() > 1 && a.front() == '-') {
      throw CurlUsageError("unknown option '" + printable(a, 64) + "'");
    } else {
      if (have_url) {
        throw CurlUsageError("more than one URL ('" + printable_url(o.url) + "', '" +
                             printable_url(a) + "')");
      }
      o.url = a;
      have_url = true;
    }
  }
  if (o.help) return o;
  if (!have_url) throw CurlUsageError("missing URL");
  if (o.url.rfind("http://", 0) != 0 && o.url.rfind("https://", 0) != 0) {
    throw CurlUsageError("URL '" + printable_url(o.url) + "' must start with http:// or https://");
  }
  // What the HTTP client would refuse later (a space, a control character, a bad %-escape)
  // is a usage error now, before any credentials are looked up.
  std::string url_error;
  if (!parse_http_url(o.url, url_error)) {
    throw CurlUsageError("URL '" + printable_url(o.url) + "' cannot be sent: " + url_error);
  }
  if (o.service.empty()) throw CurlUsageError("--service is required (e.g. --service sts)");
  return o;
}

}  // namespace awsauth::cli
