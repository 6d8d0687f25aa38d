// Parsing `awsauth curl`'s options: the contract in docs/cli.md, kept exactly.

#include "curl_options.hpp"

#include <string_view>

#include "awsauth/http.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/signer/chunked.hpp"
#include "awsauth/url.hpp"
#include "chain_environment.hpp"
#include "header_line.hpp"

namespace awsauth::cli {

const CommandSpec& curl_spec() {
  static const CommandSpec kSpec = [] {
    CommandSpec s{
        .name = "curl",
        .summary = "send a signed request and print the response",
        .synopsis =
            "[--profile P] [--region R] --service S [-X METHOD] [-H 'Name: value']...\n"
            "                    [-d DATA | --data-binary @FILE | --upload-file FILE [--chunk-size "
            "N]\n"
            "                    [--checksum ALG [--unsigned-payload]]] [-o FILE] [-i] [-v] URL",
        .description =
            "Sends one SigV4-signed request to URL (http:// or https://, exactly one) with "
            "credentials from the default chain, as 'awsauth creds' finds them, and prints the "
            "response body. HTTPS certificates are always verified; the exchange has a 60 s "
            "deadline.",
        .options = {{.name = "profile",
                     .value_name = "P",
                     .meaning = "the profile of the shared config and credentials files; naming it "
                                "leaves the environment keys out of the chain",
                     .default_text = "AWS_DEFAULT_PROFILE, else AWS_PROFILE, else 'default'"},
                    {.name = "region",
                     .value_name = "R",
                     .meaning = "signing region; none found is a usage error",
                     .default_text =
                         "AWS_REGION, else AWS_DEFAULT_REGION, else the profile's region"},
                    {.name = "service",
                     .value_name = "S",
                     .meaning = "signing service name (required); s3 applies S3's signing rules"},
                    {.name = "request",
                     .short_name = 'X',
                     .value_name = "METHOD",
                     .meaning = "request method",
                     .default_text = "POST with a body, else GET"},
                    {.name = "header",
                     .short_name = 'H',
                     .repeatable = true,
                     .value_name = "'Name: value'",
                     .meaning =
                         "add a header; the headers the signer sets replace same-named ones"},
                    {.name = "data",
                     .short_name = 'd',
                     .value_name = "DATA",
                     .meaning = "send DATA as the body; Content-Type defaults to "
                                "application/x-www-form-urlencoded"},
                    {.name = "data-binary",
                     .value_name = "@FILE",
                     .meaning = "send FILE's bytes unchanged as the body, streamed from the "
                                "file; not with -d or --upload-file"},
                    {.name = "upload-file",
                     .short_name = 'T',
                     .value_name = "FILE",
                     .meaning = "send FILE as a signed aws-chunked body (S3 streaming "
                                "signature, X-Amz-Content-SHA256: "
                                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD), streamed from the file; "
                                "the method defaults to PUT; not with -d or --data-binary"},
                    {.name = "chunk-size",
                     .value_name = "N",
                     .meaning = "bytes per aws-chunked chunk (every chunk but the last); "
                                "8192 to 16777216; only with --upload-file",
                     .default_text = "65536"},
                    {.name = "checksum",
                     .value_name = "ALG",
                     .meaning = "send the object's checksum in a signed trailer "
                                "(STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                                "X-Amz-Trailer: x-amz-checksum-ALG, "
                                "x-amz-sdk-checksum-algorithm: ALG); only with --upload-file",
                     .choices = {"crc32", "crc32c", "sha1", "sha256"}},
                    {.name = "unsigned-payload",
                     .takes_value = false,
                     .meaning = "with --checksum: chunks and trailer unsigned "
                                "(STREAMING-UNSIGNED-PAYLOAD-TRAILER); the headers are still "
                                "signed"},
                    {.name = "output",
                     .short_name = 'o',
                     .value_name = "FILE",
                     .meaning = "write the body (with -i, the head too) to FILE instead of stdout"},
                    {.name = "include",
                     .short_name = 'i',
                     .takes_value = false,
                     .meaning = "print the status line and response headers before the body"},
                    {.name = "verbose",
                     .short_name = 'v',
                     .takes_value = false,
                     .meaning = "describe the signing and the exchange on stderr (no secrets)"}},
        .environment = {{"AWS_CA_BUNDLE",
                         "the certificates the request and the STS calls verify HTTPS against "
                         "(else the profile's ca_bundle, else the system store)"},
                        {"HTTPS_PROXY, HTTP_PROXY, NO_PROXY",
                         "the proxy of the request and of the STS calls (the lower-case names "
                         "too)"}},
        .exit_codes = {{0, "the service answered with a status below 400"},
                       {1,
                        "no credentials, a broken config file, a network error, or -o FILE "
                        "not writable"},
                       {2,
                        "usage error (also: no region, an unreadable --data-binary file, a "
                        "URL that cannot be signed or sent)"},
                       {3,
                        "HTTP status >= 400; the body is still written, stderr names the "
                        "service's error code and message"}},
        .examples = {"awsauth curl --service sts --region us-east-1 -d "
                     "'Action=GetCallerIdentity&Version=2011-06-15' "
                     "https://sts.us-east-1.amazonaws.com/",
                     "awsauth curl --profile deploy --service s3 --region eu-west-1 -o copy.pdf "
                     "https://my-bucket.s3.eu-west-1.amazonaws.com/report.pdf",
                     "awsauth curl --service s3 --region eu-west-1 --upload-file backup.tar "
                     "--checksum crc32c https://my-bucket.s3.eu-west-1.amazonaws.com/backup.tar"},
    };
    // The chain's variables too: curl resolves credentials as creds does.
    for (auto& env : default_chain_environment()) s.environment.push_back(std::move(env));
    return s;
  }();
  return kSpec;
}

