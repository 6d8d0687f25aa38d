// sign(): the four SigV4 steps of steps.hpp run in order over per-thread buffers that keep their
// capacity, so a warmed-up signature allocates nothing. Each stage below is named after the
// step it runs; the spec's pieces themselves live in canonical.cpp, shared with the public pure
// functions of canonical.hpp.

#include "awsauth/signer/signer.hpp"

#include <charconv>
#include <cstring>

#include "amz_date.hpp"
#include "awsauth/detail/ascii.hpp"
#include "copy_bytes.hpp"
#include "crypto.hpp"
#include "sigv4a_sign.hpp"
#include "steps.hpp"

namespace awsauth::signer {
namespace {

// Equality without a call into memcmp for the short strings the memos compare on every
// signature (names, scopes, key ids: a dozen per call, most under 32 bytes).
bool same(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  std::size_t n = a.size();
  if (n > 64) return std::memcmp(a.data(), b.data(), n) == 0;
  const char* p = a.data();
  const char* q = b.data();
  for (; n >= 8; p += 8, q += 8, n -= 8) {
    std::uint64_t x;
    std::uint64_t y;
    std::memcpy(&x, p, 8);
    std::memcpy(&y, q, 8);
    if (x != y) return false;
  }
  for (; n > 0; ++p, ++q, --n) {
    if (*p != *q) return false;
  }
  return true;
}

using bytes::overwrite;

// The signing key of the last secret and scope, in front of the shared cache: the common case
// (same credentials, same day, same service) costs one compare of the secret and no lock. It
// keeps the key's HMAC pad states too, so step 3 hashes the string to sign and one more block.
struct KeyMemo {
  std::string secret;
  std::uint64_t scope_generation = 0;  // the ScopeMemo::scope_generation it was derived for
  SigningKey key;
  crypto::HmacKey hmac;
  // Step 3's inner hash, from the key's inner state: the string to sign's first block (its
  // algorithm, date and scope lines) is the same for every signature of one second.
  crypto::PrefixHasher string_to_sign_hasher;
  ~KeyMemo() { wipe_string(secret); }
};

// Step 1's URI line and the caller's query pairs depend only on the path, the query and two
// settings, so a thread that signs the same target again (the same object, the same API
// action) reuses them instead of re-deriving them.
struct TargetMemo {
  std::string path;
  std::string query;
  bool normalize_path = false;
  bool double_encode = false;
  bool valid = false;
  std::string uri;            // the canonical URI
  steps::QueryPairs pairs;    // the caller's query, in canonical order
  std::string uri_and_query;  // `URI\nQUERY\n` (header mode: no other query parameters)

  [[nodiscard]] bool holds(const Request& request, const SigningSettings& settings) const {
    return valid && normalize_path == settings.normalize_path &&
           double_encode == settings.double_encode && same(path, request.path) &&
           same(query, request.query);
  }
  void rebuild(const Request& request, const SigningSettings& settings) {
    valid = false;
    uri.clear();
    steps::append_canonical_uri(request.path, settings, uri);
    steps::collect_query_pairs(request.query, pairs);
    uri_and_query.assign(uri).push_back('\n');
    steps::append_merged_query(pairs, {}, uri_and_query);
    uri_and_query.push_back('\n');
    path = request.path;
    query = request.query;
    normalize_path = settings.normalize_path;
    double_encode = settings.double_encode;
    valid = true;
  }
};

// Presigning puts the session token and the credential in the query, percent-encoded: both
// kept encoded for the last token, access key id and scope seen.
struct PresignMemo {
  std::string token;
  std::string encoded_token;
  std::string access_key_id;
  std::uint64_t scope_generation = 0;
  std::string credential;  // AKID%2FSCOPE, encoded
};

// The modes a request is signed in, decided once from the settings and credentials.
struct Modes {
  bool presign = false;
  bool has_token = false;
  bool sign_token = false;      // the token is in the signed headers or query
  bool add_sha_header = false;  // the signer adds X-Amz-Content-SHA256
};

// The values of the signed headers of one signature, in the order the layout's inputs are in:
// the caller's (minus those the signer owns), host, and in header mode the signer's own.
struct HeaderInputs {
  std::vector<std::string_view> values;
  std::size_t date = std::string::npos;  // index of x-amz-date (header mode)
};

// How the signer treats one request's headers depends only on their names and the modes, so
// it is kept for the names and modes it was worked out from: the next request with the same
// header names (the usual case: one client, one API) is one compare per name, and then only
// its values are gathered.
struct LayoutMemo {
  // What it was built from.
  bool valid = false;
  std::vector<std::string> names;  // the request's header names, all of them, in order
  std::size_t count = 0;
  bool presign = false;
  bool sign_token = false;
  bool has_token = false;
  bool add_sha_header = false;
  // What follows from it.
  std::vector<std::size_t> kept;              // the request headers that are signed, by index
  bool adds_host = false;                     // no Host header: request.host is signed as one
  std::size_t given_sha = std::string::npos;  // the caller's X-Amz-Content-SHA256, by index
  steps::HeaderLayout layout;
  std::string encoded_signed_headers;          // layout.signed_headers, for X-Amz-SignedHeaders
  std::vector<std::string_view> layout_names;  // reused while building

