// awsauth sign: signs one request with SigV4 (or SigV4a with --sigv4a) and prints the result. A
// thin shell over awsauth::signer; the flags and exit codes are a contract (docs/signer.md, issue
// #2).

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "args.hpp"
#include "awsauth/detail/ascii.hpp"
#include "awsauth/http.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/signer/signer.hpp"
#include "commands.hpp"
#include "header_line.hpp"
#include "quoting.hpp"
#include "sign_flags.hpp"

namespace awsauth::cli {
namespace {

signer::Header parse_header(const std::string& text) {
  auto parts = split_header_line(text);
  if (!parts) {
    throw UsageError("header '" + printable(text) + "' is not in the form 'Name: value'");
  }
  signer::Header h{std::move(parts->first), std::move(parts->second)};
  if (h.name.empty() || h.name.find_first_of(" \t\r\n") != std::string::npos) {
    throw UsageError("header '" + printable(text) + "' has an invalid name");
  }
  // A CR or LF would let the printed curl command (or the caller's client) send two headers.
  try {
    validate_header(h.name, h.value);
  } catch (const HttpError& e) {
    throw UsageError(e.what());
  }
  return h;
}

/// What one `awsauth sign` command line asks for, checked.
struct SignOptions {
  std::string method;  ///< uppercased
  std::string url;
  std::string region;
  std::string service;
  std::string format;       ///< json, headers or curl
  signer::Request request;  ///< from --method, --url and every -H
  TimePoint time;
  std::optional<std::uint32_t> presign;
  bool s3 = false;
  bool unsigned_payload = false;
  bool sigv4a = false;
  std::string region_set;  ///< --region-set (empty: the region is the set)
  std::optional<std::string> data;
  std::optional<std::string> data_file;
};

TimePoint parse_time(const ParsedArgs& parsed) {
  const auto t = parsed.value("time");
  if (!t) {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
  auto parsed_time = signer::parse_amz_date(*t);
  if (!parsed_time) {
    throw UsageError("invalid --time '" + *t +
                     "' (expected YYYYMMDDTHHMMSSZ, e.g. 20150830T123600Z)");
  }
  return *parsed_time;
}

std::optional<std::uint32_t> parse_presign(const ParsedArgs& parsed) {
  const auto p = parsed.value("presign");
  if (!p) return std::nullopt;
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), v);
  if (ec != std::errc() || end != p->data() + p->size() || v < 1 ||
      v > signer::kMaxPresignExpires) {
    throw UsageError("invalid --presign '" + *p + "' (expected whole seconds from 1 to 604800)");
  }
  return static_cast<std::uint32_t>(v);
}

/// Checks the command line in the order the errors are reported; throws UsageError.
SignOptions read_sign_options(const ParsedArgs& parsed) {
  if (!parsed.positionals().empty()) {
    throw UsageError("unexpected argument '" + printable(parsed.positionals().front()) + "'");
  }
  SignOptions opts;
  // Uppercased for signing and for every output: botocore signs `request.method.upper()`, and
  // the printed curl command then sends the method that was signed.
  opts.method = parsed.required("method");
  opts.method = awsauth::detail::ascii_upper(opts.method);
  opts.url = parsed.required("url");
  opts.sigv4a = parsed.has("sigv4a");
  if (parsed.has("region-set") && !opts.sigv4a) {
    throw UsageError("--region-set is the SigV4a region set: it needs --sigv4a");
  }
  // SigV4a's scope has no region: with --region-set, --region may be left out (and is ignored).
  const bool region_optional = opts.sigv4a && parsed.has("region-set");
  opts.region = region_optional ? parsed.value("region").value_or("") : parsed.required("region");
  opts.service = parsed.required("service");
  if (opts.method.empty() || opts.method.find_first_of(" \t\r\n") != std::string::npos) {
    throw UsageError("invalid --method '" + opts.method + "'");
  }
  if ((opts.region.empty() && !region_optional) || opts.service.empty()) {
    throw UsageError("--region and --service must not be empty");
  }
  if (region_optional) {
    opts.region_set = *parsed.value("region-set");
    if (opts.region_set.empty()) {
      throw UsageError("--region-set must not be empty (e.g. --region-set us-east-1,us-west-2)");
    }
  }
  opts.format = parsed.value("format").value_or("json");  // checked by the parser (choices)
  if (parsed.has("data") && parsed.has("data-file")) {
    throw UsageError("options '--data' and '--data-file' cannot be used together");
  }
  try {
    opts.request = signer::parse_url(opts.method, opts.url);
  } catch (const signer::SigningError& e) {
    throw UsageError(std::string("invalid --url: ") + e.what());
  }
  for (const auto& h : parsed.values("header")) {
    opts.request.headers.push_back(parse_header(h));
  }
  opts.time = parse_time(parsed);
  opts.presign = parse_presign(parsed);
  opts.s3 = parsed.has("s3") || opts.service == "s3";
  opts.unsigned_payload = parsed.has("unsigned-payload");
  opts.data = parsed.value("data");
  opts.data_file = parsed.value("data-file");
  return opts;
}

/// `sign` reads only AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (as its
/// usage says), not the default chain that `creds` and `curl` use. nullopt when the key or the
/// secret is missing.
std::optional<Credentials> environment_credentials() {
  const char* akid = std::getenv("AWS_ACCESS_KEY_ID");
  const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
  const char* token = std::getenv("AWS_SESSION_TOKEN");
  if (akid == nullptr || *akid == '\0' || secret == nullptr || *secret == '\0') {
    return std::nullopt;
  }
  return Credentials({.access_key_id = akid,
                      .secret_access_key = SecretString(secret),
                      .session_token = SecretString(token != nullptr ? token : ""),
                      .provider_name = "env"});
}

/// Feeds --data or --data-file to `hasher`. The file is hashed as it is read: a large
/// --data-file never sits in memory. false (the reason printed) when the file cannot be read.
bool hash_body(const SignOptions& opts, signer::PayloadHasher& hasher) {
  if (opts.data) {
    hasher.update(*opts.data);
    return true;
  }
  if (!opts.data_file) return true;
  const std::string& path = *opts.data_file;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "awsauth sign: cannot read --data-file '" << path << "'\n";
    return false;
  }
  std::string buffer(1 << 16, '\0');
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    hasher.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) {
    std::cerr << "awsauth sign: error reading --data-file '" << path << "'\n";
    return false;
  }
  return true;
}

