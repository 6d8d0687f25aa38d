// awsauth explain: why a service rejected a signature. Reads the service's error body and the
// request as signed (an `awsauth curl -v` log, or the `sign` flags to re-sign it), and prints
// signer::explain_rejection()'s diagnosis (docs/cli.md).

#include "awsauth/signer/explain.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

#include "args.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/signer/service_report.hpp"
#include "awsauth/signer/signer.hpp"
#include "commands.hpp"
#include "explain_report.hpp"
#include "quoting.hpp"
#include "sign_flags.hpp"

namespace awsauth::cli {
namespace {

constexpr int kExitDiagnosed = 0;
constexpr int kExitUnreadable = 1;
// An error body or log larger than this is not what a service or `awsauth curl -v` writes.
constexpr std::size_t kMaxInputBytes = std::size_t{16} << 20;

/// An input that cannot be read or parsed: printed after "awsauth explain: ", exit 1.
struct InputError {
  std::string line;
};

std::string read_input(const std::string& option, const std::string& path) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError{option + ": cannot read '" + printable(path) + "'"};
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) throw InputError{option + ": error reading '" + printable(path) + "'"};
  }
  if (text.size() > kMaxInputBytes) {
    throw InputError{option + ": '" + printable(path) + "' is larger than 16 MiB"};
  }
  return text;
}

/// What `awsauth curl -v` printed between two of its markers; the last request in the log
/// when it holds several.
std::optional<std::string> log_section(const std::string& log, const std::string& start,
                                       const std::string& end) {
  const auto b = log.rfind(start);
  if (b == std::string::npos) return std::nullopt;
  const auto from = b + start.size();
  const auto e = log.find(end, from);
  if (e == std::string::npos) return std::nullopt;
  return log.substr(from, e - from);
}

struct SignedTexts {
  std::string canonical_request;
  std::string string_to_sign;
};

SignedTexts read_curl_log(const std::string& path, const std::string& log) {
  const auto canonical =
      log_section(log, "* canonical request:\n", "\n* canonical request sha256: ");
  const auto string_to_sign = log_section(log, "* string to sign:\n", "\n> ");
  if (!canonical || !string_to_sign) {
    throw InputError{"--curl-log: '" + printable(path) +
                     "' holds no '* canonical request:' and '* string to sign:' of `awsauth curl "
                     "-v` (save the stderr of awsauth curl -v)"};
  }
  return {*canonical, *string_to_sign};
}

// The time to re-sign at when --time is not given: the date the service saw.
std::optional<TimePoint> reported_time(const signer::ServiceReport& report) {
  if (report.string_to_sign) {
    const std::string& s = *report.string_to_sign;
    const auto nl = s.find('\n');
    if (nl != std::string::npos && s.size() >= nl + 17) {
      if (auto t = signer::parse_amz_date(std::string_view(s).substr(nl + 1, 16))) return t;
    }
  }
  if (report.request_time) return signer::parse_amz_date(*report.request_time);
  return std::nullopt;
}

bool has_sign_flags(const ParsedArgs& parsed) {
  for (const auto& o : sign_spec().options) {
    if (o.name != "format" && parsed.has(o.name)) return true;
  }
  return false;
}