  [[nodiscard]] bool holds(const Request& request, const Modes& modes) const {
    if (!valid || count != request.headers.size() || presign != modes.presign ||
        sign_token != modes.sign_token || has_token != modes.has_token ||
        add_sha_header != modes.add_sha_header) {
      return false;
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (!same(names[i], request.headers[i].name)) return false;
    }
    return true;
  }
  void rebuild(const Request& request, const Modes& modes);
};

// The date lines of the last second signed in, and the credential scope of the last day,
// region and service. What follows from the scope alone (the signing key, step 4's
// Authorization prefix, the presigned credential) is kept by its own memo under
// `scope_generation`, which changes with the day, the region or the service, not every second.
struct ScopeMemo {
  bool valid = false;
  std::int64_t date_seconds = 0;
  char amz_date[dates::kAmzDateSize] = {};  // of date_seconds
  std::string string_to_sign_prefix;        // `AWS4-HMAC-SHA256\nAMZ_DATE\nSCOPE\n`
  std::string region;
  std::string service;
  std::string credential_scope;
  std::uint64_t scope_generation = 0;
};

// Step 4's Authorization value up to the signature: the scope, the access key id and the
// signed headers.
struct AuthorizationMemo {
  std::uint64_t scope_generation = 0;
  std::string access_key_id;
  std::string signed_headers;
  std::string prefix;
};

// What one signature needs besides its inputs and its result, kept per thread.
struct Scratch {
  KeyMemo key;
  crypto::PrefixHasher hasher;
  ScopeMemo scope;
  AuthorizationMemo authorization;
  HeaderInputs header_inputs;
  LayoutMemo header_layout;
  TargetMemo target;
  PresignMemo presign;
  std::vector<steps::QueryParam> presign_params;  // empty in header mode
  char presign_expires[16] = {};
};

const KeyMemo& signing_key_for(const std::string& secret, const Scope& scope, Scratch& scratch) {
  auto& memo = scratch.key;
  if (memo.scope_generation != scratch.scope.scope_generation || !same(memo.secret, secret)) {
    memo.scope_generation = 0;
    memo.key = SigningKeyCache::shared().get(secret, scope);
    memo.hmac = crypto::HmacKey(memo.key.bytes().data(), memo.key.bytes().size());
    memo.string_to_sign_hasher.restart_from(memo.hmac.inner_state());
    wipe_string(memo.secret);
    memo.secret = secret;
    memo.scope_generation = scratch.scope.scope_generation;
  }
  return memo;
}

Modes modes_for(const Credentials& credentials, const SigningSettings& settings) {
  Modes m;
  m.presign = settings.presign_expires.has_value();
  if (m.presign &&
      (*settings.presign_expires < 1 || *settings.presign_expires > kMaxPresignExpires)) {
    throw SigningError("presign expiry must be between 1 and 604800 seconds");
  }
  if (settings.region.empty() || settings.service.empty()) {
    throw SigningError("signing needs a region and a service");
  }
  m.has_token = credentials.has_session_token();
  m.sign_token = m.has_token && !settings.omit_session_token;
  m.add_sha_header = !m.presign && settings.add_content_sha256;
  return m;
}

// The date, the credential scope and the payload line.
void write_scope(TimePoint time, const SigningSettings& settings, const Payload& payload,
                 Scratch& scratch, SigningResult& out) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count();
  auto& memo = scratch.scope;
  const bool same_scope =
      memo.valid && same(memo.region, settings.region) && same(memo.service, settings.service);
  if (!same_scope || seconds != memo.date_seconds) {
    char day[8];
    std::memcpy(day, memo.amz_date, sizeof day);
    dates::write_amz_date(time, memo.amz_date);
    memo.date_seconds = seconds;
    if (!same_scope || std::memcmp(day, memo.amz_date, sizeof day) != 0) {
      memo.region.assign(settings.region);
      memo.service.assign(settings.service);
      memo.credential_scope.clear();
      steps::append_credential_scope(std::string_view(memo.amz_date, 8), settings.region,
                                     settings.service, memo.credential_scope);
      ++memo.scope_generation;
    }
    memo.string_to_sign_prefix.clear();
    steps::append_string_to_sign_prefix(std::string_view(memo.amz_date, sizeof memo.amz_date),
                                        memo.credential_scope, memo.string_to_sign_prefix);
    memo.valid = true;
  }
  overwrite(out.amz_date, std::string_view(memo.amz_date, sizeof memo.amz_date));
  overwrite(out.scope.date, std::string_view(memo.amz_date, 8));
  overwrite(out.scope.region, settings.region);
  overwrite(out.scope.service, settings.service);
  overwrite(out.credential_scope, memo.credential_scope);
  overwrite(out.payload_hash, payload.hash());
}

std::string_view host_header(const Request& request) {
  std::string_view host;
  for (const auto& h : request.headers) {
    if (detail::ascii_iequals(h.name, "host")) host = h.value;
  }
  return host;
}

// Step 1, headers, for a new set of names: which of the caller's headers are signed (all but
// the ones the signer owns), whether host must be added, and the signer's own in header mode.
void LayoutMemo::rebuild(const Request& request, const Modes& modes) {
  valid = false;
  count = request.headers.size();
  if (names.size() < count) names.resize(count);
  kept.clear();
  layout_names.clear();
  given_sha = std::string::npos;
  bool has_host = false;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view n = request.headers[i].name;
    names[i].assign(n);
    // Only four lengths can name a header the signer treats specially, so most names are
    // passed over after one compare of their length.
    switch (n.size()) {
      case 4:
        has_host = has_host || detail::ascii_iequals(n, "host");
        break;
      case 10:
        if (detail::ascii_iequals(n, "x-amz-date")) continue;
        break;
      case 13:
        if (detail::ascii_iequals(n, "authorization")) continue;
        break;
      case 20:
        if (modes.has_token && detail::ascii_iequals(n, "x-amz-security-token")) continue;
        if (detail::ascii_iequals(n, "x-amz-content-sha256")) {
          if (modes.add_sha_header) continue;
          // A caller's X-Amz-Content-SHA256 (kept when the signer adds none of its own) states
          // the payload hash the service will check, so it is the canonical request's hash too
          // (botocore SigV4Auth.canonical_request; S3 verifies the header against the
          // signature). The first one counts.
          if (given_sha == std::string::npos) given_sha = i;
        }
        break;
      default:
        break;
    }
    kept.push_back(i);
    layout_names.push_back(n);
  }
  adds_host = !has_host;
  if (adds_host) layout_names.emplace_back("host");
  if (!modes.presign) {
    layout_names.emplace_back("x-amz-date");
    if (modes.sign_token) layout_names.emplace_back("x-amz-security-token");
    if (modes.add_sha_header) layout_names.emplace_back("x-amz-content-sha256");
  }
  steps::build_header_layout(layout_names.data(), layout_names.size(), layout);
  encoded_signed_headers.clear();
  uri_encode(layout.signed_headers, encoded_signed_headers, false);
  presign = modes.presign;
  sign_token = modes.sign_token;
  has_token = modes.has_token;
  add_sha_header = modes.add_sha_header;
  valid = true;
}

