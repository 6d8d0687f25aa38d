// sign(): the four SigV4 steps of steps.hpp run in order over per-thread buffers that keep their
// capacity, so a warmed-up signature allocates nothing. Each stage below is named after the
// step it runs; the spec's pieces themselves live in canonical.cpp, shared with the public pure
// functions of canonical.hpp.

#include "awsauth/signer/signer.hpp"

#include <charconv>

#include "amz_date.hpp"
#include "awsauth/detail/ascii.hpp"
#include "crypto.hpp"
#include "steps.hpp"

namespace awsauth::signer {
namespace {

// Per-thread memo of the last signing key, in front of the shared cache: the common case
// (same credentials, same day, same service) costs four string compares and no lock. It keeps
// the key's HMAC pad states too, so step 3 hashes the string to sign and one more block.
struct KeyMemo {
  std::string secret;
  Scope scope;
  SigningKey key;
  crypto::HmacKey hmac;
  bool valid = false;
  ~KeyMemo() { wipe_string(secret); }
};

const KeyMemo& signing_key_for(const std::string& secret, const Scope& scope) {
  thread_local KeyMemo memo;
  if (!memo.valid || memo.scope.date != scope.date || memo.scope.region != scope.region ||
      memo.scope.service != scope.service || memo.secret != secret) {
    memo.valid = false;
    memo.key = SigningKeyCache::shared().get(secret, scope);
    memo.hmac = crypto::HmacKey(memo.key.bytes().data(), memo.key.bytes().size());
    wipe_string(memo.secret);
    memo.secret = secret;
    memo.scope.date = scope.date;
    memo.scope.region = scope.region;
    memo.scope.service = scope.service;
    memo.valid = true;
  }
  return memo;
}

// Step 1's URI and query lines depend only on the path, the query and two settings, so a thread
// that signs the same target again (the same object, the same API action) copies them instead
// of re-deriving them. Header mode only: a presigned query also holds the X-Amz-* parameters.
struct TargetMemo {
  std::string path;
  std::string query;
  bool normalize_path = false;
  bool double_encode = false;
  bool valid = false;
  std::string uri_and_query;  // `URI\nQUERY\n`

  [[nodiscard]] bool holds(const Request& request, const SigningSettings& settings) const {
    return valid && normalize_path == settings.normalize_path &&
           double_encode == settings.double_encode && path == request.path &&
           query == request.query;
  }
};

// The signed headers of one signature: the caller's (minus those the signer owns), host, and in
// header mode the signer's own, as names and values side by side.
struct HeaderInputs {
  std::vector<std::string_view> names;
  std::vector<std::string_view> values;
  std::size_t date = std::string::npos;  // index of x-amz-date (header mode)
  void clear() {
    names.clear();
    values.clear();
    date = std::string::npos;
  }
  void add(std::string_view name, std::string_view value) {
    names.push_back(name);
    values.push_back(value);
  }
};

// The header layout depends only on the names, so it is kept for the names it was built from:
// the next request with the same header names (the usual case: one client, one API) only
// writes the values.
struct LayoutMemo {
  std::vector<std::string> names;
  std::size_t count = 0;
  bool valid = false;
  steps::HeaderLayout layout;

