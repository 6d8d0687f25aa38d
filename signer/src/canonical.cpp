#include "awsauth/signer/canonical.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "awsauth/detail/percent.hpp"
#include "crypto.hpp"
#include "steps.hpp"

namespace awsauth::signer {
namespace {

// Byte sets as tables: the hot loops do one load per byte instead of a chain of compares.
// SigV4's UriEncode() keeps the RFC 3986 unreserved bytes (and '/' in a path).
constexpr detail::ByteSet kUnreserved = detail::ByteSet::unreserved();
constexpr detail::ByteSet kUnreservedOrSlash = kUnreserved.with("/");
constexpr detail::ByteSet kSpace = detail::ByteSet().with(" \t\r\n\v\f");

constexpr bool is_space(unsigned char c) noexcept { return kSpace.contains(c); }

// Percent-decodes (with '+' as a space, as AWS services and botocore's presigner read
// queries) and appends the strict re-encoding.
void append_reencoded(std::string_view in, std::string& out) {
  detail::for_each_percent_decoded(in, /*plus_as_space=*/true, [&out](unsigned char c) {
    if (kUnreserved.contains(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      detail::append_percent_escape(out, c);
    }
  });
}

}  // namespace

void uri_encode(std::string_view in, std::string& out, bool keep_slash) {
  detail::append_percent_encoded(out, in, keep_slash ? kUnreservedOrSlash : kUnreserved);
}

std::string normalize_path(std::string_view path) {
  if (path.empty()) {
    return "/";
  }
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    const auto seg = path.substr(start, end - start);
    if (!seg.empty() && seg != ".") {
      if (seg == "..") {
        if (!segments.empty()) {
          segments.pop_back();
        }
      } else {
        segments.push_back(seg);
      }
    }
    start = end + 1;
  }
  std::string out;
  out.reserve(path.size());
  if (path.front() == '/') {
    out.push_back('/');
  }
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) {
      out.push_back('/');
    }
    out.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) {
    out.push_back('/');
  }
  if (out.empty()) {
    out.push_back('/');  // not `out = "/"`: GCC 12 -O2 warns -Wrestrict on it (PR105329)
  }
  return out;
}

std::string canonical_uri(std::string_view path, const SigningSettings& settings) {
  std::string out;
  steps::append_canonical_uri(path, settings, out);
  return out;
}

std::string wire_path(std::string_view path, const SigningSettings& settings) {
  if (!settings.double_encode) return canonical_uri(path, settings);
  if (settings.normalize_path) return normalize_path(path);
  return path.empty() ? std::string("/") : std::string(path);
}

std::string canonical_query(std::string_view query,
                            const std::vector<std::pair<std::string, std::string>>& extra) {
  steps::QueryScratch scratch;
  std::string out;
  steps::append_canonical_query(query, extra, scratch, out);
  return out;
}

bool is_unsigned_header(std::string_view n) noexcept {
  // botocore SIGNED_HEADERS_BLACKLIST: hop-by-hop headers a proxy may change, plus headers
  // clients rewrite (user-agent) or tracers add (x-amzn-trace-id).
  switch (n.size()) {
    case 2:
      return n == "te";
    case 6:
      return n == "expect";
    case 7:
      return n == "trailer" || n == "upgrade";
    case 10:
      return n == "connection" || n == "keep-alive" || n == "user-agent";
    case 15:
      return n == "x-amzn-trace-id";
    case 17:
      return n == "transfer-encoding";
    case 18:
      return n == "proxy-authenticate";
    case 19:
      return n == "proxy-authorization";
    default:
      return false;
  }
}

CanonicalHeaders canonical_headers(const std::vector<Header>& headers) {
  steps::HeaderScratch scratch;
  for (const auto& h : headers) {
    scratch.add(h.name, h.value);
  }
  CanonicalHeaders out;
  steps::append_canonical_headers(scratch, out.block, out.signed_headers);
  return out;
}

std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              const CanonicalHeaders& headers, std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + uri.size() + query.size() + headers.block.size() +
              headers.signed_headers.size() + payload_hash.size() + 8);
  out.append(method).append(1, '\n').append(uri).append(1, '\n').append(query).append(1, '\n');
  out.append(headers.block).append(1, '\n').append(headers.signed_headers).append(1, '\n');
  out.append(payload_hash);
  return out;
}

std::string string_to_sign(std::string_view amz_date, const Scope& scope,
                           std::string_view canonical_request) {
  std::string out;
  out.reserve(160);
  out.append(kAlgorithm).append(1, '\n').append(amz_date).append(1, '\n');
  out.append(scope.to_string()).append(1, '\n');
  crypto::append_hex(crypto::sha256(canonical_request), out);
  return out;
}

std::string signature(const SigningKey& key, std::string_view string_to_sign) {
  std::string out;
  crypto::append_hex(crypto::hmac_sha256(key.bytes().data(), key.bytes().size(), string_to_sign),
                     out);
  return out;
}

std::string authorization_header(std::string_view access_key_id, const Scope& scope,
                                 std::string_view signed_headers, std::string_view signature) {
  std::string out;
  out.append(kAlgorithm).append(" Credential=").append(access_key_id).append(1, '/');
  out.append(scope.to_string()).append(", SignedHeaders=").append(signed_headers);
  out.append(", Signature=").append(signature);
  return out;
}