// Step 1, headers: the values of the signed headers, in the layout's input order, and the
// SignedHeaders list.
void canonicalize_headers(const Request& request, const Credentials& credentials,
                          const Modes& modes, Scratch& scratch, SigningResult& out) {
  auto& memo = scratch.header_layout;
  if (!memo.holds(request, modes)) {
    memo.rebuild(request, modes);
  }
  auto& in = scratch.header_inputs;
  in.values.clear();
  for (const std::size_t i : memo.kept) in.values.push_back(request.headers[i].value);
  if (memo.adds_host) {
    if (request.host.empty()) {
      throw SigningError("the request has no host (set Request::host or a Host header)");
    }
    in.values.emplace_back(request.host);
  }
  if (memo.given_sha != std::string::npos) {
    out.payload_hash.clear();
    steps::append_trimmed(request.headers[memo.given_sha].value, out.payload_hash);
  }
  in.date = std::string::npos;
  if (!modes.presign) {
    in.date = in.values.size();
    in.values.emplace_back(out.amz_date);
    if (modes.sign_token) in.values.emplace_back(credentials.session_token().reveal());
    if (modes.add_sha_header) in.values.emplace_back(out.payload_hash);
  }
  overwrite(out.signed_headers, memo.layout.signed_headers);
}

const std::string& encoded_token(const Credentials& credentials, PresignMemo& memo) {
  const std::string& token = credentials.session_token().reveal();
  if (!same(memo.token, token)) {
    memo.encoded_token.clear();
    uri_encode(token, memo.encoded_token, false);
    memo.token.assign(token);
  }
  return memo.encoded_token;
}