signer::SigningSettings signing_settings(const SignOptions& opts) {
  signer::SigningSettings settings =
      signer::SigningSettings::for_service(opts.region, opts.service);
  if (opts.s3) {
    settings.normalize_path = false;
    settings.double_encode = false;
  }
  settings.add_content_sha256 = opts.s3 || opts.unsigned_payload;  // header mode only
  settings.presign_expires = opts.presign;
  if (opts.sigv4a) {
    settings.algorithm = signer::SigningAlgorithm::V4a;
    settings.region_set = opts.region_set;  // checked by the signer; empty: the region
  }
  return settings;
}

signer::Payload payload(const SignOptions& opts, signer::PayloadHasher& hasher) {
  return (opts.unsigned_payload || (opts.presign && opts.s3))
             ? signer::Payload::unsigned_payload()
             : signer::Payload::from_hasher(hasher);
}

void print_json(const SignOptions& opts, const signer::SigningResult& result) {
  std::ostream& o = std::cout;
  o << "{\n  \"method\": ";
  o << json_string(opts.method);
  o << ",\n  \"url\": ";
  o << json_string(opts.presign ? result.presigned_url : opts.url);
  o << ",\n  \"amz_date\": ";
  o << json_string(result.amz_date);
  o << ",\n  \"credential_scope\": ";
  o << json_string(result.credential_scope);
  o << ",\n  \"payload_hash\": ";
  o << json_string(result.payload_hash);
  o << ",\n  \"canonical_request\": ";
  o << json_string(result.canonical_request);
  o << ",\n  \"string_to_sign\": ";
  o << json_string(result.string_to_sign);
  o << ",\n  \"signed_headers\": ";
  o << json_string(result.signed_headers);
  o << ",\n  \"signature\": ";
  o << json_string(result.signature);
  o << ",\n  \"headers\": {";
  for (std::size_t i = 0; i < result.headers.size(); ++i) {
    o << (i ? ",\n    " : "\n    ");
    o << json_string(result.headers[i].name);
    o << ": ";
    o << json_string(result.headers[i].value);
  }
  o << (result.headers.empty() ? "}" : "\n  }");
  o << "\n}\n";
}