namespace {

// --chunk-size N: a decimal number within what S3 and the encoder accept.
std::size_t parse_chunk_size(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 9 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  const std::size_t n = digits ? std::stoul(text) : 0;
  if (!digits || n < signer::kMinChunkSize || n > signer::kMaxChunkSize) {
    throw CurlUsageError("--chunk-size '" + printable(text, 32) +
                         "' must be a number of bytes from " +
                         std::to_string(signer::kMinChunkSize) + " (S3's smallest chunk) to " +
                         std::to_string(signer::kMaxChunkSize));
  }
  return n;
}

// --upload-file and the options that only make sense with it.
void read_upload_options(const ParsedArgs& parsed, CurlOptions& o) {
  o.upload_file = parsed.value("upload-file");
  if (o.upload_file) {
    if (o.data || o.data_file) {
      throw CurlUsageError("give one body: -d, --data-binary or --upload-file");
    }
    if (o.upload_file->empty()) throw CurlUsageError("--upload-file needs a file name");
  }
  const auto only_with_upload = [&](const char* flag) {
    if (!o.upload_file) throw CurlUsageError(std::string(flag) + " needs --upload-file FILE");
  };
  if (auto n = parsed.value("chunk-size")) {
    only_with_upload("--chunk-size");
    o.chunk_size = parse_chunk_size(*n);
  }
  o.checksum = parsed.value("checksum");
  if (o.checksum) only_with_upload("--checksum");
  o.unsigned_payload = parsed.has("unsigned-payload");
  if (o.unsigned_payload) {
    only_with_upload("--unsigned-payload");
    if (!o.checksum) {
      throw CurlUsageError(
          "--unsigned-payload needs --checksum ALG (an unsigned aws-chunked body carries its "
          "checksum in the trailer)");
    }
  }
}

}  // namespace

CurlOptions read_curl_options(const ParsedArgs& parsed) {
  CurlOptions o;
  o.profile = parsed.value("profile");
  o.region = parsed.value("region");
  o.service = parsed.value("service").value_or("");
  if (auto method = parsed.value("request")) {
    o.method = *method;
    if (o.method->empty()) throw CurlUsageError("-X needs a method name");
    if (!is_http_token(*o.method)) {
      throw CurlUsageError("-X '" + printable(*o.method, 64) + "' is not a valid method name");
    }
  }
  for (const std::string& h : parsed.values("header")) {
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
  }
  o.data = parsed.value("data");
  if (auto v = parsed.value("data-binary")) {
    if (o.data) throw CurlUsageError("give one body: -d or --data-binary");
    if (v->size() < 2 || v->front() != '@') {
      throw CurlUsageError("--data-binary takes @FILE");
    }
    o.data_file = v->substr(1);
  }
  read_upload_options(parsed, o);
  o.output = parsed.value("output");
  o.include = parsed.has("include");
  o.verbose = parsed.has("verbose");

  const auto& urls = parsed.positionals();
  if (urls.size() > 1) {
    throw CurlUsageError("more than one URL ('" + printable_url(urls[0]) + "', '" +
                         printable_url(urls[1]) + "')");
  }
  if (urls.empty()) throw CurlUsageError("missing URL");
  o.url = urls.front();
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

CurlOptions parse_curl_options(const Args& args) {
  const ParsedArgs parsed = parse_args(args, curl_spec().accepted_options());
  if (parsed.has("help")) {
    CurlOptions o;
    o.help = true;
    return o;
  }
  return read_curl_options(parsed);
}

}  // namespace awsauth::cli