// Step 1, presign mode: the X-Amz-* query parameters that are signed (already encoded), added in
// their canonical order (Algorithm, Credential, Date, Expires, Security-Token, SignedHeaders).
void collect_presign_params(const Credentials& credentials, const SigningSettings& settings,
                            const Modes& modes, Scratch& scratch, const SigningResult& out) {
  auto& params = scratch.presign_params;
  params.clear();
  if (!modes.presign) {
    return;
  }
  auto& memo = scratch.presign;
  if (memo.scope_generation != scratch.scope.scope_generation ||
      !same(memo.access_key_id, credentials.access_key_id())) {
    memo.scope_generation = scratch.scope.scope_generation;
    memo.access_key_id.assign(credentials.access_key_id());
    memo.credential.clear();
    uri_encode(credentials.access_key_id(), memo.credential, false);
    memo.credential.append("%2F");
    uri_encode(out.credential_scope, memo.credential, false);
  }
  params.emplace_back("X-Amz-Algorithm", kAlgorithm);
  params.emplace_back("X-Amz-Credential", memo.credential);
  params.emplace_back("X-Amz-Date", out.amz_date);
  char* expires = scratch.presign_expires;
  const auto [end, ec] =
      std::to_chars(expires, expires + sizeof scratch.presign_expires, *settings.presign_expires);
  (void)ec;
  params.emplace_back("X-Amz-Expires", std::string_view(expires, end - expires));
  if (modes.sign_token) {
    params.emplace_back("X-Amz-Security-Token", encoded_token(credentials, memo));
  }
  params.emplace_back("X-Amz-SignedHeaders", scratch.header_layout.encoded_signed_headers);
}

