#include "awsauth/signer/signer.hpp"

#include <charconv>
#include <cstdio>

#include "awsauth/detail/ascii.hpp"
#include "crypto.hpp"
#include "steps.hpp"

namespace awsauth::signer {
namespace {

// Days since 1970-01-01 -> civil date (H. Hinnant's algorithm): no gmtime, no locale, no lock.
void civil_from_days(long long z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

long long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void put_digits(char* p, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

void write_amz_date(TimePoint time, std::string& out) {
  const auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  long long days = secs / 86400;
  long long rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  civil_from_days(days, y, m, d);
  out.resize(16);
  char* p = out.data();
  put_digits(p, static_cast<unsigned>(y), 4);
  put_digits(p + 4, m, 2);
  put_digits(p + 6, d, 2);
  p[8] = 'T';
  put_digits(p + 9, static_cast<unsigned>(rem / 3600), 2);
  put_digits(p + 11, static_cast<unsigned>(rem % 3600 / 60), 2);
  put_digits(p + 13, static_cast<unsigned>(rem % 60), 2);
  p[15] = 'Z';
}

// Per-thread memo of the last signing key, in front of the shared cache: the common case
// (same credentials, same day, same service) costs four string compares and no lock.
struct KeyMemo {
  std::string secret;
  Scope scope;
  SigningKey key;
  bool valid = false;
  ~KeyMemo() { wipe_string(secret); }
};

const SigningKey& signing_key_for(const std::string& secret, const Scope& scope) {
  thread_local KeyMemo memo;
  if (!memo.valid || memo.scope.date != scope.date || memo.scope.region != scope.region ||
      memo.scope.service != scope.service || memo.secret != secret) {
    memo.key = SigningKeyCache::shared().get(secret, scope);
    wipe_string(memo.secret);
    memo.secret = secret;
    memo.scope = scope;
    memo.valid = true;
  }
  return memo.key;
}

struct Scratch {
  steps::HeaderScratch headers;
  steps::QueryScratch query;
  steps::Pairs extra;
  std::string uri;
  std::string canonical_query;
  std::string block;
};

Header& next_header(std::vector<Header>& headers, std::size_t& used, std::string_view name) {
  if (used == headers.size()) {
    headers.emplace_back();
  }
  auto& h = headers[used++];
  h.name.assign(name);
  return h;
}

void set_extra(steps::Pairs& extra, std::size_t index, std::string_view key) {
  if (index == extra.size()) {
    extra.emplace_back();
  }
  extra[index].first.assign(key);
  extra[index].second.clear();
}

}  // namespace

std::string format_amz_date(TimePoint time) {
  std::string out;
  write_amz_date(time, out);
  return out;
}

std::optional<TimePoint> parse_amz_date(std::string_view t) {
  if (t.size() != 16 || t[8] != 'T' || t[15] != 'Z') {
    return std::nullopt;
  }
  auto num = [&](std::size_t at, std::size_t len, unsigned& v) {
    auto [end, ec] = std::from_chars(t.data() + at, t.data() + at + len, v);
    return ec == std::errc() && end == t.data() + at + len;
  };
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!num(0, 4, y) || !num(4, 2, mo) || !num(6, 2, d) || !num(9, 2, h) || !num(11, 2, mi) ||
      !num(13, 2, s)) {
    return std::nullopt;
  }
  // TimePoint counts nanoseconds in 64 bits (about 1677 to 2262); a year outside would overflow
  // the conversion (undefined behaviour, found by fuzz_iso8601).
  if (y < 1678 || y > 2261) {
    return std::nullopt;
  }
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) {
    return std::nullopt;
  }
  const auto days = days_from_civil(static_cast<int>(y), mo, d);
  const auto seconds = static_cast<std::int64_t>(days) * 86400 + std::int64_t{h} * 3600 +
                       std::int64_t{mi} * 60 + std::int64_t{s};
  return TimePoint(std::chrono::seconds(seconds));
}

void sign(const Request& request, const Payload& payload, const Credentials& credentials,
          const SigningSettings& settings, TimePoint time, SigningResult& out) {
  thread_local Scratch scratch;
  const bool presign = settings.presign_expires.has_value();
  if (presign &&
      (*settings.presign_expires < 1 || *settings.presign_expires > kMaxPresignExpires)) {
    throw SigningError("presign expiry must be between 1 and 604800 seconds");
  }
  if (settings.region.empty() || settings.service.empty()) {
    throw SigningError("signing needs a region and a service");
  }
  const bool has_token = credentials.has_session_token();
  const bool sign_token = has_token && !settings.omit_session_token;
  const bool add_sha_header = !presign && settings.add_content_sha256;

  write_amz_date(time, out.amz_date);
  out.scope.date.assign(out.amz_date, 0, 8);
  out.scope.region.assign(settings.region);
  out.scope.service.assign(settings.service);
  out.credential_scope.clear();
  out.credential_scope.append(out.scope.date).append(1, '/').append(settings.region);
  out.credential_scope.append(1, '/').append(settings.service).append("/aws4_request");
  out.payload_hash.assign(payload.hash());

  // Headers: the caller's, minus the ones the signer owns, plus host and the signer's own.
  auto& hs = scratch.headers;
  hs.clear();
  bool has_host = false;
  bool given_sha = false;
  for (const auto& h : request.headers) {
    const std::string_view n = h.name;
    if (detail::ascii_iequals(n, "x-amz-date") || detail::ascii_iequals(n, "authorization") ||
        (has_token && detail::ascii_iequals(n, "x-amz-security-token")) ||
        (add_sha_header && detail::ascii_iequals(n, "x-amz-content-sha256"))) {
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
    hs.add(n, h.value);
  }
  if (!has_host) {
    if (request.host.empty()) {
      throw SigningError("the request has no host (set Request::host or a Host header)");
    }
    hs.add("host", request.host);
  }
  if (!presign) {
    hs.add("x-amz-date", out.amz_date);
    if (sign_token) {
      hs.add("x-amz-security-token", credentials.session_token().reveal());
    }
    if (add_sha_header) {
      hs.add("x-amz-content-sha256", out.payload_hash);
    }
  }
  scratch.block.clear();
  out.signed_headers.clear();
  steps::append_canonical_headers(hs, scratch.block, out.signed_headers);

  // Query: the caller's, plus the X-Amz-* parameters when presigning.
  std::size_t n_extra = 0;
  if (presign) {
    auto& ex = scratch.extra;
    set_extra(ex, n_extra, "X-Amz-Algorithm");
    ex[n_extra++].second.append(kAlgorithm);
    set_extra(ex, n_extra, "X-Amz-Credential");
    uri_encode(credentials.access_key_id(), ex[n_extra].second, false);
    ex[n_extra].second.append("%2F");
    uri_encode(out.credential_scope, ex[n_extra++].second, false);
    set_extra(ex, n_extra, "X-Amz-Date");
    ex[n_extra++].second.append(out.amz_date);
    set_extra(ex, n_extra, "X-Amz-Expires");
    char buf[16];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *settings.presign_expires);
    (void)ec;
    ex[n_extra++].second.append(buf, end);
    if (sign_token) {
      set_extra(ex, n_extra, "X-Amz-Security-Token");
      uri_encode(credentials.session_token().reveal(), ex[n_extra++].second, false);
    }
    set_extra(ex, n_extra, "X-Amz-SignedHeaders");
    uri_encode(out.signed_headers, ex[n_extra++].second, false);
  }
  scratch.extra.resize(n_extra);
  scratch.canonical_query.clear();
  steps::append_canonical_query(request.query, scratch.extra, scratch.query,
                                scratch.canonical_query);

  scratch.uri.clear();
  steps::append_canonical_uri(request.path, settings, scratch.uri);

  auto& cr = out.canonical_request;
  cr.clear();
  cr.append(request.method).append(1, '\n').append(scratch.uri).append(1, '\n');
  cr.append(scratch.canonical_query).append(1, '\n').append(scratch.block).append(1, '\n');
  cr.append(out.signed_headers).append(1, '\n').append(out.payload_hash);

  auto& sts = out.string_to_sign;
  sts.clear();
  sts.append(kAlgorithm).append(1, '\n').append(out.amz_date).append(1, '\n');
  sts.append(out.credential_scope).append(1, '\n');
  crypto::append_hex(crypto::sha256(cr), sts);

  out.signing_key = signing_key_for(credentials.secret_access_key().reveal(), out.scope);
  const auto& kb = out.signing_key.bytes();
  out.signature.clear();
  crypto::append_hex(crypto::hmac_sha256(kb.data(), kb.size(), sts), out.signature);

  std::size_t used = 0;
  out.presigned_query.clear();
  out.presigned_url.clear();
  if (!presign) {
    next_header(out.headers, used, "X-Amz-Date").value.assign(out.amz_date);
    if (has_token) {
      next_header(out.headers, used, "X-Amz-Security-Token")
          .value.assign(credentials.session_token().reveal());
    }
    if (add_sha_header) {
      next_header(out.headers, used, "X-Amz-Content-SHA256").value.assign(out.payload_hash);
    }
    auto& auth = next_header(out.headers, used, "Authorization").value;
    auth.clear();
    auth.append(kAlgorithm).append(" Credential=").append(credentials.access_key_id());
    auth.append(1, '/').append(out.credential_scope).append(", SignedHeaders=");
    auth.append(out.signed_headers).append(", Signature=").append(out.signature);
  } else {
    auto& q = out.presigned_query;
    q.append(request.query);
    for (std::size_t i = 0; i < n_extra; ++i) {
      if (!q.empty()) {
        q.push_back('&');
      }
      q.append(scratch.extra[i].first).append(1, '=').append(scratch.extra[i].second);
    }
    if (has_token && !sign_token) {
      // omit_session_token: the token travels with the URL but is not signed.
      q.append("&X-Amz-Security-Token=");
      uri_encode(credentials.session_token().reveal(), q, false);
    }
    q.append("&X-Amz-Signature=").append(out.signature);
    auto& url = out.presigned_url;
    url.append(request.scheme).append("://");
    std::string_view host = request.host;
    if (host.empty()) {
      for (const auto& h : request.headers) {
        if (detail::ascii_iequals(h.name, "host")) {
          host = h.value;
        }
      }
    }
    url.append(host).append(request.path.empty() ? "/" : request.path).append(1, '?').append(q);
  }
  out.headers.resize(used);
}

SigningResult sign(const Request& request, const Payload& payload, const Credentials& credentials,
                   const SigningSettings& settings, TimePoint time) {
  SigningResult out;
  sign(request, payload, credentials, settings, time, out);
  return out;
}

}  // namespace awsauth::signer
