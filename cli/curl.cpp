// awsauth curl: one SigV4-signed request with credentials from the default chain.
// The contract (options, output, exit codes) is in docs/cli.md; keep it exactly.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
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
#include "awsauth/signer/checksum.hpp"
#include "awsauth/signer/chunked.hpp"
#include "awsauth/signer/signer.hpp"
#include "awsauth/url.hpp"
#include "commands.hpp"
#include "curl_credentials.hpp"
#include "curl_options.hpp"
#include "explain_report.hpp"
#include "no_credentials.hpp"
#include "quoting.hpp"
#include "service_error.hpp"

namespace awsauth::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitHttpError = 3;

// Response bodies are held in memory by the HttpClient; request bodies from a file are
// streamed (HttpRequest::body_source), so they need no more than a piece's worth.
constexpr std::size_t kMaxResponseBytes = std::size_t{256} << 20;

// Reads a body file from where its stream stands, for the HttpClient (--data-binary) or the
// aws-chunked encoder (--upload-file). A read error ends the exchange with the file's name.
HttpBodySource file_source(std::shared_ptr<std::ifstream> in, std::string path) {
  return [in = std::move(in), path = std::move(path)](char* out, std::size_t capacity) {
    in->read(out, static_cast<std::streamsize>(capacity));
    if (in->bad()) throw std::runtime_error("error reading '" + path + "'");
    return static_cast<std::size_t>(in->gcount());
  };
}

// Hashes --data-binary's FILE in one pass, 64 KiB at a time, and counts its bytes. `keep`, when
// given, receives the bytes as well: a pipe or device cannot be read a second time to send it.
signer::Payload hash_body_file(std::istream& in, const std::string& path, std::uint64_t& size,
                               std::string* keep) {
  signer::PayloadHasher hasher;
  std::string chunk(std::size_t{64} << 10, '\0');
  size = 0;
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    const std::string_view piece(chunk.data(), n);
    hasher.update(piece);
    size += n;
    if (keep != nullptr) keep->append(piece);
  }
  if (in.bad()) throw CurlUsageError("--data-binary: error reading '" + path + "'");
  return signer::Payload::from_hasher(hasher);
}

bool is_regular_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
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

/// The request as the user described it: its body hashed and streamed from the file
/// (--data-binary, or -d's bytes in memory), or its aws-chunked upload described (--upload-file).
struct UnsignedRequest {
  HttpRequest http;
  signer::Payload payload;
  /// --upload-file: the upload, and the file it is read from once signed.
  std::optional<signer::ChunkedUpload> chunked;
  std::shared_ptr<std::ifstream> upload;
  std::string upload_path;
  /// Made once the seed signature exists; the HttpClient pulls the body from it.
  std::shared_ptr<signer::AwsChunkedEncoder> encoder;
};

// --data-binary @FILE: hashed now, sent from the file again by the HttpClient. A pipe or a
// device (not a regular file) cannot be read twice, so its bytes are kept in memory instead.
void read_data_file(const std::string& path, UnsignedRequest& request) {
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  if (!*in) throw CurlUsageError("--data-binary: cannot read '" + path + "'");
  const bool regular = is_regular_file(path);
  std::uint64_t size = 0;
  request.payload = hash_body_file(*in, path, size, regular ? nullptr : &request.http.body);
  // An empty file is sent as today's empty body (no Content-Length for a GET).
  if (!regular || size == 0) return;
  in->clear();
  in->seekg(0);
  if (!*in) throw CurlUsageError("--data-binary: cannot read '" + path + "' a second time");
  request.http.body_source = file_source(std::move(in), path);
  request.http.body_length = size;
}

// --upload-file FILE: only its size is needed before signing (the aws-chunked framing and the
// encoded length follow from it); it is read once, while it is sent.
void read_upload_file(const CurlOptions& opts, UnsignedRequest& request) {
  const std::string& path = *opts.upload_file;
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !is_regular_file(path)) {
    throw CurlUsageError("--upload-file: '" + path +
                         "' is not a regular file (an aws-chunked body's length is computed "
                         "from the file's size before it is sent)");
  }
  request.upload = std::make_shared<std::ifstream>(path, std::ios::binary);
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!*request.upload || ec) throw CurlUsageError("--upload-file: cannot read '" + path + "'");
  request.upload_path = path;
  signer::ChunkedUpload upload{.decoded_length = size, .chunk_size = opts.chunk_size};
  if (opts.checksum) {
    upload.mode = opts.unsigned_payload ? signer::ChunkedMode::UnsignedPayloadTrailer
                                        : signer::ChunkedMode::SignedPayloadTrailer;
    upload.checksum = signer::parse_checksum_algorithm(*opts.checksum);
    if (!upload.checksum) throw CurlUsageError("--checksum: unknown algorithm");  // choices
    // What the AWS SDKs send with a trailing checksum (S3 PutObject's ChecksumAlgorithm).
    if (!find_header(request.http.headers, "x-amz-sdk-checksum-algorithm")) {
      std::string name(signer::checksum_name(*upload.checksum));
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      request.http.headers.emplace_back("x-amz-sdk-checksum-algorithm", name);
    }
  }
  request.chunked = upload;
}

