// Reading a service's error body (service_report.hpp). The documents are small and flat, so
// XML is a scan for elements by name and JSON a small reader of string members; neither
// throws, and nesting is bounded so no body can exhaust the stack.

#include "awsauth/signer/service_report.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace awsauth::signer {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(kWhitespace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kWhitespace) - b + 1);
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// --- XML -------------------------------------------------------------------------------------

// `&#NN;` / `&#xHH;` at the start of `s` (a valid Unicode scalar value), or nullopt.
std::optional<std::pair<std::uint32_t, std::size_t>> numeric_reference(std::string_view s) {
  if (s.size() < 4 || s[0] != '&' || s[1] != '#') return std::nullopt;
  const bool hex = s[2] == 'x' || s[2] == 'X';
  std::size_t i = hex ? 3 : 2;
  std::uint32_t cp = 0;
  const std::size_t digits_start = i;
  for (; i < s.size() && i < digits_start + 8 && s[i] != ';'; ++i) {
    const int v = hex ? hex_value(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
    if (v < 0) return std::nullopt;
    cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
  }
  if (i == digits_start || i >= s.size() || s[i] != ';') return std::nullopt;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return std::pair{cp, i + 1};
}

// The text of the first <tag>...</tag>, with the five named entities and numeric character
// references decoded (S3 writes a CR in a canonical request as `&#13;`).
std::optional<std::string> xml_element(std::string_view xml, std::string_view tag) {
  std::string open(1, '<');
  open.append(tag).push_back('>');
  std::string close("</");
  close.append(tag).push_back('>');
  const auto b = xml.find(open);
  if (b == std::string_view::npos) return std::nullopt;
  const auto start = b + open.size();
  const auto e = xml.find(close, start);
  if (e == std::string_view::npos) return std::nullopt;
  std::string out;
  const std::string_view raw = xml.substr(start, e - start);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
      bool done = false;
      for (const auto& [name, ch] : kEntities) {
        if (raw.substr(i, name.size()) == name) {
          out += ch;
          i += name.size() - 1;
          done = true;
          break;
        }
      }
      if (done) continue;
      if (const auto ref = numeric_reference(raw.substr(i))) {
        append_utf8(out, ref->first);
        i += ref->second - 1;
        continue;
      }
    }
    out += raw[i];
  }
  return out;
}