// Step 1: METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED\nPAYLOAD, written straight into the result.
// Returns the length of the part the next request on this thread likely repeats: everything
// before the first byte that changes with the time (the x-amz-date line, or a presigned query).
std::size_t build_canonical_request(const Request& request, const SigningSettings& settings,
                                    Scratch& scratch, SigningResult& out) {
  auto& cr = out.canonical_request;
  auto& target = scratch.target;
  if (!target.holds(request, settings)) {
    target.rebuild(request, settings);
  }
  const auto& layout = scratch.header_layout.layout;
  const std::string_view* values = scratch.header_inputs.values.data();
  const bool presign = !scratch.presign_params.empty();
  if (!presign) {
    // Header mode with every value canonical (the usual case): the request is sized, then
    // written with plain copies; its size is most often the last one's, so nothing moves.
    const std::size_t block = steps::header_block_size(layout, values);
    if (block != std::string::npos) {
      bytes::size_to(
          cr, request.method.size() + 1 + target.uri_and_query.size() + block +
                  steps::signed_headers_and_payload_size(out.signed_headers, out.payload_hash));
      char* w = bytes::put(cr.data(), request.method);
      *w++ = '\n';
      w = bytes::put(w, target.uri_and_query);
      char* date_line = nullptr;
      w = steps::write_header_block(layout, values, w, scratch.header_inputs.date, date_line);
      steps::write_signed_headers_and_payload(out.signed_headers, out.payload_hash, w);
      return date_line != nullptr ? static_cast<std::size_t>(date_line - cr.data())
                                  : std::string::npos;
    }
  }
  cr.clear();
  cr.append(request.method).append(1, '\n');
  std::size_t repeats = 0;
  if (presign) {
    cr.append(target.uri).append(1, '\n');
    repeats = cr.size();
    steps::append_merged_query(target.pairs, scratch.presign_params, cr);
    cr.append(1, '\n');
  } else {
    cr.append(target.uri_and_query);
  }
  const std::size_t date_line =
      steps::append_header_block(layout, values, cr, scratch.header_inputs.date);
  steps::append_signed_headers_and_payload(out.signed_headers, out.payload_hash, cr);
  return presign ? repeats : date_line;
}

// Step 4, header mode: X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-SHA256, Authorization.
[[gnu::always_inline]] inline Header& next_header(std::vector<Header>& headers, std::size_t& used,
                                                  std::string_view name) {
  if (used == headers.size()) {
    headers.emplace_back();
  }
  auto& h = headers[used++];
  overwrite(h.name, name);
  return h;
}

void write_signed_headers(const Credentials& credentials, const Modes& modes, Scratch& scratch,
                          SigningResult& out) {
  std::size_t used = 0;
  overwrite(next_header(out.headers, used, "X-Amz-Date").value, out.amz_date);
  if (modes.has_token) {
    overwrite(next_header(out.headers, used, "X-Amz-Security-Token").value,
              credentials.session_token().reveal());
  }
  if (modes.add_sha_header) {
    overwrite(next_header(out.headers, used, "X-Amz-Content-SHA256").value, out.payload_hash);
  }
  auto& memo = scratch.authorization;
  if (memo.scope_generation != scratch.scope.scope_generation ||
      !same(memo.access_key_id, credentials.access_key_id()) ||
      !same(memo.signed_headers, out.signed_headers)) {
    memo.scope_generation = scratch.scope.scope_generation;
    memo.access_key_id.assign(credentials.access_key_id());
    memo.signed_headers.assign(out.signed_headers);
    memo.prefix.clear();
    steps::append_authorization_prefix(credentials.access_key_id(), out.credential_scope,
                                       out.signed_headers, memo.prefix);
  }
  auto& auth = next_header(out.headers, used, "Authorization").value;
  bytes::size_to(auth, memo.prefix.size() + out.signature.size());
  bytes::put(bytes::put(auth.data(), memo.prefix), out.signature);
  out.headers.resize(used);
}

