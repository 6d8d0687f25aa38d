// Printing a signature diagnosis (explain_report.hpp).

#include "explain_report.hpp"

#include "awsauth/printable.hpp"
#include "quoting.hpp"

namespace awsauth::cli {
namespace {

// Long enough for a whole canonical header line; the text is the service's, so made printable.
constexpr std::size_t kMaxLine = 4096;

void print_side(std::ostream& out, char mark, const std::optional<std::string>& value) {
  out << "  " << mark << ' ';
  if (value) {
    out << printable(*value, kMaxLine) << "\n";
  } else {
    out << "(no such line)\n";
  }
}

std::string optional_json(const std::optional<std::string>& v) {
  return v ? json_string(*v) : std::string("null");
}

}  // namespace

void print_diagnosis(std::ostream& out, const signer::ServiceReport& report,
                     const signer::Diagnosis& diagnosis) {
  out << "signature diagnosis for "
      << printable(report.code.empty() ? "(no code)" : report.code, 128) << ":\n";
  if (!diagnosis.service_sent_canonical_request && !diagnosis.service_sent_string_to_sign) {
    out << "the service sent neither its canonical request nor its string to sign\n";
  } else if (diagnosis.differences.empty()) {
    out << "the service's " << (diagnosis.service_sent_canonical_request ? "canonical request" : "")
        << (diagnosis.service_sent_canonical_request && diagnosis.service_sent_string_to_sign
                ? " and "
                : "")
        << (diagnosis.service_sent_string_to_sign ? "string to sign" : "")
        << " match the ones signed here\n";
  } else {
    out << "lines that differ (- as signed here, + as the service computed them):\n";
    for (const auto& d : diagnosis.differences) {
      out << signer::signed_text_name(d.text) << ", " << printable(d.line, 256) << ":\n";
      print_side(out, '-', d.ours);
      print_side(out, '+', d.theirs);
    }
  }
  bool first = true;
  for (const auto& c : diagnosis.causes) {
    out << (first ? "likely cause: " : "also possible: ") << signer::cause_name(c.cause) << ": "
        << printable(c.sentence, kMaxLine) << "\n";
    first = false;
  }
}

void print_diagnosis_json(std::ostream& out, const signer::ServiceReport& report,
                          const signer::Diagnosis& diagnosis) {
  out << "{\n  \"code\": " << json_string(report.code)
      << ",\n  \"service_sent_canonical_request\": "
      << (diagnosis.service_sent_canonical_request ? "true" : "false")
      << ",\n  \"service_sent_string_to_sign\": "
      << (diagnosis.service_sent_string_to_sign ? "true" : "false") << ",\n  \"differences\": [";
  for (std::size_t i = 0; i < diagnosis.differences.size(); ++i) {
    const auto& d = diagnosis.differences[i];
    out << (i ? ",\n    " : "\n    ")
        << "{\"text\": " << json_string(signer::signed_text_name(d.text))
        << ", \"line\": " << json_string(d.line) << ", \"signed\": " << optional_json(d.ours)
        << ", \"service\": " << optional_json(d.theirs) << "}";
  }
  out << (diagnosis.differences.empty() ? "]" : "\n  ]") << ",\n  \"causes\": [";
  for (std::size_t i = 0; i < diagnosis.causes.size(); ++i) {
    const auto& c = diagnosis.causes[i];
    out << (i ? ",\n    " : "\n    ") << "{\"cause\": " << json_string(signer::cause_name(c.cause))
        << ", \"sentence\": " << json_string(c.sentence) << "}";
  }
  out << (diagnosis.causes.empty() ? "]" : "\n  ]") << "\n}\n";
}

void print_rejection_diagnosis(std::ostream& out, const HttpResponse& response,
                               const signer::SigningResult& signed_request) {
  if (response.status != 403) return;
  auto report = signer::read_service_report(response.body);
  if (!report) return;
  if (const auto* h = find_header(response.headers, "x-amzn-ErrorType");
      report->code.empty() && h != nullptr) {
    report->code = signer::clean_code(*h);  // API Gateway names the code only there
  }
  if (!signer::is_signature_mismatch(report->code)) return;
  if (!report->canonical_request && !report->string_to_sign) return;
  print_diagnosis(out, *report, signer::explain_rejection(signed_request, *report));
}

}  // namespace awsauth::cli