void print_headers(const SignOptions& opts, const signer::SigningResult& result) {
  if (opts.presign) {
    std::cout << result.presigned_url << "\n";
    return;
  }
  for (const auto& h : result.headers) {
    std::cout << h.name << ": " << h.value << "\n";
  }
}

void print_curl(const SignOptions& opts, const signer::SigningResult& result) {
  std::cout << "curl -X " << shell_quote(opts.method) << ' '
            << shell_quote(opts.presign ? result.presigned_url : opts.url);
  for (const auto& h : opts.request.headers) {
    // curl sends `Name;` for a header with an empty value (`Name:` would remove it).
    std::cout << " -H " << shell_quote(h.value.empty() ? h.name + ";" : h.name + ": " + h.value);
  }
  for (const auto& h : result.headers) {
    std::cout << " -H " << shell_quote(h.name + ": " + h.value);
  }
  if (opts.data) {
    std::cout << " --data-binary " << shell_quote(*opts.data);
  } else if (opts.data_file) {
    std::cout << " --data-binary " << shell_quote("@" + *opts.data_file);
  }
  std::cout << "\n";
}

int sign_and_print(const ParsedArgs& parsed) {
  const SignOptions opts = read_sign_options(parsed);
  const auto creds = environment_credentials();
  if (!creds) {
    // sign reads only the environment (reproducible signatures); the chain is one eval away.
    std::cerr << "awsauth sign: no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                 "must both be set (sign reads keys only from the environment); to use a profile "
                 "or the default chain, "
                 "run first: eval \"$(awsauth creds [--profile NAME] --format env)\"\n";
    return 1;
  }
  signer::PayloadHasher hasher;
  if (!hash_body(opts, hasher)) return 1;

  const auto result =
      signer::sign(opts.request, payload(opts, hasher), *creds, signing_settings(opts), opts.time);
  // The added headers carry AWS_SESSION_TOKEN as given: a CR or LF in it must not reach a
  // printed header line or curl command (exit 1: the environment is wrong, not the usage).
  for (const auto& h : result.headers) validate_header(h.name, h.value);

  if (opts.format == "json") {
    print_json(opts, result);
  } else if (opts.format == "headers") {
    print_headers(opts, result);
  } else {
    print_curl(opts, result);
  }
  return 0;
}

}  // namespace

