// awsauth curl: one SigV4-signed request with credentials from the default chain.
// The contract (options, output, exit codes) is in docs/cli.md; keep it exactly.

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "args.hpp"
#include "awsauth/context.hpp"
#include "awsauth/detail/ascii.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/http.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/signer/canonical.hpp"
#include "awsauth/signer/signer.hpp"
#include "awsauth/url.hpp"
#include "commands.hpp"
#include "curl_credentials.hpp"
#include "curl_options.hpp"
#include "explain_report.hpp"
#include "quoting.hpp"
#include "service_error.hpp"

namespace awsauth::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitHttpError = 3;

// Bodies are held in memory by the HttpClient; curl is for API calls, not bulk transfer.
constexpr std::size_t kMaxResponseBytes = std::size_t{256} << 20;

// Reads --data-binary's FILE in one pass, feeding each chunk to the payload hasher as it is
// read, so the file is never walked twice. The HttpClient sends bodies from memory, so the
// bytes are kept as well (bounded by what the client accepts).
signer::Payload read_body_file(const std::string& path, std::string& body) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CurlUsageError("--data-binary: cannot read '" + path + "'");
  signer::PayloadHasher hasher;
  std::string chunk(std::size_t{64} << 10, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    const std::string_view piece(chunk.data(), n);
    hasher.update(piece);
    body.append(piece);
  }
  if (in.bad()) throw CurlUsageError("--data-binary: error reading '" + path + "'");
  return signer::Payload::from_hasher(hasher);
}

// -v shows the canonical request and headers with the session token's value replaced; the
// token is the only secret that can appear in them (the secret key never does).
void print_headers(std::ostream& out, const char* prefix, const HttpHeaders& headers,
                   const std::string& token) {
  for (const auto& [name, value] : headers) {
    out << prefix << name << ": " << message_line(redacted(value, token)) << "\n";
  }
}

// The URL to send: the user's scheme, host and port (no user info), the path exactly as the
// signer canonicalized it before any double encoding (signer::wire_path), the query as given.
std::string wire_url(const HttpUrl& url, const signer::Request& signed_request,
                     const signer::SigningSettings& settings) {
  std::string out = url.scheme + "://";
  // Appends, not `"[" + host + "]"`: GCC 12 -O2 warns -Wrestrict on those (PR105651).
  if (url.bracketed) out.append(1, '[').append(url.host).append(1, ']');
  if (!url.bracketed) out += url.host;
  if (url.port) out.append(1, ':').append(std::to_string(*url.port));
  out += signer::wire_path(signed_request.path, settings);
  if (!signed_request.query.empty()) out += "?" + signed_request.query;
  return out;
}

/// A step that cannot go on: `line` is printed after "awsauth curl: " and the command exits
/// with `exit_code`. Only run_curl catches it.
struct CurlFailure {
  int exit_code;
  std::string line;
};

/// The request as the user described it, with its body read and hashed.
struct UnsignedRequest {
  HttpRequest http;
  signer::Payload payload;
};