// curl -T's rule: when the URL's path has no file part (it is empty or ends in '/'), the local
// file's name (what follows its last '/' or '\\') is appended, percent-encoded as curl does
// (every byte but A-Z a-z 0-9 - . _ ~); the query, if any, stays after it. So the path signed
// is the path curl would send.
std::string upload_url(const std::string& url, std::string_view file) {
  const std::size_t authority = url.find("://") + 3;  // the URL was checked: http(s)://
  const std::size_t path_begin = std::min(url.find_first_of("/?#", authority), url.size());
  const std::size_t path_end = std::min(url.find_first_of("?#", path_begin), url.size());
  const std::string_view path(url.data() + path_begin, path_end - path_begin);
  if (!path.empty() && path.back() != '/') return url;
  const std::size_t slash = file.find_last_of("/\\");
  std::string name;
  signer::uri_encode(slash == std::string_view::npos ? file : file.substr(slash + 1), name,
                     /*keep_slash=*/false);
  return url.substr(0, path_end) + (path.empty() ? "/" : "") + name + url.substr(path_end);
}

UnsignedRequest read_request(const CurlOptions& opts) {
  UnsignedRequest request;
  request.http.method = opts.effective_method();
  request.http.url = opts.upload_file ? upload_url(opts.url, *opts.upload_file) : opts.url;
  request.http.headers = opts.headers;
  try {
    if (opts.data) {
      request.http.body = *opts.data;
      request.payload = signer::Payload::from_bytes(request.http.body);
    }
    if (opts.data_file) read_data_file(*opts.data_file, request);
    if (opts.upload_file) read_upload_file(opts, request);
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
    throw CurlFailure{kExitFailure, providers_tried_message(e)};
  } catch (const CredentialsError& e) {
    // The reason names each provider tried, or the source in the user's words (expired
    // credentials are credentials: no "no credentials" prefix); it never carries a secret.
    throw CurlFailure{kExitFailure, message_line(e.reason())};
  } catch (const std::exception& e) {
    throw CurlFailure{kExitFailure, "cannot get credentials: " + message_line(e.what())};
  }
}

// The aws-chunked body of --upload-file: the encoder reads the file (in chunk_size pieces,
// hashing each chunk as it arrives) and frames and signs each chunk, chained from the seed
// signature; the HttpClient pulls the encoded bytes and sends the encoded length.
void attach_chunked_body(UnsignedRequest& request, const signer::SigningResult& seed) {
  const signer::ChunkedUpload& upload = *request.chunked;
  auto source = file_source(request.upload, request.upload_path);
  request.encoder =
      upload.mode == signer::ChunkedMode::UnsignedPayloadTrailer
          ? std::make_shared<signer::AwsChunkedEncoder>(upload, std::move(source))
          : std::make_shared<signer::AwsChunkedEncoder>(upload, seed, std::move(source));
  request.http.body_source = [encoder = request.encoder](char* out, std::size_t capacity) {
    return encoder->read(out, capacity);
  };
  request.http.body_length = request.encoder->encoded_length();
}

/// Signs `request` in place: the signer's headers replace any the user gave with the same name,
/// and the URL becomes the one that was signed (wire_url). With --upload-file the request is
/// first prepared for aws-chunked (its headers become the prepared ones: Content-Encoding,
/// X-Amz-Decoded-Content-Length, the encoded Content-Length, X-Amz-Trailer), the seed
/// signature is the ordinary sign() over the streaming literal, and the body becomes the
/// encoder's output, chained from that seed, pulled from the file as it is sent.
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
    signer::Payload payload = request.payload;
    if (request.chunked) {
      payload = signer::prepare_chunked_request(to_sign, *request.chunked);
      http.headers.clear();
      for (const auto& h : to_sign.headers) http.headers.emplace_back(h.name, h.value);
    }
    signed_request = signer::sign(to_sign, payload, credentials, settings, ctx.clock->now());
    if (request.chunked) attach_chunked_body(request, signed_request);
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

// -v, after the request headers: how an --upload-file body goes out.
void print_chunked_body(const signer::ChunkedUpload& upload, std::uint64_t encoded_length) {
  std::cerr << "* body: aws-chunked " << signer::chunked_payload_literal(upload.mode)
            << ", chunk size " << upload.chunk_size << ", decoded length " << upload.decoded_length
            << ", encoded length " << encoded_length;
  if (upload.checksum) {
    std::cerr << ", trailer " << signer::checksum_header_name(*upload.checksum);
  }
  std::cerr << "\n";
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
      if (request.chunked) print_chunked_body(*request.chunked, request.http.body_length);
    }
    const HttpResponse response = send_request(ctx, setup, request.http);
    if (opts.verbose && request.chunked && request.chunked->checksum) {
      std::cerr << "* trailer sent: " << signer::checksum_header_name(*request.chunked->checksum)
                << ":" << request.encoder->checksum_value() << "\n";
    }
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
