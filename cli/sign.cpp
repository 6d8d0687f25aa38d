// awsauth sign: signs one request with SigV4 and prints the result. A thin shell over
// awsauth::signer; the flags and exit codes are a contract (docs/signer.md, issue #2).

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "args.hpp"
#include "awsauth/http.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/signer/signer.hpp"
#include "commands.hpp"
#include "header_line.hpp"
#include "quoting.hpp"

namespace awsauth::cli {
namespace {

constexpr const char* kSignUsage =
    "usage: awsauth sign --method M --url URL --region R --service S [-H 'Name: value']...\n"
    "                    [--data STRING | --data-file PATH] [--time YYYYMMDDTHHMMSSZ] [--s3]\n"
    "                    [--unsigned-payload] [--presign SECONDS] [--format json|headers|curl]\n"
    "Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.\n";

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

int sign_command(const Args& args) {
  const auto parsed = parse_args(args, {{"method"},
                                        {"url"},
                                        {"region"},
                                        {"service"},
                                        {"header", 'H', true, true},
                                        {"data"},
                                        {"data-file"},
                                        {"time"},
                                        {"s3", '\0', false},
                                        {"unsigned-payload", '\0', false},
                                        {"presign"},
                                        {"format"},
                                        {"help", 'h', false}});
  if (parsed.has("help")) {
    std::cout << kSignUsage;
    return 0;
  }
  if (!parsed.positionals().empty()) {
    throw UsageError("unexpected argument '" + parsed.positionals().front() + "'");
  }
  // Uppercased for signing and for every output: botocore signs `request.method.upper()`, and
  // the printed curl command then sends the method that was signed.
  std::string method = parsed.required("method");
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const std::string url = parsed.required("url");
  const std::string region = parsed.required("region");
  const std::string service = parsed.required("service");
  if (method.empty() || method.find_first_of(" \t\r\n") != std::string::npos) {
    throw UsageError("invalid --method '" + method + "'");
  }
  if (region.empty() || service.empty()) {
    throw UsageError("--region and --service must not be empty");
  }
  const std::string format = parsed.value("format").value_or("json");
  if (format != "json" && format != "headers" && format != "curl") {
    throw UsageError("invalid --format '" + format + "' (expected json, headers or curl)");
  }
  if (parsed.has("data") && parsed.has("data-file")) {
    throw UsageError("--data and --data-file cannot be used together");
  }
  signer::Request request;
  try {
    request = signer::parse_url(method, url);
  } catch (const signer::SigningError& e) {
    throw UsageError(std::string("invalid --url: ") + e.what());
  }
  for (const auto& h : parsed.values("header")) {
    request.headers.push_back(parse_header(h));
  }
  TimePoint time =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  if (auto t = parsed.value("time")) {
    auto parsed_time = signer::parse_amz_date(*t);
    if (!parsed_time) {
      throw UsageError("invalid --time '" + *t +
                       "' (expected YYYYMMDDTHHMMSSZ, e.g. 20150830T123600Z)");
    }
    time = *parsed_time;
  }
  std::optional<std::uint32_t> presign;
  if (auto p = parsed.value("presign")) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), v);
    if (ec != std::errc() || end != p->data() + p->size() || v < 1 ||
        v > signer::kMaxPresignExpires) {
      throw UsageError("invalid --presign '" + *p + "' (expected whole seconds from 1 to 604800)");
    }
    presign = static_cast<std::uint32_t>(v);
  }
  const bool s3 = parsed.has("s3") || service == "s3";
  const bool unsigned_payload = parsed.has("unsigned-payload");

  // Credentials (the default chain will take over once it exists).
  const char* akid = std::getenv("AWS_ACCESS_KEY_ID");
  const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
  const char* token = std::getenv("AWS_SESSION_TOKEN");
  if (akid == nullptr || *akid == '\0' || secret == nullptr || *secret == '\0') {
    std::cerr << "awsauth sign: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n";
    return 1;
  }
  const Credentials creds({.access_key_id = akid,
                           .secret_access_key = SecretString(secret),
                           .session_token = SecretString(token != nullptr ? token : ""),
                           .provider_name = "env"});

  // The body is hashed as it is read: a large --data-file never sits in memory.
  signer::PayloadHasher hasher;
  std::string data;
  if (auto d = parsed.value("data")) {
    data = *d;
    hasher.update(data);
  } else if (auto path = parsed.value("data-file")) {
    std::ifstream in(*path, std::ios::binary);
    if (!in) {
      std::cerr << "awsauth sign: cannot read --data-file '" << *path << "'\n";
      return 1;
    }
    std::string buffer(1 << 16, '\0');
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
      hasher.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    if (in.bad()) {
      std::cerr << "awsauth sign: error reading --data-file '" << *path << "'\n";
      return 1;
    }
  }

  signer::SigningSettings settings = signer::SigningSettings::for_service(region, service);
  if (s3) {
    settings.normalize_path = false;
    settings.double_encode = false;
  }
  settings.add_content_sha256 = s3 || unsigned_payload;  // header mode only
  settings.presign_expires = presign;
  signer::Payload payload = (unsigned_payload || (presign && s3))
                                ? signer::Payload::unsigned_payload()
                                : signer::Payload::from_hasher(hasher);

  const auto result = signer::sign(request, payload, creds, settings, time);
  // The added headers carry AWS_SESSION_TOKEN as given: a CR or LF in it must not reach a
  // printed header line or curl command (exit 1: the environment is wrong, not the usage).
  for (const auto& h : result.headers) validate_header(h.name, h.value);

  if (format == "json") {
    std::ostream& o = std::cout;
    o << "{\n  \"method\": ";
    o << json_string(method);
    o << ",\n  \"url\": ";
    o << json_string(presign ? result.presigned_url : url);
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
  } else if (format == "headers") {
    if (presign) {
      std::cout << result.presigned_url << "\n";
    } else {
      for (const auto& h : result.headers) {
        std::cout << h.name << ": " << h.value << "\n";
      }
    }
  } else {
    std::cout << "curl -X " << shell_quote(method) << ' '
              << shell_quote(presign ? result.presigned_url : url);
    for (const auto& h : request.headers) {
      // curl sends `Name;` for a header with an empty value (`Name:` would remove it).
      std::cout << " -H " << shell_quote(h.value.empty() ? h.name + ";" : h.name + ": " + h.value);
    }
    for (const auto& h : result.headers) {
      std::cout << " -H " << shell_quote(h.name + ": " + h.value);
    }
    if (parsed.has("data")) {
      std::cout << " --data-binary " << shell_quote(data);
    } else if (auto path = parsed.value("data-file")) {
      std::cout << " --data-binary " << shell_quote("@" + *path);
    }
    std::cout << "\n";
  }
  return 0;
}

}  // namespace

int run_sign(const Args& args) {
  try {
    return sign_command(args);
  } catch (const UsageError& e) {
    std::cerr << "awsauth sign: " << message_line(e.what()) << " (see 'awsauth sign --help')\n";
    return 2;
  } catch (const signer::SigningError& e) {
    std::cerr << "awsauth sign: " << message_line(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "awsauth sign: " << message_line(e.what()) << "\n";
    return 1;
  }
}

}  // namespace awsauth::cli
