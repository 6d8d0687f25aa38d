#include "awsauth/signer/canonical.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "awsauth/detail/percent.hpp"
#include "copy_bytes.hpp"
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
// queries) and appends the strict re-encoding. Runs of unreserved bytes, which decode to
// themselves and are kept, are appended whole.
void append_reencoded(std::string_view in, std::string& out) {
  const char* p = in.data();
  const char* const end = p + in.size();
  while (p != end) {
    p = detail::append_kept_run(out, p, end, kUnreserved);
    if (p == end) break;
    const unsigned char c = detail::next_percent_decoded(p, end, /*plus_as_space=*/true);
    if (kUnreserved.contains(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      detail::append_percent_escape(out, c);
    }
  }
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
  steps::QueryPairs pairs;
  steps::collect_query_pairs(query, pairs);
  std::vector<steps::QueryParam> params(extra.begin(), extra.end());
  std::sort(params.begin(), params.end());
  std::string out;
  steps::append_merged_query(pairs, params, out);
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
  std::vector<std::string_view> names;
  std::vector<std::string_view> values;
  for (const auto& h : headers) {
    names.emplace_back(h.name);
    values.emplace_back(h.value);
  }
  steps::HeaderLayout layout;
  steps::build_header_layout(names.data(), names.size(), layout);
  CanonicalHeaders out;
  steps::append_header_block(layout, values.data(), out.block);
  out.signed_headers = layout.signed_headers;
  return out;
}

std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              const CanonicalHeaders& headers, std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + uri.size() + query.size() + headers.block.size() +
              headers.signed_headers.size() + payload_hash.size() + 8);
  out.append(method).append(1, '\n').append(uri).append(1, '\n').append(query).append(1, '\n');
  out.append(headers.block);
  steps::append_signed_headers_and_payload(headers.signed_headers, payload_hash, out);
  return out;
}

std::string string_to_sign(std::string_view amz_date, const Scope& scope,
                           std::string_view canonical_request) {
  std::string out;
  out.reserve(160);
  steps::append_string_to_sign(amz_date, scope.to_string(), canonical_request, out);
  return out;
}

std::string signature(const SigningKey& key, std::string_view string_to_sign) {
  std::string out;
  steps::append_signature(crypto::HmacKey(key.bytes().data(), key.bytes().size()), string_to_sign,
                          out);
  return out;
}

std::string authorization_header(std::string_view access_key_id, const Scope& scope,
                                 std::string_view signed_headers, std::string_view signature) {
  std::string out;
  steps::append_authorization(access_key_id, scope.to_string(), signed_headers, signature, out);
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
  // encoded, the way S3 itself canonicalizes `test$file.text` to `test%24file.text`. Runs of
  // bytes that stay as they are are appended whole.
  const char* p = path.data();
  const char* const end = p + path.size();
  while (p != end) {
    p = detail::append_kept_run(out, p, end, kUnreservedOrSlash);
    if (p == end) break;
    if (*p == '%' && end - p > 2 && detail::is_ascii_hex_digit(p[1]) &&
        detail::is_ascii_hex_digit(p[2])) {
      out.append(p, 3);
      p += 3;
    } else {
      detail::append_percent_escape(out, static_cast<unsigned char>(*p++));
    }
  }
}

std::pair<std::string, std::string>& QueryPairs::next() {
  if (size == pairs.size()) {
    pairs.emplace_back();
  }
  auto& p = pairs[size++];
  p.first.clear();
  p.second.clear();
  return p;
}

void QueryPairs::sort() {
  sorted.clear();
  for (std::size_t i = 0; i < size; ++i) sorted.push_back(&pairs[i]);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a < *b; });
}

void collect_query_pairs(std::string_view query, QueryPairs& out) {
  out.clear();
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
    auto& p = out.next();
    const auto eq = piece.find('=');
    append_reencoded(piece.substr(0, eq), p.first);
    if (eq != std::string_view::npos) {
      append_reencoded(piece.substr(eq + 1), p.second);
    }
  }
  out.sort();
}

void append_merged_query(const QueryPairs& pairs, const std::vector<QueryParam>& params,
                         std::string& out) {
  // Sized first, then written with plain copies after one resize: a presigned query is a dozen
  // pieces, and an append per piece cost more than the copies themselves.
  std::size_t size = 0;
  for (const auto* pair : pairs.sorted) size += pair->first.size() + pair->second.size() + 2;
  for (const auto& param : params) size += param.first.size() + param.second.size() + 2;
  if (size == 0) return;
  const std::size_t at = out.size();
  out.resize(at + size - 1);  // no '&' before the first pair
  char* w = out.data() + at;
  const auto put = [&w](std::string_view piece) {
    if (piece.empty()) return;  // its data() may be null
    std::memcpy(w, piece.data(), piece.size());
    w += piece.size();
  };
  auto ia = pairs.sorted.begin();
  auto ib = params.begin();
  bool first = true;
  while (ia != pairs.sorted.end() || ib != params.end()) {
    QueryParam next;
    if (ib == params.end() ||
        (ia != pairs.sorted.end() && !(*ib < QueryParam((*ia)->first, (*ia)->second)))) {
      next = QueryParam((*ia)->first, (*ia)->second);
      ++ia;
    } else {
      next = *ib++;
    }
    if (!first) *w++ = '&';
    first = false;
    put(next.first);
    *w++ = '=';
    put(next.second);
  }
}

