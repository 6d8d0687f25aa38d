// explain_rejection(): which lines of the canonical request and string to sign the service
// computed differently, and what usually makes them differ (the IAM guide "Troubleshoot
// signed requests for AWS APIs" names the same families: canonicalization, credential scope,
// time, key).

#include "awsauth/signer/explain.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/signer/signer.hpp"

namespace awsauth::signer {
namespace {

constexpr std::string_view kRedacted = "<redacted>";

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

// A canonical request cut into its named lines. `well_formed` is false when it does not have
// the shape METHOD, URI, QUERY, headers, blank line, SIGNED, PAYLOAD (then lines are compared
// by number).
struct CanonicalLines {
  bool well_formed = false;
  std::string method, path, query;
  /// name, value; a session token's value is kept to be compared, never shown
  std::vector<std::pair<std::string, std::string>> headers;
  std::string signed_headers, payload_hash;
  std::vector<std::string> raw;  ///< every line (redacted), for the fallback
};

std::string redact_query(std::string_view query) {
  std::string out;
  for (const auto part : split(query, '&')) {
    if (!out.empty()) out += '&';
    const auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == "X-Amz-Security-Token") {
      out.append(part.substr(0, eq + 1)).append(kRedacted);
    } else {
      out.append(part);
    }
  }
  return out;
}

bool is_token_header(std::string_view name) {
  return awsauth::detail::ascii_iequals(name, "x-amz-security-token");
}

// A line of the block `name:value` with the token's value redacted.
std::string redact_line(std::string_view line) {
  const auto colon = line.find(':');
  if (colon != std::string_view::npos && is_token_header(line.substr(0, colon))) {
    return std::string(line.substr(0, colon + 1)).append(kRedacted);
  }
  if (line.find("X-Amz-Security-Token=") != std::string_view::npos) return redact_query(line);
  return std::string(line);
}

CanonicalLines cut_canonical_request(std::string_view text) {
  CanonicalLines out;
  const auto lines = split(text, '\n');
  for (const auto l : lines) out.raw.push_back(redact_line(l));
  // METHOD, URI, QUERY, >= 0 headers, "", SIGNED, PAYLOAD.
  if (lines.size() < 6) return out;
  const std::size_t blank = [&] {
    for (std::size_t i = 3; i + 2 < lines.size(); ++i) {
      if (lines[i].empty()) return i;
    }
    return std::string_view::npos;
  }();
  if (blank == std::string_view::npos || blank + 3 != lines.size()) return out;
  out.method = lines[0];
  out.path = lines[1];
  out.query = redact_query(lines[2]);
  for (std::size_t i = 3; i < blank; ++i) {
    const auto colon = lines[i].find(':');
    if (colon == std::string_view::npos) return out;
    std::string name = awsauth::detail::ascii_lower(lines[i].substr(0, colon));
    std::string value(lines[i].substr(colon + 1));
    out.headers.emplace_back(std::move(name), std::move(value));
  }
  out.signed_headers = lines[blank + 1];
  out.payload_hash = lines[blank + 2];
  out.well_formed = true;
  return out;
}

// --- percent-encoding ------------------------------------------------------------------------

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_digit(s[i + 1]);
      const int lo = hex_digit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += plus_is_space && s[i] == '+' ? ' ' : s[i];
  }
  return out;
}

// Decoded until nothing changes (at most a few rounds): the text both encodings stand for.
std::string fully_decoded(std::string_view s) {
  std::string cur(s);
  for (int round = 0; round < 4; ++round) {
    std::string next = percent_decode(cur, false);
    if (next == cur) break;
    cur = std::move(next);
  }
  return cur;
}