  [[nodiscard]] bool holds(const HeaderInputs& inputs) const {
    if (!valid || count != inputs.names.size()) return false;
    for (std::size_t i = 0; i < count; ++i) {
      if (names[i] != inputs.names[i]) return false;
    }
    return true;
  }
  void rebuild(const HeaderInputs& inputs) {
    valid = false;
    count = inputs.names.size();
    if (names.size() < count) names.resize(count);
    for (std::size_t i = 0; i < count; ++i) names[i].assign(inputs.names[i]);
    steps::build_header_layout(inputs.names.data(), count, layout);
    valid = true;
  }
};

// Step 2's first three lines follow from the date and the scope, and step 4's Authorization
// value up to the signature from those, the access key id and the signed headers: both kept for
// the last ones seen (one second, one scope, one key: every signature of a busy second).
struct ScopeMemo {
  std::int64_t date_seconds = 0;
  std::string region;
  std::string service;
  std::uint64_t generation = 0;  // 0: empty
  std::string credential_scope;
  std::string string_to_sign_prefix;
};

struct AuthorizationMemo {
  std::uint64_t scope_generation = 0;
  std::string access_key_id;
  std::string signed_headers;
  std::string prefix;
};

// What one signature needs besides its inputs and its result, kept per thread.
struct Scratch {
  crypto::PrefixHasher hasher;
  char amz_date[dates::kAmzDateSize] = {};  // for scope.date_seconds
  ScopeMemo scope;
  AuthorizationMemo authorization;
  HeaderInputs header_inputs;
  LayoutMemo header_layout;
  TargetMemo target;
  steps::QueryScratch query;
  steps::Pairs presign_params;
  std::size_t presign_param_count = 0;
};

// The modes a request is signed in, decided once from the settings and credentials.
struct Modes {
  bool presign = false;
  bool has_token = false;
  bool sign_token = false;      // the token is in the signed headers or query
  bool add_sha_header = false;  // the signer adds X-Amz-Content-SHA256
};

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
  if (memo.generation == 0 || seconds != memo.date_seconds || memo.region != settings.region ||
      memo.service != settings.service) {
    dates::write_amz_date(time, scratch.amz_date);
    memo.date_seconds = seconds;
    memo.region.assign(settings.region);
    memo.service.assign(settings.service);
    memo.credential_scope.clear();
    steps::append_credential_scope(std::string_view(scratch.amz_date, 8), settings.region,
                                   settings.service, memo.credential_scope);
    memo.string_to_sign_prefix.clear();
    steps::append_string_to_sign_prefix(std::string_view(scratch.amz_date, sizeof scratch.amz_date),
                                        memo.credential_scope, memo.string_to_sign_prefix);
    ++memo.generation;
  }
  out.amz_date.assign(scratch.amz_date, sizeof scratch.amz_date);
  out.scope.date.assign(scratch.amz_date, 8);
  out.scope.region.assign(settings.region);
  out.scope.service.assign(settings.service);
  out.credential_scope.assign(memo.credential_scope);
  out.payload_hash.assign(payload.hash());
}

std::string_view host_header(const Request& request) {
  std::string_view host;
  for (const auto& h : request.headers) {
    if (detail::ascii_iequals(h.name, "host")) host = h.value;
  }
  return host;
}

// Step 1, headers: the caller's, minus the ones the signer owns, plus host and, in header
// mode, the signer's own; then the canonical block and the SignedHeaders list.
void canonicalize_headers(const Request& request, const Credentials& credentials,
                          const Modes& modes, Scratch& scratch, SigningResult& out) {
  auto& in = scratch.header_inputs;
  in.clear();
  bool has_host = false;
  bool given_sha = false;
  for (const auto& h : request.headers) {
    const std::string_view n = h.name;
    if (detail::ascii_iequals(n, "x-amz-date") || detail::ascii_iequals(n, "authorization") ||
        (modes.has_token && detail::ascii_iequals(n, "x-amz-security-token")) ||
        (modes.add_sha_header && detail::ascii_iequals(n, "x-amz-content-sha256"))) {
      continue;
    }
    if (detail::ascii_iequals(n, "host")) {
      has_host = true;
    }
    if (!given_sha && detail::ascii_iequals(n, "x-amz-content-sha256")) {
      // A caller's X-Amz-Content-SHA256 (kept when the signer adds none of its own) states the
      // payload hash the service will check, so it is the canonical request's hash too
      // (botocore SigV4Auth.canonical_request; S3 verifies the header against the signature).
      given_sha = true;
      out.payload_hash.clear();
      steps::append_trimmed(h.value, out.payload_hash);
    }
    in.add(n, h.value);
  }
  if (!has_host) {
    if (request.host.empty()) {
      throw SigningError("the request has no host (set Request::host or a Host header)");
    }
    in.add("host", request.host);
  }
  if (!modes.presign) {
    in.date = in.names.size();
    in.add("x-amz-date", out.amz_date);
    if (modes.sign_token) {
      in.add("x-amz-security-token", credentials.session_token().reveal());
    }
    if (modes.add_sha_header) {
      in.add("x-amz-content-sha256", out.payload_hash);
    }
  }
  if (!scratch.header_layout.holds(in)) {
    scratch.header_layout.rebuild(in);
  }
  out.signed_headers.assign(scratch.header_layout.layout.signed_headers);
}

std::string& next_param(Scratch& scratch, std::string_view key) {
  auto& params = scratch.presign_params;
  if (scratch.presign_param_count == params.size()) {
    params.emplace_back();
  }
  auto& p = params[scratch.presign_param_count++];
  p.first.assign(key);
  p.second.clear();
  return p.second;
}

// Step 1, presign mode: the X-Amz-* query parameters that are signed (already encoded).
void collect_presign_params(const Credentials& credentials, const SigningSettings& settings,
                            const Modes& modes, Scratch& scratch, const SigningResult& out) {
  scratch.presign_param_count = 0;
  if (!modes.presign) {
    scratch.presign_params.resize(0);
    return;
  }
  next_param(scratch, "X-Amz-Algorithm").append(kAlgorithm);
  auto& credential = next_param(scratch, "X-Amz-Credential");
  uri_encode(credentials.access_key_id(), credential, false);
  credential.append("%2F");
  uri_encode(out.credential_scope, credential, false);
  next_param(scratch, "X-Amz-Date").append(out.amz_date);
  char buf[16];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *settings.presign_expires);
  (void)ec;
  next_param(scratch, "X-Amz-Expires").append(buf, end);
  if (modes.sign_token) {
    uri_encode(credentials.session_token().reveal(), next_param(scratch, "X-Amz-Security-Token"),
               false);
  }
  uri_encode(out.signed_headers, next_param(scratch, "X-Amz-SignedHeaders"), false);
  scratch.presign_params.resize(scratch.presign_param_count);
}

