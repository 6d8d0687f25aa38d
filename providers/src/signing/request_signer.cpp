#include "awsauth/request_signer.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "awsauth/caching.hpp"
#include "awsauth/detail/ascii.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/url.hpp"

namespace awsauth {
namespace {

bool is_s3(const std::string& service) { return service == "s3" || service == "s3-object-lambda"; }

struct Defaults {
  std::shared_ptr<CredentialsProvider> provider;
  std::string region;
  std::shared_ptr<const Clock> clock;
};

// The provider and the region, from the process defaults or from the options' context. A
// default chain of our own is asked for its resolved profile, so the files are read once.
Defaults resolve_defaults(const RequestSignerOptions& options) {
  Defaults out{options.credentials, options.region.value_or(""), options.clock};
  // A SigV4a scope has no region: with a region set, none is looked up.
  const bool need_region = out.region.empty() && !(options.sigv4a && !options.region_set.empty());
  if (!options.context) {
    if (!out.provider) out.provider = providers::default_credentials_provider();
    if (need_region) out.region = providers::default_region(options.region_lookup).name;
    if (!out.clock) out.clock = std::make_shared<SystemClock>();
    return out;
  }
  const Context& context = *options.context;
  if (!out.clock) out.clock = context.clock ? context.clock : std::make_shared<SystemClock>();
  if (!out.provider || need_region) {
    const providers::DefaultChainOptions chain_options;
    auto chain = std::make_shared<providers::DefaultChain>(context, chain_options);
    if (need_region) {
      out.region =
          providers::require_region(context, *chain->resolved_profile(), options.region_lookup)
              .name;
    }
    if (!out.provider) {
      out.provider = std::make_shared<CachingProvider>(
          std::move(chain), chain_options.refresh_policy, context.clock, context.random);
    }
  }
  return out;
}

// scheme://host[:port] + the path as signed (before any second encoding) + the query.
std::string url_to_send(const HttpUrl& url, const signer::Request& request,
                        const signer::SigningSettings& settings, const std::string& query) {
  std::string out = url.scheme;
  out.append("://");
  if (url.bracketed) out.append(1, '[');
  out.append(url.host);
  if (url.bracketed) out.append(1, ']');
  if (url.port) out.append(1, ':').append(std::to_string(*url.port));
  out.append(signer::wire_path(request.path, settings));
  if (!query.empty()) out.append(1, '?').append(query);
  return out;
}

}  // namespace

RequestSigner::RequestSigner(RequestSignerOptions options) {
  if (options.service.empty()) throw signer::SigningError("RequestSigner: no service named");
  if (!options.region_set.empty() && !options.sigv4a) {
    throw signer::SigningError(
        "RequestSigner: region_set is the SigV4a region set: it needs sigv4a");
  }
  Defaults defaults = resolve_defaults(options);
  provider_ = std::move(defaults.provider);
  clock_ = std::move(defaults.clock);
  settings_ = signer::SigningSettings::for_service(std::move(defaults.region), options.service);
  unsigned_payload_ = options.unsigned_payload;
  // awsauth sign --unsigned-payload: the content hash header says UNSIGNED-PAYLOAD.
  if (unsigned_payload_) settings_.add_content_sha256 = true;
  settings_.omit_session_token = options.omit_session_token;
  if (options.sigv4a) {
    settings_.algorithm = signer::SigningAlgorithm::V4a;
    settings_.region_set = std::move(options.region_set);
  }
  if (options.presign_expires) {
    if (*options.presign_expires < 1 || *options.presign_expires > signer::kMaxPresignExpires) {
      throw signer::SigningError("RequestSigner: presign_expires must be 1..604800 seconds");
    }
    settings_.presign_expires = options.presign_expires;
    // botocore presigns S3 requests with UNSIGNED-PAYLOAD.
    if (is_s3(settings_.service)) unsigned_payload_ = true;
  }
}

RequestSigner::RequestSigner(std::string region, std::string service)
    : RequestSigner(
          RequestSignerOptions{.service = std::move(service), .region = std::move(region)}) {}

RequestSigner::RequestSigner(std::shared_ptr<CredentialsProvider> credentials, std::string region,
                             std::string service)
    : RequestSigner(RequestSignerOptions{.service = std::move(service),
                                         .region = std::move(region),
                                         .credentials = std::move(credentials)}) {}

namespace {

// The overloads that hash `request.body` cannot see a streamed body: signing the empty
// string's hash for it would send a body whose hash was never signed.
void refuse_unhashed_stream(const HttpRequest& request, bool unsigned_payload) {
  if (!request.body_source || unsigned_payload) return;
  throw HttpError(HttpErrorKind::InvalidRequest, request.url,
                  "the body is streamed (body_source), so it cannot be hashed here: sign with "
                  "its Payload (signer::PayloadHasher) or with unsigned_payload");
}

}  // namespace

SignedRequest RequestSigner::sign(HttpRequest request) const {
  refuse_unhashed_stream(request, unsigned_payload_);
  const signer::Payload payload = signer::Payload::from_bytes(request.body);
  return sign(std::move(request), payload, clock_->now());
}

SignedRequest RequestSigner::sign(HttpRequest request, const signer::Payload& payload) const {
  return sign(std::move(request), payload, clock_->now());
}

SignedRequest RequestSigner::sign(HttpRequest request, const signer::Payload& payload,
                                  TimePoint time) const {
  // The one place a signed request is built: what is signed is checked as it will be sent.
  if (!is_http_token(request.method)) {
    throw HttpError(HttpErrorKind::InvalidRequest, request.url,
                    "the method is not an HTTP token: '" + printable(request.method, 64) + "'");
  }
  std::string url_error;
  const auto url = parse_http_url(request.url, url_error);
  if (!url) throw HttpError(HttpErrorKind::InvalidUrl, request.url, url_error);
  for (const auto& [name, value] : request.headers) validate_header(name, value);

  signer::Request to_sign = signer::parse_url(request.method, request.url);
  to_sign.headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) to_sign.headers.push_back({name, value});

