// awsauth curl: one SigV4-signed request with credentials from the default chain.
// The contract (options, output, exit codes) is in docs/cli.md; keep it exactly.

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "awsauth/context.hpp"
#include "awsauth/detail/ascii.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/http.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/signer/canonical.hpp"
#include "awsauth/signer/signer.hpp"
#include "awsauth/url.hpp"
#include "commands.hpp"
#include "curl_credentials.hpp"
#include "curl_options.hpp"
#include "quoting.hpp"
#include "service_error.hpp"

namespace awsauth::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
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
  out += url.bracketed ? "[" + url.host + "]" : url.host;
  if (url.port) out += ":" + std::to_string(*url.port);
  out += signer::wire_path(signed_request.path, settings);
  if (!signed_request.query.empty()) out += "?" + signed_request.query;
  return out;
}

// Header names compare ignoring ASCII case. (A forwarder only while run_curl is being split;
// the pieces call detail::ascii_iequals.)
bool iequals(std::string_view a, std::string_view b) { return detail::ascii_iequals(a, b); }

}  // namespace

int run_curl(const Args& args) {
  CurlOptions opts;
  try {
    opts = parse_curl_options(args);
  } catch (const CurlUsageError& e) {
    std::cerr << "awsauth curl: " << message_line(e.what()) << "\n" << kCurlUsage;
    return kExitUsage;
  }
  if (opts.help) {
    std::cout << kCurlUsage;
    return kExitOk;
  }
  const Context ctx = Context::system();

  HttpRequest request;
  request.method = opts.effective_method();
  request.url = opts.url;
  request.headers = opts.headers;
  signer::Payload payload;
  try {
    if (opts.data) {
      request.body = *opts.data;
      payload = signer::Payload::from_bytes(request.body);
    }
    if (opts.data_file) payload = read_body_file(*opts.data_file, request.body);
  } catch (const CurlUsageError& e) {
    std::cerr << "awsauth curl: " << message_line(e.what()) << "\n";
    return kExitUsage;
  }
  // curl's -d default.
  if (opts.data && !find_header(request.headers, "Content-Type")) {
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }

  CurlSetup setup;
  try {
    setup = resolve_curl_setup(ctx, opts.profile, opts.url, opts.region);
  } catch (const CurlUsageError& e) {
    std::cerr << "awsauth curl: " << message_line(e.what()) << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "awsauth curl: " << message_line(e.what()) << "\n";
    return kExitFailure;
  }

  CredentialsPtr credentials;
  try {
    credentials = setup.provider->get();
  } catch (const std::exception& e) {
    // CredentialsError messages name each provider tried and never carry a secret.
    std::cerr << "awsauth curl: no credentials: " << message_line(e.what()) << "\n";
    return kExitFailure;
  }
  const std::string& token = credentials->session_token().reveal();

  signer::SigningResult signed_request;
  try {
    signer::Request to_sign = signer::parse_url(request.method, request.url);
    for (const auto& [name, value] : request.headers) {
      to_sign.headers.push_back({name, value});
    }
    const auto settings = signer::SigningSettings::for_service(setup.region, opts.service);
    signed_request = signer::sign(to_sign, payload, *credentials, settings, ctx.clock->now());
    std::string url_error;
    const auto url = parse_http_url(request.url, url_error);  // checked by parse_curl_options
    if (!url) throw signer::SigningError(url_error);
    request.url = wire_url(*url, to_sign, settings);
  } catch (const signer::SigningError& e) {
    std::cerr << "awsauth curl: cannot sign " << printable_url(request.url) << ": "
              << message_line(e.what()) << "\n";
    return kExitUsage;
  }
  // The signer's headers replace any the user gave with the same name.
  for (const auto& h : signed_request.headers) {
    std::erase_if(request.headers, [&](const auto& kv) { return iequals(kv.first, h.name); });
    request.headers.emplace_back(h.name, h.value);
  }

  if (opts.verbose) {
    std::cerr << "* credentials: " << credentials->provider_name() << " (access key "
              << credentials->access_key_id() << ")\n"
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

  HttpOptions http_options = setup.http_options;
  http_options.max_response_bytes = kMaxResponseBytes;
  HttpResponse response;
  try {
    response = ctx.http->send(request, http_options);
  } catch (const HttpError& e) {
    // The message names the URL (printable_url: no user info, no query).
    std::cerr << "awsauth curl: " << message_line(e.what()) << "\n";
    const bool unusable =
        e.kind() == HttpErrorKind::InvalidUrl || e.kind() == HttpErrorKind::InvalidRequest;
    return unusable ? kExitUsage : kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "awsauth curl: " << printable_url(request.url) << ": " << message_line(e.what())
              << "\n";
    return kExitFailure;
  }

  if (opts.verbose) {
    std::cerr << "< " << response.status << " " << message_line(response.reason) << "\n";
    print_headers(std::cerr, "< ", response.headers, token);
  }

  std::ofstream file;
  if (opts.output) {
    file.open(*opts.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "awsauth curl: cannot write '" << *opts.output << "'\n";
      return kExitFailure;
    }
  }
  std::ostream& out = opts.output ? static_cast<std::ostream&>(file) : std::cout;
  if (opts.include) {
    out << "HTTP/1.1 " << response.status << " " << response.reason << "\r\n";
    for (const auto& [name, value] : response.headers) out << name << ": " << value << "\r\n";
    out << "\r\n";
  }
  out << response.body;
  out.flush();

  if (response.status >= 400) {
    // The service's words: made printable (no escape sequences reach the terminal) and with
    // our session token cut out if the service echoed it.
    std::cerr << "awsauth curl: HTTP " << response.status << " " << printable(response.reason, 128)
              << " from " << printable_url(request.url);
    if (const auto err = parse_service_error(response)) {
      std::cerr << ": " << printable(redacted(err->code, token), 128);
      if (!err->message.empty()) std::cerr << ": " << printable(redacted(err->message, token));
    }
    std::cerr << "\n";
    return kExitHttpError;
  }
  return kExitOk;
}

}  // namespace awsauth::cli