const CommandSpec& sign_spec() {
  static const CommandSpec kSpec{
      .name = "sign",
      .summary = "sign one request with SigV4 (or SigV4a) and print the result",
      .synopsis =
          "--method M --url URL --region R --service S [-H 'Name: value']...\n"
          "                    [--data STRING | --data-file PATH] [--time YYYYMMDDTHHMMSSZ] "
          "[--s3]\n"
          "                    [--unsigned-payload] [--presign SECONDS] [--format "
          "json|headers|curl]\n"
          "                    [--sigv4a [--region-set R1,R2...]]",
      .description =
          "Signs one request and prints what to add to it; nothing is sent. The "
          "credentials come from the environment only (not the chain), so a run is "
          "reproducible.",
      .options =
          {{.name = "method",
            .value_name = "M",
            .meaning = "request method (required); uppercased for signing and output, as "
                       "botocore signs it"},
           {.name = "url",
            .value_name = "URL",
            .meaning = "the full URL (required); its path and query are signed as they will go "
                       "on the wire"},
           {.name = "region",
            .value_name = "R",
            .meaning = "signing region (required, except with --sigv4a --region-set, where it is "
                       "ignored)"},
           {.name = "service",
            .value_name = "S",
            .meaning = "signing service name (required); s3 implies --s3"},
           {.name = "header",
            .short_name = 'H',
            .repeatable = true,
            .value_name = "'Name: value'",
            .meaning = "a header to sign; 'Name:' signs an empty value"},
           {.name = "data", .value_name = "STRING", .meaning = "the body to hash"},
           {.name = "data-file",
            .value_name = "PATH",
            .meaning = "a file to hash as the body, read 64 KiB at a time; not with --data"},
           {.name = "time",
            .value_name = "YYYYMMDDTHHMMSSZ",
            .meaning = "signing time, e.g. 20150830T123600Z",
            .default_text = "now"},
           {.name = "s3",
            .takes_value = false,
            .meaning = "S3's rules: no path normalisation, no double encoding, "
                       "X-Amz-Content-SHA256 signed"},
           {.name = "unsigned-payload",
            .takes_value = false,
            .meaning = "sign UNSIGNED-PAYLOAD instead of the body's hash (sent as "
                       "X-Amz-Content-SHA256)"},
           {.name = "presign",
            .value_name = "SECONDS",
            .meaning = "print a presigned URL valid for 1 to 604800 seconds instead of headers"},
           {.name = "sigv4a",
            .takes_value = false,
            .meaning = "sign with SigV4a (AWS4-ECDSA-P256-SHA256): a scope without region, "
                       "X-Amz-Region-Set signed, a randomized ECDSA signature (hex DER)"},
           {.name = "region-set",
            .value_name = "R1,R2",
            .meaning = "with --sigv4a: the comma-separated regions the signature is valid in "
                       "(* for all)",
            .default_text = "the --region"},
           {.name = "format",
            .value_name = "FORMAT",
            .meaning = "json: one object with every signing step and the headers to add; "
                       "headers: the 'Name: value' lines to add (with --presign: the URL); curl: "
                       "a shell-quoted curl command that sends the signed request",
            .default_text = "json",
            .choices = {"json", "headers", "curl"}}},
      .environment = {{"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY",
                       "the key to sign with (required; the default chain is not used)"},
                      {"AWS_SESSION_TOKEN", "the session token of temporary credentials"}},
      .exit_codes = {{0, "signed; the result is on stdout"},
                     {1,
                      "no credentials in the environment, an unreadable --data-file, or a "
                      "session token holding a CR or LF"},
                     {2, "usage error"}},
      .examples = {"awsauth sign --method GET --url 'https://iam.amazonaws.com/"
                   "?Action=ListUsers&Version=2010-05-08' --region us-east-1 --service iam "
                   "--format headers",
                   "awsauth sign --method GET --url https://my-bucket.s3.amazonaws.com/report.pdf "
                   "--region us-east-1 --service s3 --presign 3600 --format headers",
                   "awsauth sign --sigv4a --region-set us-east-1,us-west-2 --method GET --url "
                   "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/key "
                   "--service s3 --format headers"},
  };
  return kSpec;
}

int run_sign(const Args& args) {
  try {
    return run_command(sign_spec(), args, sign_and_print);
  } catch (const signer::SigningError& e) {
    // What the signer refuses in the request described (a usage error, exit 2).
    return report_usage_error(sign_spec(), e.what());
  } catch (const std::exception& e) {
    std::cerr << "awsauth sign: " << message_line(e.what()) << "\n";
    return 1;
  }
}

signer::SigningResult sign_from_flags(const ParsedArgs& parsed,
                                      std::optional<TimePoint> time_if_not_given) {
  SignOptions opts = read_sign_options(parsed);
  if (!parsed.has("time") && time_if_not_given) opts.time = *time_if_not_given;
  const auto creds = environment_credentials();
  if (!creds) {
    throw SignFlagsError(
        "no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set to "
        "re-sign the request");
  }
  signer::PayloadHasher hasher;
  if (!hash_body(opts, hasher)) throw SignFlagsError("cannot hash the body");
  return signer::sign(opts.request, payload(opts, hasher), *creds, signing_settings(opts),
                      opts.time);
}

}  // namespace awsauth::cli