// Step 1: METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED\nPAYLOAD, written straight into the result.
// Returns the length of the part the next request on this thread likely repeats: everything
// before the first byte that changes with the time (the x-amz-date line, or a presigned query).
std::size_t build_canonical_request(const Request& request, const SigningSettings& settings,
                                    Scratch& scratch, SigningResult& out) {
  auto& cr = out.canonical_request;
  cr.clear();
  cr.append(request.method).append(1, '\n');
  std::size_t repeats = 0;
  if (scratch.presign_param_count > 0) {
    steps::append_canonical_uri(request.path, settings, cr);
    cr.append(1, '\n');
    repeats = cr.size();
    steps::append_canonical_query(request.query, scratch.presign_params, scratch.query, cr);
    cr.append(1, '\n');
  } else {
    auto& memo = scratch.target;
    if (!memo.holds(request, settings)) {
      memo.valid = false;
      memo.uri_and_query.clear();
      steps::append_canonical_uri(request.path, settings, memo.uri_and_query);
      memo.uri_and_query.append(1, '\n');
      steps::append_canonical_query(request.query, scratch.presign_params, scratch.query,
                                    memo.uri_and_query);
      memo.uri_and_query.append(1, '\n');
      memo.path = request.path;
      memo.query = request.query;
      memo.normalize_path = settings.normalize_path;
      memo.double_encode = settings.double_encode;
      memo.valid = true;
    }
    cr.append(memo.uri_and_query);
  }
  const std::size_t date_line =
      steps::append_header_block(scratch.header_layout.layout, scratch.header_inputs.values.data(),
                                 cr, scratch.header_inputs.date);
  steps::append_signed_headers_and_payload(out.signed_headers, out.payload_hash, cr);
  return scratch.presign_param_count > 0 ? repeats : date_line;
}

// Step 4, header mode: X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-SHA256, Authorization.
Header& next_header(std::vector<Header>& headers, std::size_t& used, std::string_view name) {
  if (used == headers.size()) {
    headers.emplace_back();
  }
  auto& h = headers[used++];
  h.name.assign(name);
  return h;
}