// S3's `<CanonicalRequestBytes>47 45 54 0a ...`: hex byte pairs separated by spaces. nullopt
// when empty or not of that form (then the text element is used).
std::optional<std::string> hex_bytes(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (kWhitespace.find(text[i]) != std::string_view::npos) {
      ++i;
      continue;
    }
    if (i + 1 >= text.size()) return std::nullopt;
    const int hi = hex_value(text[i]);
    const int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
    if (i < text.size() && kWhitespace.find(text[i]) == std::string_view::npos) {
      return std::nullopt;
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// The exact bytes when S3 sent them, else the text (trimmed: S3 and the forums that quote it
// put line breaks around the element's text, and neither signed text starts or ends with
// whitespace).
std::optional<std::string> signed_text(std::string_view xml, std::string_view tag,
                                       std::string_view bytes_tag) {
  if (const auto bytes = xml_element(xml, bytes_tag)) {
    if (auto decoded = hex_bytes(*bytes)) return decoded;
  }
  if (const auto text = xml_element(xml, tag)) {
    const std::string_view t = trim(*text);
    if (!t.empty()) return std::string(t);
  }
  return std::nullopt;
}

// --- JSON ------------------------------------------------------------------------------------

// Reads one JSON value; keeps the top-level object's string members and the first string found
// under a key named `message`/`Message` at any depth. Returns false on malformed JSON.
class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : s_(text) {}

  bool read_document() {
    skip_ws();
    if (!read_value(0, {})) return false;
    skip_ws();
    return pos_ == s_.size();
  }

  std::vector<std::pair<std::string, std::string>> top_level;
  std::optional<std::string> nested_message;

 private:
  static constexpr int kMaxDepth = 64;

  void skip_ws() {
    while (pos_ < s_.size() && kWhitespace.find(s_[pos_]) != std::string_view::npos) ++pos_;
  }

  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool read_hex4(std::uint32_t& out) {
    if (pos_ + 4 > s_.size()) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      const int v = hex_value(s_[pos_++]);
      if (v < 0) return false;
      out = out * 16 + static_cast<std::uint32_t>(v);
    }
    return true;
  }

  bool read_string(std::string& out) {
    if (pos_ >= s_.size() || s_[pos_] != '"') return false;
    ++pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) return false;
      const char e = s_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!read_hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF && s_.substr(pos_, 2) == "\\u") {
            const std::size_t save = pos_;
            pos_ += 2;
            std::uint32_t low = 0;
            if (read_hex4(low) && low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = save;
            }
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // a lone surrogate
          append_utf8(out, cp);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  bool read_number() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() &&
           std::string_view("+-0123456789.eE").find(s_[pos_]) != std::string_view::npos) {
      ++pos_;
    }
    return pos_ > start;
  }

  // `key` is the member name this value belongs to (empty in arrays and at the top).
  bool read_value(int depth, std::string_view key) {
    if (depth > kMaxDepth || pos_ >= s_.size()) return false;
    const char c = s_[pos_];
    if (c == '{') return read_object(depth);
    if (c == '[') return read_array(depth);
    if (c == '"') {
      std::string value;
      if (!read_string(value)) return false;
      if (depth > 1 && !nested_message && (key == "message" || key == "Message")) {
        nested_message = std::move(value);
      }
      return true;
    }
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    return read_number();
  }

  bool read_object(int depth) {
    ++pos_;  // '{'
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_ws();
      std::string name;
      if (!read_string(name)) return false;
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != ':') return false;
      ++pos_;
      skip_ws();
      if (depth == 0 && pos_ < s_.size() && s_[pos_] == '"') {
        std::string value;
        if (!read_string(value)) return false;
        top_level.emplace_back(std::move(name), std::move(value));
      } else if (!read_value(depth + 1, name)) {
        return false;
      }
      skip_ws();
      if (pos_ >= s_.size()) return false;
      if (s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      if (s_[pos_++] != ',') return false;
    }
  }

  bool read_array(int depth) {
    ++pos_;  // '['
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_ws();
      if (!read_value(depth + 1, {})) return false;
      skip_ws();
      if (pos_ >= s_.size()) return false;
      if (s_[pos_] == ']') {
        ++pos_;
        return true;
      }
      if (s_[pos_++] != ',') return false;
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// A later duplicate member replaces an earlier one, as in Poco's and Python's parsers.
const std::string* member(const JsonReader& json, std::string_view name) {
  const std::string* found = nullptr;
  for (const auto& [k, v] : json.top_level) {
    if (k == name) found = &v;
  }
  return found;
}

// --- the details in a message ----------------------------------------------------------------

constexpr std::string_view kCanonicalMarker =
    "The Canonical String for this request should have been";
constexpr std::string_view kStringToSignMarker = "The String-to-Sign should have been";

// The text quoted after `marker`: from the first `'` after it to the last `'` before `end`
// (a header value in the canonical string may itself hold a `'`).
std::optional<std::string> quoted_after(std::string_view message, std::string_view marker,
                                        std::size_t end) {
  const auto at = message.find(marker);
  if (at == std::string_view::npos || at >= end) return std::nullopt;
  const auto open = message.find('\'', at + marker.size());
  if (open == std::string_view::npos || open >= end) return std::nullopt;
  const auto close = message.rfind('\'', end == std::string_view::npos ? end : end - 1);
  if (close == std::string_view::npos || close <= open) return std::nullopt;
  return std::string(message.substr(open + 1, close - open - 1));
}

// A `YYYYMMDDTHHMMSSZ` at `at`.
bool amz_date_at(std::string_view s, std::size_t at) {
  if (at + 16 > s.size()) return false;
  for (std::size_t i = 0; i < 16; ++i) {
    const char c = s[at + i];
    const bool ok = i == 8 ? c == 'T' : i == 15 ? c == 'Z' : (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// The text between the first `'` after `marker` and the next `'`.
std::optional<std::string> single_quoted(std::string_view message, std::string_view marker) {
  const auto at = message.find(marker);
  if (at == std::string_view::npos) return std::nullopt;
  const auto open = message.find('\'', at + marker.size());
  if (open == std::string_view::npos) return std::nullopt;
  const auto close = message.find('\'', open + 1);
  if (close == std::string_view::npos) return std::nullopt;
  return std::string(message.substr(open + 1, close - open - 1));
}

// "Signature expired: 20130524T000000Z is now earlier than 20130524T000500Z (20130524T001000Z
// - 5 min.)" and "Signature not yet current: ... (... + 5 min.)" (the IAM troubleshooting
// guide's wording); the region and service the scope should have named.
void read_message_details(ServiceReport& report) {
  const std::string_view m = report.message;
  const auto canonical_end = m.find(kStringToSignMarker);
  if (!report.canonical_request) {
    report.canonical_request = quoted_after(m, kCanonicalMarker, canonical_end);
  }
  if (!report.string_to_sign) {
    report.string_to_sign = quoted_after(m, kStringToSignMarker, std::string_view::npos);
  }
  for (std::string_view marker : {"Signature expired:", "Signature not yet current:"}) {
    const auto at = m.find(marker);
    if (at == std::string_view::npos) continue;
    const auto date = m.find_first_not_of(' ', at + marker.size());
    if (!report.request_time && date != std::string_view::npos && amz_date_at(m, date)) {
      report.request_time = std::string(m.substr(date, 16));
    }
    const auto paren = m.find('(', at);
    if (!report.server_time && paren != std::string_view::npos && amz_date_at(m, paren + 1)) {
      report.server_time = std::string(m.substr(paren + 1, 16));
    }
  }
  if (!report.expected_region) {
    // S3: "the region 'us-east-1' is wrong; expecting 'eu-west-1'".
    report.expected_region = single_quoted(m, "expecting");
  }
  if (!report.expected_service) {
    report.expected_service = single_quoted(m, "scoped to correct service");
  }
}

std::optional<ServiceReport> read_xml(std::string_view body) {
  auto code = xml_element(body, "Code");
  if (!code) return std::nullopt;
  ServiceReport report;
  report.code = std::move(*code);
  report.message = xml_element(body, "Message").value_or("");
  report.canonical_request = signed_text(body, "CanonicalRequest", "CanonicalRequestBytes");
  report.string_to_sign = signed_text(body, "StringToSign", "StringToSignBytes");
  report.request_time = xml_element(body, "RequestTime");
  report.server_time = xml_element(body, "ServerTime");
  report.expected_region = xml_element(body, "Region");
  read_message_details(report);
  return report;
}

std::optional<ServiceReport> read_json(std::string_view body) {
  JsonReader json(body);
  if (!json.read_document()) return std::nullopt;
  ServiceReport report;
  for (const char* k : {"__type", "code", "Code"}) {
    if (const auto* v = member(json, k)) {
      report.code = clean_code(*v);
      break;
    }
  }
  for (const char* k : {"message", "Message", "errorMessage"}) {
    if (const auto* v = member(json, k)) {
      report.message = *v;
      break;
    }
  }
  read_message_details(report);
  if (!report.canonical_request && !report.string_to_sign && json.nested_message) {
    ServiceReport nested;
    nested.message = *json.nested_message;
    read_message_details(nested);
    report.canonical_request = std::move(nested.canonical_request);
    report.string_to_sign = std::move(nested.string_to_sign);
  }
  return report;
}

}  // namespace

std::optional<ServiceReport> read_service_report(std::string_view body) {
  const auto first = body.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return std::nullopt;
  // A JSON body is a top-level object (Poco's parser read it so for `awsauth curl` before).
  if (body[first] == '<') return read_xml(body);
  if (body[first] == '{') return read_json(body.substr(first));
  return std::nullopt;
}

std::string clean_code(std::string code) {
  if (const auto colon = code.find(':'); colon != std::string::npos) code.resize(colon);
  if (const auto hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
  return code;
}

bool is_signature_mismatch(std::string_view code) noexcept {
  return code == "SignatureDoesNotMatch" || code == "InvalidSignatureException";
}

}  // namespace awsauth::signer