  const CredentialsPtr credentials = provider_->get();
  SignedRequest out;
  signer::sign(to_sign, unsigned_payload_ ? signer::Payload::unsigned_payload() : payload,
               *credentials, settings_, time, out.signing);
  out.access_key_id = credentials->access_key_id();
  remember_signed(credentials);

  const bool presign = settings_.presign_expires.has_value();
  request.url =
      url_to_send(*url, to_sign, settings_, presign ? out.signing.presigned_query : to_sign.query);
  for (const auto& h : out.signing.headers) {
    std::erase_if(request.headers,
                  [&](const auto& kv) { return awsauth::detail::ascii_iequals(kv.first, h.name); });
    request.headers.emplace_back(h.name, h.value);
  }
  out.request = std::move(request);
  return out;
}

std::string RequestSigner::sign(const HttpRequest& request, const HeaderSink& set_header) const {
  refuse_unhashed_stream(request, unsigned_payload_);
  return sign(request, signer::Payload::from_bytes(request.body), set_header);
}

std::string RequestSigner::sign(const HttpRequest& request, const signer::Payload& payload,
                                const HeaderSink& set_header) const {
  HttpRequest head{.method = request.method, .url = request.url, .headers = request.headers};
  SignedRequest signed_request = sign(std::move(head), payload, clock_->now());
  for (const auto& [name, value] : signed_request.request.headers) set_header(name, value);
  return std::move(signed_request.request.url);
}

void RequestSigner::remember_signed(const CredentialsPtr& credentials) const {
  // A cache hands every thread the same snapshot until it refreshes, so the common case is
  // that they are already remembered: one atomic load, no lock, nothing written.
  if (last_signed_.load(std::memory_order_acquire) == credentials.get()) return;
  CredentialsPtr previous;
  {
    const std::lock_guard lock(last_key_mutex_);
    previous = std::exchange(last_credentials_, credentials);
    last_signed_.store(credentials.get(), std::memory_order_release);
  }
  // `previous` is released only now, after its address was replaced: credentials allocated
  // where it was cannot match the stale address.
}

void RequestSigner::invalidate() {
  std::string key;
  {
    const std::lock_guard lock(last_key_mutex_);
    if (last_credentials_) key = last_credentials_->access_key_id();
  }
  if (!key.empty()) invalidate(key);
}

void RequestSigner::invalidate(const std::string& rejected_access_key_id) {
  if (auto* cache = dynamic_cast<CachingProvider*>(provider_.get())) {
    cache->invalidate(rejected_access_key_id);
  }
}

bool RequestSigner::is_credentials_rejection(std::string_view error_code) noexcept {
  // What AWS services answer for expired or unknown signing credentials (STS and the Query
  // services, S3, the JSON services such as Lambda and DynamoDB).
  static constexpr std::array<std::string_view, 6> kCodes = {
      "ExpiredToken",       "ExpiredTokenException", "InvalidClientTokenId",
      "InvalidAccessKeyId", "InvalidToken",          "UnrecognizedClientException"};
  return std::find(kCodes.begin(), kCodes.end(), error_code) != kCodes.end();
}

}  // namespace awsauth