int explain(const ParsedArgs& parsed) {
  if (!parsed.positionals().empty()) {
    throw UsageError("unexpected argument '" + printable(parsed.positionals().front()) + "'");
  }
  const std::string body_path = parsed.required("error-body");
  const auto log_path = parsed.value("curl-log");
  if (log_path && has_sign_flags(parsed)) {
    throw UsageError("give either --curl-log or the request's sign flags, not both");
  }
  if (!log_path && !has_sign_flags(parsed)) {
    throw UsageError(
        "missing the request as signed: give --curl-log FILE or the sign flags (--method, "
        "--url, --region, --service, ...)");
  }
  if (log_path && *log_path == "-" && body_path == "-") {
    throw UsageError("--error-body and --curl-log cannot both be read from stdin");
  }
  const bool json = parsed.value("format").value_or("text") == "json";
  try {
    const std::string body = read_input("--error-body", body_path);
    const auto report = signer::read_service_report(body);
    if (!report) {
      throw InputError{"--error-body: '" + printable(body_path) +
                       "' is not an AWS error body (an XML document with <Code>, or a JSON "
                       "object)"};
    }
    SignedTexts ours;
    if (log_path) {
      ours = read_curl_log(*log_path, read_input("--curl-log", *log_path));
    } else {
      if (const auto file = parsed.value("data-file"); file && !std::ifstream(*file)) {
        throw InputError{"--data-file: cannot read '" + printable(*file) + "'"};
      }
      const auto result = sign_from_flags(parsed, reported_time(*report));
      ours = {result.canonical_request, result.string_to_sign};
    }
    const auto diagnosis =
        signer::explain_rejection(ours.canonical_request, ours.string_to_sign, *report);
    if (json) {
      print_diagnosis_json(std::cout, *report, diagnosis);
    } else {
      print_diagnosis(std::cout, *report, diagnosis);
    }
    std::cout.flush();
    return std::cout.good() ? kExitDiagnosed : kExitUnreadable;
  } catch (const InputError& e) {
    std::cerr << "awsauth explain: " << e.line << "\n";
    return kExitUnreadable;
  } catch (const SignFlagsError& e) {
    std::cerr << "awsauth explain: " << message_line(e.what()) << "\n";
    return kExitUnreadable;
  }
}

}  // namespace

const CommandSpec& explain_spec() {
  static const CommandSpec kSpec = [] {
    CommandSpec spec{
        .name = "explain",
        .summary = "say why a service rejected a signature (SignatureDoesNotMatch)",
        .synopsis =
            "--error-body FILE [--curl-log FILE | <the flags of awsauth sign>]\n"
            "                    [--format text|json]",
        .description =
            "Compares the canonical request and string to sign a service returned in its "
            "error body with the ones signed here (from an `awsauth curl -v` log, or re-signed "
            "from the flags of `awsauth sign`), prints the lines that differ and names the "
            "likely cause: path or query encoding, header whitespace, a signed header changed "
            "in transit, clock skew, wrong region or service, the body, or a different secret "
            "key. Nothing is sent.",
        .options = {{.name = "error-body",
                     .value_name = "FILE",
                     .meaning = "the service's error response body (required); - reads stdin"},
                    {.name = "curl-log",
                     .value_name = "FILE",
                     .meaning = "the stderr of `awsauth curl -v` for the rejected request; - "
                                "reads stdin"},
                    {.name = "format",
                     .value_name = "FORMAT",
                     .meaning = "text: the differing lines and the causes; json: one object "
                                "with both",
                     .default_text = "text",
                     .choices = {"text", "json"}}},
        .environment = {{"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN",
                         "with the sign flags: the keys to re-sign with, as for sign"}},
        .exit_codes = {{0, "a diagnosis is on stdout"},
                       {1,
                        "an input cannot be read or parsed (the file and what is wrong are "
                        "named), or no keys to re-sign with"},
                       {2, "usage error"}},
        .examples =
            {"awsauth curl -v --service s3 --region eu-west-1 https://b.s3.amazonaws.com/k "
             ">body.xml 2>curl.log; awsauth explain --error-body body.xml --curl-log curl.log",
             "awsauth explain --error-body body.xml --method GET --url "
             "https://b.s3.amazonaws.com/k --region eu-west-1 --service s3"},
    };
    // The request flags are sign's own (same names, values and defaults); --format is ours.
    for (auto o : sign_spec().options) {
      if (o.name == "format") continue;
      if (o.name == "time") o.default_text = "the date in the error body, else now";
      if (o.name == "presign") o.meaning = "sign as a presigned URL valid for SECONDS";
      spec.options.push_back(std::move(o));
    }
    return spec;
  }();
  return kSpec;
}

int run_explain(const Args& args) {
  try {
    return run_command(explain_spec(), args, explain);
  } catch (const signer::SigningError& e) {
    return report_usage_error(explain_spec(), e.what());
  } catch (const std::exception& e) {
    std::cerr << "awsauth explain: " << message_line(e.what()) << "\n";
    return kExitUnreadable;
  }
}

}  // namespace awsauth::cli