bool contains_ci(std::string_view s, std::string_view needle) {
  return awsauth::detail::ascii_lower(s).find(awsauth::detail::ascii_lower(needle)) !=
         std::string::npos;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// --- causes ----------------------------------------------------------------------------------

// Lower ranks are more likely; causes of the same rank keep the order they were found in.
int rank(Cause c) {
  switch (c) {
    case Cause::ClockSkew:
      return 1;
    case Cause::WrongRegion:
      return 2;
    case Cause::WrongService:
      return 3;
    case Cause::SignedHeaderChanged:
      return 4;
    case Cause::HeaderWhitespace:
      return 5;
    case Cause::PathEncoding:
      return 6;
    case Cause::QueryEncoding:
      return 7;
    case Cause::PayloadChanged:
      return 8;
    case Cause::RequestChanged:
      return 9;
    case Cause::DifferentSecret:
      return 10;
    case Cause::NotReported:
      return 11;
  }
  return 12;
}

class Explainer {
 public:
  explicit Explainer(const ServiceReport& report) : report_(report) {}

  void add(Cause cause, std::string sentence) {
    for (const auto& c : causes_) {
      if (c.cause == cause && c.sentence == sentence) return;
    }
    causes_.push_back({cause, std::move(sentence)});
  }

  void differ(SignedText text, std::string line, std::optional<std::string> ours,
              std::optional<std::string> theirs) {
    diffs_.push_back({text, std::move(line), std::move(ours), std::move(theirs)});
  }

  // What the code and message say without either text.
  void from_message() {
    const std::string& m = report_.message;
    const bool skewed = report_.code == "RequestTimeTooSkewed" ||
                        m.find("Signature expired") != std::string::npos ||
                        m.find("Signature not yet current") != std::string::npos;
    if (skewed) {
      std::string s = "the service says the request time is too far from its clock";
      if (report_.request_time) s += " (request time " + *report_.request_time;
      if (report_.request_time && report_.server_time) s += ", its time " + *report_.server_time;
      if (report_.request_time) s += ")";
      s += ": correct this machine's clock (NTP), or sign with the current time";
      add(Cause::ClockSkew, s);
    }
    if (report_.expected_region) {
      add(Cause::WrongRegion, "the service expects region " + quoted(*report_.expected_region) +
                                  ": sign for that region");
    } else if (contains_ci(m, "scoped to a valid region")) {
      add(Cause::WrongRegion,
          "the service says the credential scope's region is not its own: sign for the region of "
          "the endpoint");
    }
    if (report_.expected_service) {
      add(Cause::WrongService, "the service expects signing name " +
                                   quoted(*report_.expected_service) + ": sign for that service");
    }
  }

  void compare_canonical(std::string_view ours_text, std::string_view theirs_text) {
    const CanonicalLines ours = cut_canonical_request(ours_text);
    const CanonicalLines theirs = cut_canonical_request(theirs_text);
    if (!ours.well_formed || !theirs.well_formed) {
      compare_by_number(ours.raw, theirs.raw);
      return;
    }
    if (ours.method != theirs.method) {
      differ(SignedText::CanonicalRequest, "method", ours.method, theirs.method);
      add(Cause::RequestChanged, "the method reached the service as " + quoted(theirs.method) +
                                     " but was signed as " + quoted(ours.method) +
                                     " (a redirect or a proxy changed it)");
    }
    if (ours.path != theirs.path) {
      differ(SignedText::CanonicalRequest, "path", ours.path, theirs.path);
      explain_path(ours.path, theirs.path);
    }
    if (ours.query != theirs.query) {
      differ(SignedText::CanonicalRequest, "query", ours.query, theirs.query);
      explain_query(ours.query, theirs.query);
    }
    compare_headers(ours.headers, theirs.headers);
    if (ours.signed_headers != theirs.signed_headers) {
      differ(SignedText::CanonicalRequest, "signed headers", ours.signed_headers,
             theirs.signed_headers);
    }
    if (ours.payload_hash != theirs.payload_hash) {
      differ(SignedText::CanonicalRequest, "payload hash", ours.payload_hash, theirs.payload_hash);
      explain_payload(ours.payload_hash, theirs.payload_hash);
    }
  }

  void compare_string_to_sign(std::string_view ours_text, std::string_view theirs_text,
                              bool canonical_compared) {
    const auto ours = split(ours_text, '\n');
    const auto theirs = split(theirs_text, '\n');
    static constexpr std::string_view kNames[] = {"algorithm", "date", "scope",
                                                  "canonical request hash"};
    const std::size_t n = std::max(ours.size(), theirs.size());
    for (std::size_t i = 0; i < n; ++i) {
      const std::optional<std::string> o =
          i < ours.size() ? std::optional<std::string>(ours[i]) : std::nullopt;
      const std::optional<std::string> t =
          i < theirs.size() ? std::optional<std::string>(theirs[i]) : std::nullopt;
      if (o == t) continue;
      const std::string name = i < 4 ? std::string(kNames[i]) : "line " + std::to_string(i + 1);
      differ(SignedText::StringToSign, name, o, t);
      if (!o || !t) continue;
      if (i == 0) {
        add(Cause::RequestChanged,
            "the service verified with algorithm " + quoted(*t) + ", not " + quoted(*o));
      } else if (i == 1) {
        add(Cause::ClockSkew, "the service's string to sign carries the date " + *t + ", ours " +
                                  *o +
                                  ": the X-Amz-Date it received is not the one signed (a proxy "
                                  "rewrote it, or the request was signed for another time)");
      } else if (i == 2) {
        explain_scope(*o, *t);
      } else if (i == 3 && !canonical_compared) {
        add(Cause::RequestChanged,
            "the service computed a different canonical request (its hash " + *t + ", ours " + *o +
                ") but did not return it: the path, the query, a signed header or the body "
                "changed between signing and the service; S3 returns its canonical request");
      }
    }
  }

  void conclude(bool sent_canonical, bool sent_string_to_sign) {
    // Only a service that could not verify the signature sends its texts (API Gateway's JSON
    // body names no code: it is in x-amzn-ErrorType), so no code is required here.
    if (diffs_.empty() && (sent_canonical || sent_string_to_sign)) {
      std::string s =
          "the service computed the same " +
          std::string(sent_canonical && sent_string_to_sign ? "canonical request and string to sign"
                      : sent_string_to_sign                 ? "string to sign"
                                                            : "canonical request") +
          " as we did, so the signature can differ only through the key: the secret access key "
          "is not the one that belongs to the access key id (a wrong, rotated or mistyped secret)";
      if (!sent_string_to_sign) {
        s += "; the service did not send its string to sign, so a different date, region or "
             "service in the scope would look the same";
      }
      add(Cause::DifferentSecret, s);
    }
    if (causes_.empty()) {
      if (!sent_canonical && !sent_string_to_sign) {
        add(Cause::NotReported,
            "the service returned neither its canonical request nor its string to sign, so the "
            "causes cannot be told apart: check the secret key, the region and service name, "
            "this machine's clock, and that no proxy changes a signed header, the path or the "
            "body (S3 and most AWS services return both)");
      } else {
        add(Cause::RequestChanged,
            "the service's texts differ from ours in a way none of the known causes explains; "
            "compare the lines above");
      }
    }
    // Ordered through their indices: a std algorithm instantiated on the exported LikelyCause
    // would be exported from the shared library with it (.ci/check-exports).
    std::vector<std::size_t> order(causes_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
      return rank(causes_[a].cause) < rank(causes_[b].cause);
    });
    std::vector<LikelyCause> sorted;
    sorted.reserve(causes_.size());
    for (const std::size_t i : order) sorted.push_back(std::move(causes_[i]));
    causes_ = std::move(sorted);
  }

  std::vector<LineDifference> diffs_;
  std::vector<LikelyCause> causes_;

 private:
  void compare_by_number(const std::vector<std::string>& ours,
                         const std::vector<std::string>& theirs) {
    const std::size_t n = std::max(ours.size(), theirs.size());
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
      const auto o = i < ours.size() ? std::optional<std::string>(ours[i]) : std::nullopt;
      const auto t = i < theirs.size() ? std::optional<std::string>(theirs[i]) : std::nullopt;
      if (o == t) continue;
      differ(SignedText::CanonicalRequest, "line " + std::to_string(i + 1), o, t);
      any = true;
    }
    if (any) {
      add(Cause::RequestChanged,
          "one of the canonical requests does not have the SigV4 shape (method, path, query, "
          "headers, a blank line, signed headers, payload hash): compare the lines above");
    }
  }

  void explain_path(const std::string& ours, const std::string& theirs) {
    const bool slash_differs = contains_ci(ours, "%2F") != contains_ci(theirs, "%2F");
    if (slash_differs && fully_decoded(ours) == fully_decoded(theirs)) {
      add(Cause::PathEncoding,
          "an encoded slash (%2F) in the path was decoded to '/' (or a '/' encoded) between "
          "signing and the service (" +
              quoted(ours) + " signed, " + quoted(theirs) +
              " received): send the path exactly as signed");
      return;
    }
    if (contains_ci(ours, "%25") && percent_decode(ours, false) == theirs) {
      add(Cause::PathEncoding,
          "the path was encoded twice when signing and once by the service: S3 does not "
          "double-encode the path (sign with S3's rules: --s3, SigningSettings::for_service(..., "
          "\"s3\"))");
      return;
    }
    if (contains_ci(theirs, "%25") && percent_decode(theirs, false) == ours) {
      add(Cause::PathEncoding,
          "the service encodes the path once more than the signer did: every service but S3 "
          "signs the path encoded twice (do not use S3's rules for this service), or the path "
          "on the wire was encoded again after signing");
      return;
    }
    if (fully_decoded(ours) == fully_decoded(theirs)) {
      add(Cause::PathEncoding, "the path is the same text encoded differently (" + quoted(ours) +
                                   " signed, " + quoted(theirs) +
                                   " computed by the service): send the path exactly as "
                                   "signed (a client library re-encoded it)");
      return;
    }
    const std::string o = fully_decoded(ours);
    const std::string t = fully_decoded(theirs);
    std::string plus_as_space = o;
    std::replace(plus_as_space.begin(), plus_as_space.end(), '+', ' ');
    std::string theirs_plus = t;
    std::replace(theirs_plus.begin(), theirs_plus.end(), '+', ' ');
    if (plus_as_space == theirs_plus) {
      add(Cause::PathEncoding,
          "the path differs in '+' against a space: in a path '+' is a plus sign, not a space "
          "(encode a space as %20 and a plus as %2B)");
      return;
    }
    add(Cause::RequestChanged, "the path reached the service as " + quoted(theirs) +
                                   " but was signed as " + quoted(ours) +
                                   " (a proxy or a base path rewrote it)");
  }

  using Pairs = std::vector<std::pair<std::string, std::string>>;

  static Pairs query_pairs(std::string_view q, bool plus_is_space) {
    Pairs out;
    if (q.empty()) return out;
    for (const auto part : split(q, '&')) {
      const auto eq = part.find('=');
      out.emplace_back(percent_decode(part.substr(0, eq), plus_is_space),
                       eq == std::string_view::npos
                           ? std::string()
                           : percent_decode(part.substr(eq + 1), plus_is_space));
    }
    return out;
  }

  void explain_query(const std::string& ours, const std::string& theirs) {
    Pairs o = query_pairs(ours, false);
    Pairs t = query_pairs(theirs, false);
    if (o == t) {
      add(Cause::QueryEncoding,
          "the query has the same parameters encoded differently: each name and value is "
          "encoded with only A-Z a-z 0-9 - . _ ~ kept (a space as %20, never '+')");
      return;
    }
    Pairs os = o, ts = t;
    std::sort(os.begin(), os.end());
    std::sort(ts.begin(), ts.end());
    if (os == ts) {
      add(Cause::QueryEncoding,
          "the query has the same parameters in another order: the canonical query is sorted by "
          "name, then value (byte order)");
      return;
    }
    // A '+' read as a space on one side and as a plus on the other.
    Pairs op = query_pairs(ours, true), tp = query_pairs(theirs, true);
    for (Pairs* pairs : {&op, &tp}) {
      for (auto& [k, v] : *pairs) {
        std::replace(k.begin(), k.end(), '+', ' ');
        std::replace(v.begin(), v.end(), '+', ' ');
      }
    }
    std::sort(op.begin(), op.end());
    std::sort(tp.begin(), tp.end());
    if (op == tp) {
      add(Cause::QueryEncoding,
          "the query differs in '+' against a space: the service read a '+' in the query as the "
          "other one; send a space as %20 and a plus as %2B");
      return;
    }
    add(Cause::RequestChanged,
        "the query reached the service with other parameters than were "
        "signed (a proxy added or removed some)");
  }

  static std::string collapsed(std::string_view v) {
    std::string out;
    bool space = false;
    for (const char c : v) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
        space = true;
        continue;
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
    return out;
  }

  static std::string without_spaces(std::string_view v) {
    std::string out;
    for (const char c : v) {
      if (c != ' ' && c != '\t') out += c;
    }
    return out;
  }

  void compare_headers(const Pairs& ours, const Pairs& theirs) {
    std::map<std::string, std::string> o, t;
    for (const auto& [k, v] : ours) o[k] = v;
    for (const auto& [k, v] : theirs) t[k] = v;
    std::set<std::string> names;
    for (const auto& [k, v] : o) names.insert(k);
    for (const auto& [k, v] : t) names.insert(k);
    for (const auto& name : names) {
      const auto oi = o.find(name);
      const auto ti = t.find(name);
      const std::optional<std::string> ov =
          oi == o.end() ? std::nullopt : std::optional<std::string>(oi->second);
      const std::optional<std::string> tv =
          ti == t.end() ? std::nullopt : std::optional<std::string>(ti->second);
      if (ov == tv) continue;
      if (is_token_header(name)) {
        // `awsauth curl -v` logs show the token as <redacted>: then it cannot be compared.
        if (ov == kRedacted || tv == kRedacted) continue;
        const auto hide = [](const auto& v) {
          return v ? std::optional<std::string>(kRedacted) : std::nullopt;
        };
        differ(SignedText::CanonicalRequest, "header " + name, hide(ov), hide(tv));
        add(Cause::SignedHeaderChanged,
            tv ? "the session token the service received is not the one that was signed (values "
                 "not shown)"
               : "the signed session token did not reach the service");
        continue;
      }
      differ(SignedText::CanonicalRequest, "header " + name, ov, tv);
      if (!tv) {
        add(Cause::SignedHeaderChanged,
            "the signed header '" + name +
                "' did not reach the service (a proxy or the HTTP client dropped it)");
        continue;
      }
      if (!ov) {
        add(Cause::SignedHeaderChanged,
            "the service signed a header '" + name +
                "' that was not signed here: the header list it was told to sign differs");
        continue;
      }
      explain_header(name, *ov, *tv);
    }
  }

  void explain_header(const std::string& name, const std::string& ours, const std::string& theirs) {
    if (collapsed(ours) == collapsed(theirs) || without_spaces(ours) == without_spaces(theirs)) {
      add(Cause::HeaderWhitespace,
          "the value of '" + name +
              "' differs only in whitespace: a canonical header value is trimmed and each run "
              "of spaces is one space, and what is sent must be what was signed");
      return;
    }
    std::string s = "the signed header '" + name + "' reached the service as " + quoted(theirs) +
                    " but was signed as " + quoted(ours) +
                    ": something between the signer and the service (a proxy, a load balancer, "
                    "the HTTP client) changed it";
    if (name == "host") {
      s += "; sign the Host the service receives (with its port, if not the default)";
    } else if (name == "content-length" || name == "content-type" || name == "content-encoding") {
      s += "; sign the body and its headers exactly as sent, or leave this header unsigned";
    } else if (name == "x-amz-date") {
      s += "; the date is signed, so nothing may rewrite it";
    }
    add(Cause::SignedHeaderChanged, s);
  }

  void explain_payload(const std::string& ours, const std::string& theirs) {
    std::string s =
        "the payload hash differs (signed " + ours + ", computed by the service " + theirs + ")";
    if (theirs == kUnsignedPayload || ours == kUnsignedPayload ||
        theirs.rfind("STREAMING-", 0) == 0 || ours.rfind("STREAMING-", 0) == 0) {
      s += ": the payload hash modes differ (UNSIGNED-PAYLOAD or a streaming mode on one side "
           "only); send X-Amz-Content-SHA256 with the value signed";
    } else {
      s += ": the body the service received is not the body that was hashed (it was changed, "
           "re-encoded or compressed in transit, or the hash was of other bytes)";
    }
    add(Cause::PayloadChanged, s);
  }

  void explain_scope(const std::string& ours, const std::string& theirs) {
    const auto o = split(ours, '/');
    const auto t = split(theirs, '/');
    if (o.size() != 4 || t.size() != 4) {
      add(Cause::RequestChanged, "the credential scopes differ in shape: " + quoted(ours) +
                                     " signed, " + quoted(theirs) + " expected");
      return;
    }
    if (o[0] != t[0]) {
      add(Cause::ClockSkew, "the scope's date is " + std::string(o[0]) + ", the service's " +
                                std::string(t[0]) +
                                ": the scope date must be the UTC day of X-Amz-Date");
    }
    if (o[1] != t[1]) {
      add(Cause::WrongRegion, "signed for region " + quoted(o[1]) + " but the service is in " +
                                  quoted(t[1]) + ": sign for " + quoted(t[1]));
    }
    if (o[2] != t[2]) {
      add(Cause::WrongService, "signed for service " + quoted(o[2]) +
                                   " but the service's signing name is " + quoted(t[2]) +
                                   ": sign for " + quoted(t[2]));
    }
  }

  const ServiceReport& report_;
};

}  // namespace