void build_header_layout(const std::string_view* names, std::size_t count, HeaderLayout& layout) {
  auto& entries = layout.entries;
  std::size_t used = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (used == entries.size()) {
      entries.emplace_back();
    }
    auto& e = entries[used];
    e.name.assign(names[i]);
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
      continue;
    }
    e.input = i;
    ++used;
  }
  auto begin = entries.begin();
  auto finish = begin + static_cast<std::ptrdiff_t>(used);
  // Sorted by name; repeated headers keep request order (the input index breaks ties).
  std::sort(begin, finish, [](const HeaderLayout::Entry& a, const HeaderLayout::Entry& b) {
    const int c = a.name.compare(b.name);
    return c != 0 ? c < 0 : a.input < b.input;
  });
  layout.size = 0;
  layout.signed_headers.clear();
  for (auto it = begin; it != finish; ++it) {
    if (layout.size == layout.lines.size()) {
      layout.lines.emplace_back();
    }
    auto& line = layout.lines[layout.size++];
    line.input = it->input;
    line.prefix.clear();
    if (it != begin && (it - 1)->name == it->name) {
      line.prefix.push_back(',');
      continue;
    }
    if (it != begin) {
      line.prefix.push_back('\n');
      layout.signed_headers.push_back(';');
    }
    line.prefix.append(it->name).push_back(':');
    layout.signed_headers.append(it->name);
  }
}

namespace {

// SigV4 trims a header value and collapses each whitespace run to one space. True when that
// changes nothing: no whitespace at either end, and every whitespace byte inside is a single
// space between two other bytes. Such a value (a base64 session token, a date, a hash, a
// content type with one space) is appended as it is.
bool is_canonical_value(std::string_view value) noexcept {
  const char* const data = value.data();
  const std::size_t size = value.size();
  // A whitespace byte at `at`: fine only when it is a single space inside the value.
  const auto fine = [&](std::size_t at) {
    return data[at] == ' ' && at != 0 && at + 1 != size &&
           !is_space(static_cast<unsigned char>(data[at + 1]));
  };
  std::size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time (every x86-64 has SSE2): the bytes <= 0x20, where every whitespace
  // byte is, come out as a bit mask; most values have none.
  const __m128i limit = _mm_set1_epi8(0x20);
  // The bytes <= 0x20 among the sixteen at `from`, as bits; `skip` low bits cleared (bytes
  // already checked). False when one of them is whitespace that trimming would change.
  const auto block_fine = [&](std::size_t from, unsigned skip) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + from));
    auto low = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, limit), v)));
    low &= ~((1u << skip) - 1);
    while (low != 0) {
      const std::size_t at = from + static_cast<std::size_t>(__builtin_ctz(low));
      if (is_space(static_cast<unsigned char>(data[at])) && !fine(at)) return false;
      low &= low - 1;
    }
    return true;
  };
  // Sixty-four bytes with no byte <= 0x20 at all (a session token's base64) cost one mask test.
  const auto at_most_space = [&](std::size_t from) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + from));
    return _mm_cmpeq_epi8(_mm_min_epu8(v, limit), v);
  };
  for (; i + 64 <= size; i += 64) {
    const __m128i any = _mm_or_si128(_mm_or_si128(at_most_space(i), at_most_space(i + 16)),
                                     _mm_or_si128(at_most_space(i + 32), at_most_space(i + 48)));
    if (_mm_movemask_epi8(any) != 0) break;
  }
  for (; i + 16 <= size; i += 16) {
    if (!block_fine(i, 0)) return false;
  }
  if (i != size && size >= 16) {
    // The last partial block, as the sixteen bytes that end the value: those before `i` were
    // checked above.
    return block_fine(size - 16, static_cast<unsigned>(16 - (size - i)));
  }
#endif
  for (; i < size; ++i) {
    if (is_space(static_cast<unsigned char>(data[i])) && !fine(i)) return false;
  }
  return true;
}

}  // namespace