// Step 4, presign mode: the query to send (the caller's, the X-Amz-* parameters, the signature
// last) and the URL built from it.
void write_presigned_url(const Request& request, const Credentials& credentials, const Modes& modes,
                         Scratch& scratch, SigningResult& out) {
  // The query and the URL are sized first and written with plain copies after one resize each.
  const bool unsigned_token = modes.has_token && !modes.sign_token;
  constexpr std::string_view kTokenParam = "&X-Amz-Security-Token=";
  constexpr std::string_view kSignatureParam = "&X-Amz-Signature=";
  const std::string_view token =
      unsigned_token ? std::string_view(encoded_token(credentials, scratch.presign)) : "";
  std::size_t size = request.query.size() + kSignatureParam.size() + out.signature.size();
  for (const auto& [key, value] : scratch.presign_params) size += key.size() + value.size() + 2;
  if (unsigned_token) size += kTokenParam.size() + token.size();
  if (request.query.empty()) --size;  // no '&' before the first X-Amz-* parameter
  auto& q = out.presigned_query;
  bytes::size_to(q, size);
  char* w = q.data();
  const auto put = [&w](std::string_view piece) { w = bytes::put(w, piece); };
  put(request.query);
  for (const auto& [key, value] : scratch.presign_params) {
    if (w != q.data()) *w++ = '&';
    put(key);
    *w++ = '=';
    put(value);
  }
  if (unsigned_token) {
    // omit_session_token: the token travels with the URL but is not signed.
    put(kTokenParam);
    put(token);
  }
  put(kSignatureParam);
  put(out.signature);

  const std::string_view host = request.host.empty() ? host_header(request) : request.host;
  const std::string_view path =
      request.path.empty() ? std::string_view("/") : std::string_view(request.path);
  auto& url = out.presigned_url;
  bytes::size_to(url, request.scheme.size() + 3 + host.size() + path.size() + 1 + q.size());
  w = url.data();
  put(request.scheme);
  put("://");
  put(host);
  put(path);
  *w++ = '?';
  put(q);
  out.headers.clear();
}

// The four SigV4 steps. Kept out of line so that the compiler builds it as it built sign()
// before SigV4a: with the dispatch in the same function, GCC's inliner made other choices for
// the steps it pulls in (measured: ~60 more instructions per SigV4 signature).
[[gnu::noinline]] void sign_v4(const Request& request, const Payload& payload,
                               const Credentials& credentials, const SigningSettings& settings,
                               TimePoint time, SigningResult& out) {
  thread_local Scratch scratch;
  const Modes modes = modes_for(credentials, settings);
  write_scope(time, settings, payload, scratch, out);

  // Step 1: the canonical request.
  canonicalize_headers(request, credentials, modes, scratch, out);
  collect_presign_params(credentials, settings, modes, scratch, out);
  const std::size_t repeats = build_canonical_request(request, settings, scratch, out);

  // Step 2: the string to sign.
  const std::string& prefix = scratch.scope.string_to_sign_prefix;
  bytes::size_to(out.string_to_sign, prefix.size() + crypto::kHexSize);
  steps::write_canonical_request_hash(out.canonical_request,
                                      bytes::put(out.string_to_sign.data(), prefix),
                                      &scratch.hasher, repeats);

  // Step 3: the signature, with the signing key of this secret and scope.
  const KeyMemo& key =
      signing_key_for(credentials.secret_access_key().reveal(), out.scope, scratch);
  out.signing_key = key.key;
  bytes::size_to(out.signature, crypto::kHexSize);
  steps::write_signature(key.hmac, out.string_to_sign, out.signature.data(),
                         &scratch.key.string_to_sign_hasher, prefix.size());

  // Step 4: what to add to the request.
  if (modes.presign) {
    write_presigned_url(request, credentials, modes, scratch, out);
  } else {
    out.presigned_query.clear();
    out.presigned_url.clear();
    write_signed_headers(credentials, modes, scratch, out);
  }
}

}  // namespace

void sign(const Request& request, const Payload& payload, const Credentials& credentials,
          const SigningSettings& settings, TimePoint time, SigningResult& out) {
  // SigV4a first, before any SigV4 work: one compare and a jump on the SigV4 path.
  if (settings.algorithm != SigningAlgorithm::V4) [[unlikely]] {
    sigv4a::sign(request, payload, credentials, settings, time, out);
    return;
  }
  sign_v4(request, payload, credentials, settings, time, out);
}

SigningResult sign(const Request& request, const Payload& payload, const Credentials& credentials,
                   const SigningSettings& settings, TimePoint time) {
  SigningResult out;
  sign(request, payload, credentials, settings, time, out);
  return out;
}

}  // namespace awsauth::signer