UnsignedRequest read_request(const CurlOptions& opts) {
  UnsignedRequest request;
  request.http.method = opts.effective_method();
  request.http.url = opts.url;
  request.http.headers = opts.headers;
  try {
    if (opts.data) {
      request.http.body = *opts.data;
      request.payload = signer::Payload::from_bytes(request.http.body);
    }
    if (opts.data_file) request.payload = read_body_file(*opts.data_file, request.http.body);
  } catch (const CurlUsageError& e) {
    throw CurlFailure{kExitUsage, message_line(e.what())};
  }
  // curl's -d default.
  if (opts.data && !find_header(request.http.headers, "Content-Type")) {
    request.http.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  return request;
}

CurlSetup resolve_setup(const Context& ctx, const CurlOptions& opts) {
  try {
    return resolve_curl_setup(ctx, opts.profile, opts.url, opts.region);
  } catch (const CurlUsageError& e) {
    throw CurlFailure{kExitUsage, message_line(e.what())};
  } catch (const CredentialsError& e) {
    throw CurlFailure{kExitFailure, message_line(e.reason())};  // a malformed file: file, line
  } catch (const std::exception& e) {
    throw CurlFailure{kExitFailure, message_line(e.what())};
  }
}

CredentialsPtr resolve_credentials(const CurlSetup& setup) {
  try {
    return setup.provider->get();
  } catch (const NoCredentialsError& e) {
    // One line per provider tried, as `awsauth creds` prints them.
    std::string text = e.kind() == ErrorKind::NotConfigured
                           ? "no credentials found; providers tried:"
                           : "credentials could not be resolved; providers tried:";
    for (const auto& attempt : e.attempts()) {
      text.append("\n  ").append(provider_label(attempt.provider)).append(": ");
      text.append(message_line(attempt.reason));
    }
    throw CurlFailure{kExitFailure, text};
  } catch (const CredentialsError& e) {
    // The reason names each provider tried, or the source in the user's words (expired
    // credentials are credentials: no "no credentials" prefix); it never carries a secret.
    throw CurlFailure{kExitFailure, message_line(e.reason())};
  } catch (const std::exception& e) {
    throw CurlFailure{kExitFailure, "cannot get credentials: " + message_line(e.what())};
  }
}

/// Signs `request` in place: the signer's headers replace any the user gave with the same name,
/// and the URL becomes the one that was signed (wire_url).
signer::SigningResult sign_request(const Context& ctx, const CurlOptions& opts,
                                   const CurlSetup& setup, const Credentials& credentials,
                                   UnsignedRequest& request) {
  HttpRequest& http = request.http;
  signer::SigningResult signed_request;
  try {
    signer::Request to_sign = signer::parse_url(http.method, http.url);
    for (const auto& [name, value] : http.headers) {
      to_sign.headers.push_back({name, value});
    }
    const auto settings = signer::SigningSettings::for_service(setup.region, opts.service);
    signed_request =
        signer::sign(to_sign, request.payload, credentials, settings, ctx.clock->now());
    std::string url_error;
    const auto url = parse_http_url(http.url, url_error);  // checked by parse_curl_options
    if (!url) throw signer::SigningError(url_error);
    http.url = wire_url(*url, to_sign, settings);
  } catch (const signer::SigningError& e) {
    throw CurlFailure{kExitUsage,
                      "cannot sign " + printable_url(http.url) + ": " + message_line(e.what())};
  }
  for (const auto& h : signed_request.headers) {
    std::erase_if(http.headers,
                  [&](const auto& kv) { return awsauth::detail::ascii_iequals(kv.first, h.name); });
    http.headers.emplace_back(h.name, h.value);
  }
  return signed_request;
}

// -v: where the credentials came from, the signing steps and the request sent.
void print_signed_request(const CurlOptions& opts, const CurlSetup& setup,
                          const Credentials& credentials,
                          const signer::SigningResult& signed_request, const HttpRequest& request,
                          const std::string& token) {
  std::cerr << "* credentials: " << credentials.provider_name() << " (access key "
            << credentials.access_key_id() << ")\n"
            << "* region: " << setup.region << ", service: " << opts.service << "\n"
            << "* canonical request:\n"
            << redacted(signed_request.canonical_request, token) << "\n"
            << "* canonical request sha256: "
            << signer::sha256_hex(signed_request.canonical_request) << "\n"
            << "* string to sign:\n"
            << signed_request.string_to_sign << "\n"
            << "> " << request.method << " " << message_line(request.url) << "\n";
  print_headers(std::cerr, "> ", request.headers, token);
}

HttpResponse send_request(const Context& ctx, const CurlSetup& setup, const HttpRequest& request) {
  HttpOptions http_options = setup.http_options;
  http_options.max_response_bytes = kMaxResponseBytes;
  try {
    return ctx.http->send(request, http_options);
  } catch (const HttpError& e) {
    // The message names the URL (printable_url: no user info, no query).
    const bool unusable =
        e.kind() == HttpErrorKind::InvalidUrl || e.kind() == HttpErrorKind::InvalidRequest;
    throw CurlFailure{unusable ? kExitUsage : kExitFailure, message_line(e.what())};
  } catch (const std::exception& e) {
    throw CurlFailure{kExitFailure, printable_url(request.url) + ": " + message_line(e.what())};
  }
}

// The body (after the status line and headers with -i) to stdout or the -o file.
void write_response(const CurlOptions& opts, const HttpResponse& response) {
  std::ofstream file;
  if (opts.output) {
    file.open(*opts.output, std::ios::binary | std::ios::trunc);
    if (!file) throw CurlFailure{kExitFailure, "cannot write '" + *opts.output + "'"};
  }
  std::ostream& out = opts.output ? static_cast<std::ostream&>(file) : std::cout;
  if (opts.include) {
    out << "HTTP/1.1 " << response.status << " " << response.reason << "\r\n";
    for (const auto& [name, value] : response.headers) out << name << ": " << value << "\r\n";
    out << "\r\n";
  }
  out << response.body;
  out.flush();
}

// A status >= 400 is reported on stderr with the service's error code and message: made
// printable (no escape sequences reach the terminal) and with our session token cut out if the
// service echoed it.
int report_status(const HttpResponse& response, const std::string& url, const std::string& token) {
  if (response.status < 400) return kExitOk;
  std::cerr << "awsauth curl: HTTP " << response.status << " " << printable(response.reason, 128)
            << " from " << printable_url(url);
  if (const auto err = parse_service_error(response)) {
    std::cerr << ": " << printable(redacted(err->code, token), 128);
    if (!err->message.empty()) std::cerr << ": " << printable(redacted(err->message, token));
  }
  std::cerr << "\n";
  return kExitHttpError;
}

}  // namespace

int run_curl(const Args& args) {
  std::optional<CurlOptions> parsed;
  const int parse_exit = run_command(curl_spec(), args, [&](const ParsedArgs& p) {
    parsed = read_curl_options(p);
    return kExitOk;
  });
  if (!parsed) return parse_exit;  // --help printed, or a usage error reported
  const CurlOptions& opts = *parsed;
  const Context ctx = Context::system();
  try {
    UnsignedRequest request = read_request(opts);
    const CurlSetup setup = resolve_setup(ctx, opts);
    const CredentialsPtr credentials = resolve_credentials(setup);
    const std::string& token = credentials->session_token().reveal();
    const auto signed_request = sign_request(ctx, opts, setup, *credentials, request);
    if (opts.verbose) {
      print_signed_request(opts, setup, *credentials, signed_request, request.http, token);
    }
    const HttpResponse response = send_request(ctx, setup, request.http);
    if (opts.verbose) {
      std::cerr << "< " << response.status << " " << message_line(response.reason) << "\n";
      print_headers(std::cerr, "< ", response.headers, token);
    }
    write_response(opts, response);
    const int exit_code = report_status(response, request.http.url, token);
    print_rejection_diagnosis(std::cerr, response, signed_request);  // SignatureDoesNotMatch
    return exit_code;
  } catch (const CurlFailure& failure) {
    // A usage error found late (no region, an unreadable body file) is reported as every other.
    if (failure.exit_code == kExitUsage) return report_usage_error(curl_spec(), failure.line);
    std::cerr << "awsauth curl: " << failure.line << "\n";
    return failure.exit_code;
  }
}

}  // namespace awsauth::cli