void append_trimmed(std::string_view value, std::string& out) {
  if (is_canonical_value(value)) {
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

std::size_t header_block_size(const HeaderLayout& layout, const std::string_view* values) {
  std::size_t size = layout.size > 0 ? 1 : 0;
  for (std::size_t i = 0; i < layout.size; ++i) {
    const auto& line = layout.lines[i];
    const std::string_view value = values[line.input];
    if (!is_canonical_value(value)) return std::string::npos;
    size += line.prefix.size() + value.size();
  }
  return size;
}

char* write_header_block(const HeaderLayout& layout, const std::string_view* values, char* w,
                         std::size_t marked, char*& marked_line) {
  for (std::size_t i = 0; i < layout.size; ++i) {
    const auto& line = layout.lines[i];
    if (line.input == marked) marked_line = w;
    w = bytes::put(w, line.prefix);
    w = bytes::put(w, values[line.input]);
  }
  if (layout.size > 0) *w++ = '\n';
  return w;
}

std::size_t append_header_block(const HeaderLayout& layout, const std::string_view* values,
                                std::string& out, std::size_t marked) {
  // The usual case, every value already canonical: sized, then written after one resize.
  if (const std::size_t size = header_block_size(layout, values); size != std::string::npos) {
    const std::size_t at = out.size();
    out.resize(at + size);
    char* marked_line = nullptr;
    write_header_block(layout, values, out.data() + at, marked, marked_line);
    return marked_line != nullptr ? static_cast<std::size_t>(marked_line - out.data())
                                  : std::string::npos;
  }
  std::size_t marked_at = std::string::npos;
  for (std::size_t i = 0; i < layout.size; ++i) {
    const auto& line = layout.lines[i];
    if (line.input == marked) marked_at = out.size();
    out.append(line.prefix);
    append_trimmed(values[line.input], out);
  }
  if (layout.size > 0) {
    out.push_back('\n');
  }
  return marked_at;
}

char* write_signed_headers_and_payload(std::string_view signed_headers,
                                       std::string_view payload_hash, char* w) {
  *w++ = '\n';
  w = bytes::put(w, signed_headers);
  *w++ = '\n';
  return bytes::put(w, payload_hash);
}

void append_signed_headers_and_payload(std::string_view signed_headers,
                                       std::string_view payload_hash, std::string& out) {
  const std::size_t at = out.size();
  out.resize(at + signed_headers_and_payload_size(signed_headers, payload_hash));
  write_signed_headers_and_payload(signed_headers, payload_hash, out.data() + at);
}

void append_credential_scope(std::string_view date, std::string_view region,
                             std::string_view service, std::string& out) {
  out.append(date).append(1, '/').append(region).append(1, '/').append(service);
  out.append("/aws4_request");
}

void append_sigv4a_credential_scope(std::string_view date, std::string_view service,
                                    std::string& out) {
  out.append(date).append(1, '/').append(service).append("/aws4_request");
}

void append_string_to_sign_prefix(std::string_view amz_date, std::string_view credential_scope,
                                  std::string& out) {
  append_string_to_sign_prefix(kAlgorithm, amz_date, credential_scope, out);
}

void append_string_to_sign_prefix(std::string_view algorithm, std::string_view amz_date,
                                  std::string_view credential_scope, std::string& out) {
  out.append(algorithm).append(1, '\n').append(amz_date).append(1, '\n');
  out.append(credential_scope).append(1, '\n');
}

void write_canonical_request_hash(std::string_view canonical_request, char* w,
                                  crypto::PrefixHasher* hasher, std::size_t repeats) {
  crypto::write_hex_at(hasher != nullptr ? hasher->hash(canonical_request, repeats)
                                         : crypto::sha256(canonical_request),
                       w);
}

void append_canonical_request_hash(std::string_view canonical_request, std::string& out,
                                   crypto::PrefixHasher* hasher, std::size_t repeats) {
  const std::size_t at = out.size();
  out.resize(at + crypto::kHexSize);
  write_canonical_request_hash(canonical_request, out.data() + at, hasher, repeats);
}

void append_string_to_sign(std::string_view amz_date, std::string_view credential_scope,
                           std::string_view canonical_request, std::string& out) {
  append_string_to_sign_prefix(amz_date, credential_scope, out);
  append_canonical_request_hash(canonical_request, out);
}

void write_signature(const crypto::HmacKey& signing_key, std::string_view string_to_sign, char* w,
                     crypto::PrefixHasher* hasher, std::size_t repeats) {
  crypto::write_hex_at(hasher != nullptr ? signing_key.finish(hasher->hash(string_to_sign, repeats))
                                         : signing_key.mac(string_to_sign),
                       w);
}

void append_signature(const crypto::HmacKey& signing_key, std::string_view string_to_sign,
                      std::string& out, crypto::PrefixHasher* hasher, std::size_t repeats) {
  const std::size_t at = out.size();
  out.resize(at + crypto::kHexSize);
  write_signature(signing_key, string_to_sign, out.data() + at, hasher, repeats);
}

void append_authorization_prefix(std::string_view access_key_id, std::string_view credential_scope,
                                 std::string_view signed_headers, std::string& out) {
  append_authorization_prefix(kAlgorithm, access_key_id, credential_scope, signed_headers, out);
}

void append_authorization_prefix(std::string_view algorithm, std::string_view access_key_id,
                                 std::string_view credential_scope, std::string_view signed_headers,
                                 std::string& out) {
  out.append(algorithm).append(" Credential=").append(access_key_id).append(1, '/');
  out.append(credential_scope).append(", SignedHeaders=").append(signed_headers);
  out.append(", Signature=");
}

void append_authorization(std::string_view access_key_id, std::string_view credential_scope,
                          std::string_view signed_headers, std::string_view signature,
                          std::string& out) {
  append_authorization_prefix(access_key_id, credential_scope, signed_headers, out);
  out.append(signature);
}

}  // namespace steps
}  // namespace awsauth::signer