Diagnosis explain_rejection(std::string_view canonical_request, std::string_view string_to_sign,
                            const ServiceReport& report) {
  Diagnosis d;
  d.service_sent_canonical_request = report.canonical_request.has_value();
  d.service_sent_string_to_sign = report.string_to_sign.has_value();
  Explainer e(report);
  e.from_message();
  const bool compare_canonical = report.canonical_request && !canonical_request.empty();
  if (compare_canonical) e.compare_canonical(canonical_request, *report.canonical_request);
  if (report.string_to_sign && !string_to_sign.empty()) {
    e.compare_string_to_sign(string_to_sign, *report.string_to_sign, compare_canonical);
  }
  e.conclude(compare_canonical, report.string_to_sign && !string_to_sign.empty());
  d.differences = std::move(e.diffs_);
  d.causes = std::move(e.causes_);
  return d;
}

Diagnosis explain_rejection(const SigningResult& signed_request, const ServiceReport& report) {
  return explain_rejection(signed_request.canonical_request, signed_request.string_to_sign, report);
}

std::string_view cause_name(Cause cause) noexcept {
  switch (cause) {
    case Cause::ClockSkew:
      return "clock skew";
    case Cause::WrongRegion:
      return "wrong region";
    case Cause::WrongService:
      return "wrong service";
    case Cause::PathEncoding:
      return "path encoding";
    case Cause::QueryEncoding:
      return "query encoding";
    case Cause::HeaderWhitespace:
      return "header whitespace";
    case Cause::SignedHeaderChanged:
      return "signed header changed";
    case Cause::PayloadChanged:
      return "payload changed";
    case Cause::RequestChanged:
      return "request changed";
    case Cause::DifferentSecret:
      return "different secret";
    case Cause::NotReported:
      return "not reported";
  }
  return "unknown";
}

std::string_view signed_text_name(SignedText text) noexcept {
  return text == SignedText::CanonicalRequest ? "canonical request" : "string to sign";
}

}  // namespace awsauth::signer
