// SigV4a (AWS4-ECDSA-P256-SHA256) over the SigV4 steps of steps.hpp. What differs from SigV4
// (aws-c-auth aws_signing.c, checked against the suite's v4a cases):
//   - the credential scope is DATE/SERVICE/aws4_request, without a region;
//   - the region set is signed: an X-Amz-Region-Set header (header mode) or query parameter
//     (presign mode), after X-Amz-Date;
//   - step 3 is an ECDSA P-256 signature over SHA-256(string to sign), hex of its DER, with the
//     key derived from the credentials alone (SigV4aKeyCache::shared()).
// The ECDSA signature costs tens of microseconds, so this path keeps no per-request memos: its
// buffers are per thread and reused, nothing more.

#include "sigv4a_sign.hpp"

#include <charconv>

#include "amz_date.hpp"
#include "awsauth/detail/ascii.hpp"
#include "awsauth/signer/sigv4a.hpp"
#include "steps.hpp"

namespace awsauth::signer::sigv4a {
namespace {

// The region set as X-Amz-Region-Set carries it: comma-separated names, none empty, no spaces
// or control bytes (a header value would be trimmed and collapsed, a query value not).
std::string_view region_set_of(const SigningSettings& settings) {
  const std::string_view set = settings.region_set.empty() ? std::string_view(settings.region)
                                                           : std::string_view(settings.region_set);
  if (set.empty()) {
    throw SigningError(
        "SigV4a signing needs a region set (SigningSettings::region_set, e.g. "
        "\"us-east-1,us-west-2\" or \"*\") or a region");
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = set.find(',', start);
    const std::size_t end = comma == std::string_view::npos ? set.size() : comma;
    if (end == start) {
      throw SigningError("SigV4a region set '" + std::string(set) +
                         "' has an empty entry (expected names separated by single commas)");
    }
    for (std::size_t i = start; i < end; ++i) {
      const auto c = static_cast<unsigned char>(set[i]);
      if (c <= 0x20 || c >= 0x7F) {
        throw SigningError(
            "SigV4a region set holds a space, a control byte or a non-ASCII byte (expected "
            "region names separated by commas, e.g. us-east-1,us-west-2)");
      }
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return set;
}

struct Scratch {
  char amz_date[dates::kAmzDateSize] = {};
  std::vector<std::string_view> names;
  std::vector<std::string_view> values;
  steps::HeaderLayout layout;
  steps::QueryPairs pairs;
  std::vector<steps::QueryParam> params;
  std::string credential;      // AKID%2FSCOPE
  std::string encoded_set;     // the region set, encoded
  std::string encoded_token;   // the session token, encoded
  std::string encoded_signed;  // the SignedHeaders list, encoded
  std::string string_to_sign_prefix;
  char expires[16] = {};
};

// Step 1, headers: the caller's minus those the signer owns, host, and in header mode the
// signer's own (x-amz-date, x-amz-region-set, the token unless omitted, x-amz-content-sha256).
void canonicalize_headers(const Request& request, const Credentials& credentials,
                          std::string_view region_set, bool presign, bool sign_token, bool add_sha,
                          Scratch& scratch, SigningResult& out) {
  auto& names = scratch.names;
  auto& values = scratch.values;
  names.clear();
  values.clear();
  const bool has_token = credentials.has_session_token();
  bool has_host = false;
  bool given_sha = false;
  for (const auto& h : request.headers) {
    const std::string_view n = h.name;
    if (awsauth::detail::ascii_iequals(n, "x-amz-date") ||
        awsauth::detail::ascii_iequals(n, "authorization") ||
        awsauth::detail::ascii_iequals(n, "x-amz-region-set") ||
        (has_token && awsauth::detail::ascii_iequals(n, "x-amz-security-token")) ||
        (add_sha && awsauth::detail::ascii_iequals(n, "x-amz-content-sha256"))) {
      continue;
    }
    if (awsauth::detail::ascii_iequals(n, "host")) has_host = true;
    if (!given_sha && awsauth::detail::ascii_iequals(n, "x-amz-content-sha256")) {
      // As for SigV4 (signer.cpp): a caller's X-Amz-Content-SHA256 is the payload line.
      given_sha = true;
      out.payload_hash.clear();
      steps::append_trimmed(h.value, out.payload_hash);
    }
    names.push_back(n);
    values.push_back(h.value);
  }
  if (!has_host) {
    if (request.host.empty()) {
      throw SigningError("the request has no host (set Request::host or a Host header)");
    }
    names.emplace_back("host");
    values.emplace_back(request.host);
  }
  if (!presign) {
    names.emplace_back("x-amz-date");
    values.emplace_back(out.amz_date);
    names.emplace_back("x-amz-region-set");
    values.emplace_back(region_set);
    if (sign_token) {
      names.emplace_back("x-amz-security-token");
      values.emplace_back(credentials.session_token().reveal());
    }
    if (add_sha) {
      names.emplace_back("x-amz-content-sha256");
      values.emplace_back(out.payload_hash);
    }
  }
  steps::build_header_layout(names.data(), names.size(), scratch.layout);
  out.signed_headers.assign(scratch.layout.signed_headers);
}

// Step 1, presign mode: the X-Amz-* parameters in canonical order (Algorithm, Credential, Date,
// Expires, Region-Set, Security-Token, SignedHeaders), encoded.
void collect_presign_params(const Credentials& credentials, std::string_view region_set,
                            std::uint32_t expires, bool sign_token, Scratch& scratch,
                            const SigningResult& out) {
  auto& params = scratch.params;
  params.clear();
  scratch.credential.clear();
  uri_encode(credentials.access_key_id(), scratch.credential, false);
  scratch.credential.append("%2F");
  uri_encode(out.credential_scope, scratch.credential, false);
  scratch.encoded_set.clear();
  uri_encode(region_set, scratch.encoded_set, false);
  params.emplace_back("X-Amz-Algorithm", kSigV4aAlgorithm);
  params.emplace_back("X-Amz-Credential", scratch.credential);
  params.emplace_back("X-Amz-Date", out.amz_date);
  const auto [end, ec] =
      std::to_chars(scratch.expires, scratch.expires + sizeof scratch.expires, expires);
  (void)ec;
  params.emplace_back("X-Amz-Expires", std::string_view(scratch.expires, end - scratch.expires));
  params.emplace_back("X-Amz-Region-Set", scratch.encoded_set);
  if (sign_token) {
    params.emplace_back("X-Amz-Security-Token", scratch.encoded_token);
  }
  scratch.encoded_signed.clear();
  uri_encode(out.signed_headers, scratch.encoded_signed, false);
  params.emplace_back("X-Amz-SignedHeaders", scratch.encoded_signed);
}

Header& next_header(std::vector<Header>& headers, std::size_t& used, std::string_view name) {
  if (used == headers.size()) headers.emplace_back();
  auto& h = headers[used++];
  h.name.assign(name);
  return h;
}

}  // namespace

void sign(const Request& request, const Payload& payload, const Credentials& credentials,
          const SigningSettings& settings, TimePoint time, SigningResult& out) {
  const bool presign = settings.presign_expires.has_value();
  if (presign &&
      (*settings.presign_expires < 1 || *settings.presign_expires > kMaxPresignExpires)) {
    throw SigningError("presign expiry must be between 1 and 604800 seconds");
  }
  if (settings.service.empty()) {
    throw SigningError("signing needs a service");
  }
  const std::string_view region_set = region_set_of(settings);
  const bool has_token = credentials.has_session_token();
  const bool sign_token = has_token && !settings.omit_session_token;
  const bool add_sha = !presign && settings.add_content_sha256;
  // Derived (or found) first: bad credentials fail before any work.
  const auto key = SigV4aKeyCache::shared().get(credentials.access_key_id(),
                                                credentials.secret_access_key().reveal());

  thread_local Scratch scratch;
  dates::write_amz_date(time, scratch.amz_date);
  out.amz_date.assign(scratch.amz_date, sizeof scratch.amz_date);
  out.scope.date.assign(scratch.amz_date, 8);
  out.scope.region.clear();  // SigV4a scopes have no region
  out.scope.service.assign(settings.service);
  out.credential_scope.clear();
  steps::append_sigv4a_credential_scope(out.scope.date, settings.service, out.credential_scope);
  out.payload_hash.assign(payload.hash());
  scratch.encoded_token.clear();
  if (presign && has_token) {
    uri_encode(credentials.session_token().reveal(), scratch.encoded_token, false);
  }

  // Step 1: the canonical request.
  canonicalize_headers(request, credentials, region_set, presign, sign_token, add_sha, scratch,
                       out);
  if (presign) {
    collect_presign_params(credentials, region_set, *settings.presign_expires, sign_token, scratch,
                           out);
  } else {
    scratch.params.clear();
  }
  auto& cr = out.canonical_request;
  cr.clear();
  cr.append(request.method).append(1, '\n');
  steps::append_canonical_uri(request.path, settings, cr);
  cr.append(1, '\n');
  steps::collect_query_pairs(request.query, scratch.pairs);
  steps::append_merged_query(scratch.pairs, scratch.params, cr);
  cr.append(1, '\n');
  steps::append_header_block(scratch.layout, scratch.values.data(), cr);
  steps::append_signed_headers_and_payload(out.signed_headers, out.payload_hash, cr);

  // Step 2: the string to sign, with SigV4a's algorithm and scope.
  out.string_to_sign.clear();
  steps::append_string_to_sign_prefix(kSigV4aAlgorithm, out.amz_date, out.credential_scope,
                                      out.string_to_sign);
  steps::append_canonical_request_hash(cr, out.string_to_sign);

  // Step 3: the ECDSA signature. There is no HMAC signing key to chain from.
  out.signing_key = SigningKey();
  out.signature = key->sign(out.string_to_sign);

  // Step 4: what to add to the request.
  out.presigned_query.clear();
  out.presigned_url.clear();
  if (presign) {
    auto& q = out.presigned_query;
    q.append(request.query);
    for (const auto& [name, value] : scratch.params) {
      if (!q.empty()) q.push_back('&');
      q.append(name).append(1, '=').append(value);
    }
    if (has_token && !sign_token) {
      // omit_session_token: the token travels with the URL but is not signed.
      q.append("&X-Amz-Security-Token=").append(scratch.encoded_token);
    }
    q.append("&X-Amz-Signature=").append(out.signature);
    std::string_view host = request.host;
    if (host.empty()) {
      for (const auto& h : request.headers) {
        if (awsauth::detail::ascii_iequals(h.name, "host")) host = h.value;
      }
    }
    out.presigned_url.append(request.scheme).append("://").append(host);
    out.presigned_url
        .append(request.path.empty() ? std::string_view("/") : std::string_view(request.path))
        .append(1, '?')
        .append(q);
    out.headers.clear();
    return;
  }
  std::size_t used = 0;
  next_header(out.headers, used, "X-Amz-Date").value.assign(out.amz_date);
  next_header(out.headers, used, "X-Amz-Region-Set").value.assign(region_set);
  if (has_token) {
    next_header(out.headers, used, "X-Amz-Security-Token")
        .value.assign(credentials.session_token().reveal());
  }
  if (add_sha) {
    next_header(out.headers, used, "X-Amz-Content-SHA256").value.assign(out.payload_hash);
  }
  auto& auth = next_header(out.headers, used, "Authorization").value;
  auth.clear();
  steps::append_authorization_prefix(kSigV4aAlgorithm, credentials.access_key_id(),
                                     out.credential_scope, out.signed_headers, auth);
  auth.append(out.signature);
  out.headers.resize(used);
}

}  // namespace awsauth::signer::sigv4a