namespace steps {

void append_canonical_uri(std::string_view path, const SigningSettings& settings,
                          std::string& out) {
  if (path.empty()) {
    path = "/";
  }
  std::string normalized;
  if (settings.normalize_path) {
    normalized = normalize_path(path);
    path = normalized;
  }
  if (settings.double_encode) {
    uri_encode(path, out, /*keep_slash=*/true);
    return;
  }
  // Used as given (S3): a wire path is already encoded; only bytes that cannot appear in a
  // path as sent (sub-delimiters, spaces, non-ASCII, a '%' not starting an escape) are
  // encoded, the way S3 itself canonicalizes `test$file.text` to `test%24file.text`.
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto c = static_cast<unsigned char>(path[i]);
    if (kUnreservedOrSlash.contains(c)) {
      out.push_back(static_cast<char>(c));
    } else if (c == '%' && i + 2 < path.size() && detail::is_ascii_hex_digit(path[i + 1]) &&
               detail::is_ascii_hex_digit(path[i + 2])) {
      out.append(path.substr(i, 3));
      i += 2;
    } else {
      detail::append_percent_escape(out, c);
    }
  }
}

std::pair<std::string, std::string>& QueryScratch::next() {
  if (size == pairs.size()) {
    pairs.emplace_back();
  }
  auto& p = pairs[size++];
  p.first.clear();
  p.second.clear();
  return p;
}

void append_canonical_query(std::string_view query, const Pairs& extra, QueryScratch& scratch,
                            std::string& out) {
  scratch.size = 0;
  std::size_t start = 0;
  while (start < query.size()) {
    auto end = query.find('&', start);
    if (end == std::string_view::npos) {
      end = query.size();
    }
    const auto piece = query.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) {
      continue;  // `a&&b`: nothing between the separators (aws-c-auth skips it too)
    }
    auto& p = scratch.next();
    const auto eq = piece.find('=');
    append_reencoded(piece.substr(0, eq), p.first);
    if (eq != std::string_view::npos) {
      append_reencoded(piece.substr(eq + 1), p.second);
    }
  }
  for (const auto& e : extra) {
    auto& p = scratch.next();
    p.first.append(e.first);
    p.second.append(e.second);
  }
  auto begin = scratch.pairs.begin();
  auto finish = begin + static_cast<std::ptrdiff_t>(scratch.size);
  std::sort(begin, finish);
  for (auto it = begin; it != finish; ++it) {
    if (it != begin) {
      out.push_back('&');
    }
    out.append(it->first).append(1, '=').append(it->second);
  }
}

void HeaderScratch::add(std::string_view name, std::string_view value) {
  if (size == entries.size()) {
    entries.emplace_back();
  }
  auto& e = entries[size];
  e.name.assign(name);
  // Names are trimmed too: botocore strips them when building SignedHeaders.
  while (!e.name.empty() && is_space(static_cast<unsigned char>(e.name.back()))) {
    e.name.pop_back();
  }
  for (auto& ch : e.name) {
    if (ch >= 'A' && ch <= 'Z') {
      ch = static_cast<char>(ch + ('a' - 'A'));
    }
  }
  if (is_unsigned_header(e.name)) {
    return;
  }
  e.value = value;
  e.order = size;
  ++size;
}

namespace {
// True when some byte of `value` is below 0x21. Every whitespace byte SigV4 trims is, so a value
// without one (a base64 session token, a date, a hash) is appended as is. Eight bytes at a time
// (the "has less than n" bit trick); valid because 0x21 <= 0x80.
bool has_byte_below_0x21(std::string_view value) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t high = 0x8080808080808080ULL;
  const char* p = value.data();
  std::size_t n = value.size();
  std::uint64_t acc = 0;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    acc |= (w - ones * 0x21) & ~w & high;
  }
  for (; n > 0; ++p, --n) {
    acc |= static_cast<unsigned char>(*p) < 0x21 ? high : 0;
  }
  return acc != 0;
}
}  // namespace

void append_trimmed(std::string_view value, std::string& out) {
  if (!value.empty() && !has_byte_below_0x21(value)) {
    out.append(value);
    return;
  }
  // Appends whole runs of non-space bytes at once.
  const char* p = value.data();
  const char* end = p + value.size();
  bool first = true;
  while (p != end) {
    while (p != end && is_space(static_cast<unsigned char>(*p))) ++p;
    const char* run = p;
    while (p != end && !is_space(static_cast<unsigned char>(*p))) ++p;
    if (p != run) {
      if (!first) out.push_back(' ');
      out.append(run, static_cast<std::size_t>(p - run));
      first = false;
    }
  }
}

void append_canonical_headers(HeaderScratch& scratch, std::string& block,
                              std::string& signed_headers) {
  auto begin = scratch.entries.begin();
  auto finish = begin + static_cast<std::ptrdiff_t>(scratch.size);
  // Sorted by name; repeated headers keep request order (the `order` tie-break).
  std::sort(begin, finish, [](const HeaderScratch::Entry& a, const HeaderScratch::Entry& b) {
    const int c = a.name.compare(b.name);
    return c != 0 ? c < 0 : a.order < b.order;
  });
  for (auto it = begin; it != finish; ++it) {
    const bool repeat = it != begin && (it - 1)->name == it->name;
    if (repeat) {
      block.push_back(',');
    } else {
      if (it != begin) {
        block.push_back('\n');
        signed_headers.push_back(';');
      }
      block.append(it->name).push_back(':');
      signed_headers.append(it->name);
    }
    append_trimmed(it->value, block);
  }
  if (scratch.size > 0) {
    block.push_back('\n');
  }
}

}  // namespace steps
}  // namespace awsauth::signer