void write_signed_headers(const Credentials& credentials, const Modes& modes, Scratch& scratch,
                          SigningResult& out) {
  std::size_t used = 0;
  next_header(out.headers, used, "X-Amz-Date").value.assign(out.amz_date);
  if (modes.has_token) {
    next_header(out.headers, used, "X-Amz-Security-Token")
        .value.assign(credentials.session_token().reveal());
  }
  if (modes.add_sha_header) {
    next_header(out.headers, used, "X-Amz-Content-SHA256").value.assign(out.payload_hash);
  }
  auto& memo = scratch.authorization;
  if (memo.scope_generation != scratch.scope.generation ||
      memo.access_key_id != credentials.access_key_id() ||
      memo.signed_headers != out.signed_headers) {
    memo.scope_generation = scratch.scope.generation;
    memo.access_key_id.assign(credentials.access_key_id());
    memo.signed_headers.assign(out.signed_headers);
    memo.prefix.clear();
    steps::append_authorization_prefix(credentials.access_key_id(), out.credential_scope,
                                       out.signed_headers, memo.prefix);
  }
  auto& auth = next_header(out.headers, used, "Authorization").value;
  auth.assign(memo.prefix).append(out.signature);
  out.headers.resize(used);
}

// Step 4, presign mode: the query to send (the caller's, the X-Amz-* parameters, the signature
// last) and the URL built from it.
void write_presigned_url(const Request& request, const Credentials& credentials, const Modes& modes,
                         const Scratch& scratch, SigningResult& out) {
  auto& q = out.presigned_query;
  q.append(request.query);
  for (std::size_t i = 0; i < scratch.presign_param_count; ++i) {
    if (!q.empty()) {
      q.push_back('&');
    }
    const auto& [key, value] = scratch.presign_params[i];
    q.append(key).append(1, '=').append(value);
  }
  if (modes.has_token && !modes.sign_token) {
    // omit_session_token: the token travels with the URL but is not signed.
    q.append("&X-Amz-Security-Token=");
    uri_encode(credentials.session_token().reveal(), q, false);
  }
  q.append("&X-Amz-Signature=").append(out.signature);
  const std::string_view host = request.host.empty() ? host_header(request) : request.host;
  auto& url = out.presigned_url;
  url.append(request.scheme).append("://").append(host);
  url.append(request.path.empty() ? "/" : request.path).append(1, '?').append(q);
  out.headers.clear();
}

}  // namespace

void sign(const Request& request, const Payload& payload, const Credentials& credentials,
          const SigningSettings& settings, TimePoint time, SigningResult& out) {
  thread_local Scratch scratch;
  const Modes modes = modes_for(credentials, settings);
  write_scope(time, settings, payload, scratch, out);

  // Step 1: the canonical request.
  canonicalize_headers(request, credentials, modes, scratch, out);
  collect_presign_params(credentials, settings, modes, scratch, out);
  const std::size_t repeats = build_canonical_request(request, settings, scratch, out);

  // Step 2: the string to sign.
  out.string_to_sign.assign(scratch.scope.string_to_sign_prefix);
  steps::append_canonical_request_hash(out.canonical_request, out.string_to_sign, &scratch.hasher,
                                       repeats);

  // Step 3: the signature, with the signing key of this secret and scope.
  const KeyMemo& key = signing_key_for(credentials.secret_access_key().reveal(), out.scope);
  out.signing_key = key.key;
  out.signature.clear();
  steps::append_signature(key.hmac, out.string_to_sign, out.signature);

  // Step 4: what to add to the request.
  out.presigned_query.clear();
  out.presigned_url.clear();
  if (modes.presign) {
    write_presigned_url(request, credentials, modes, scratch, out);
  } else {
    write_signed_headers(credentials, modes, scratch, out);
  }
}

SigningResult sign(const Request& request, const Payload& payload, const Credentials& credentials,
                   const SigningSettings& settings, TimePoint time) {
  SigningResult out;
  sign(request, payload, credentials, settings, time, out);
  return out;
}

}  // namespace awsauth::signer
