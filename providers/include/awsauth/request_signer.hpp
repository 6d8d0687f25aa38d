#pragma once
/// @file request_signer.hpp
/// One object that signs every request (the C++ twin of botocore-era
/// `BotoAWSRequestsAuth(aws_host, aws_region, aws_service)`): built once from a credentials
/// provider, a region and a service; each call fetches the provider's current credentials
/// (cheap when cached), signs at the clock's time and gives what to send. See
/// docs/request_signer.md.
///
// clang-format off
/// ```
/// const awsauth::RequestSigner signer({.service = "es"});   // default chain, resolved region
/// auto signed_request = signer.sign({.method = "GET", .url = url});
/// // send signed_request.request (url, headers, body) with any client
/// ```
// clang-format on
///
/// Lives in the providers library (it needs both the signer and the default chain) and in the
/// top-level `awsauth` namespace because it is the entry point most programs need. The
/// adapters are header-only: awsauth/request_signer_poco.hpp (Poco) and
/// awsauth/request_signer_curl.hpp (libcurl).

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/clock.hpp"
#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/http.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/region.hpp"
#include "awsauth/signer/signer.hpp"

namespace awsauth {

/// How a RequestSigner is built. Only `service` is required.
struct RequestSignerOptions {
  /// The SigV4 service name (`es`, `execute-api`, `lambda`, `sts`, `s3`, ...). Its signing
  /// rules come from SigningSettings::for_service (S3: no normalisation, signed content hash).
  std::string service;
  /// The signing region; empty: resolved once at construction (see `region_lookup`).
  std::optional<std::string> region;
  /// Where credentials come from; null: providers::default_credentials_provider() (one cached
  /// default chain per process), or a default chain of its own when `context` is set.
  std::shared_ptr<CredentialsProvider> credentials;
  /// Where the defaults come from. nullopt: the process (Context::system(), the process-wide
  /// default chain and its profile). Set: a default chain for this context (and its profile's
  /// region), e.g. an environment of its own in tests.
  std::optional<Context> context;
  /// Beyond AWS_REGION, AWS_DEFAULT_REGION and the profile: opt into EC2 instance metadata.
  providers::RegionLookup region_lookup;
  /// Sign `UNSIGNED-PAYLOAD` instead of the body's hash, with `X-Amz-Content-SHA256` added
  /// (S3 uploads that should not be hashed; `awsauth sign --unsigned-payload`).
  bool unsigned_payload = false;
  /// Presign: sign in the query string with this X-Amz-Expires (1..604800 s). sign() then
  /// returns the presigned URL and adds no header.
  std::optional<std::uint32_t> presign_expires;
  /// Attach the session token after signing instead of signing it (AWS IoT).
  bool omit_session_token = false;
  /// Sign with SigV4a (`AWS4-ECDSA-P256-SHA256`, signer::SigningAlgorithm::V4a) instead of
  /// SigV4: an ECDSA P-256 signature valid in every region of `region_set` (S3 multi-region
  /// access points), with a key derived from the credentials and cached per access key
  /// (SigV4aKeyCache::shared()). Header mode and presign alike; `awsauth sign --sigv4a`.
  bool sigv4a = false;
  /// With `sigv4a`: the regions the signature is valid in, comma-separated as
  /// `X-Amz-Region-Set` carries them (`us-east-1,us-west-2`, or `*` for all). Empty: the region.
  /// When given, no region is needed (none is looked up if `region` is not given either, and
  /// region() is then empty). Without `sigv4a` it is refused. A malformed set (an empty entry,
  /// a space) is refused by sign() with signer::SigningError.
  std::string region_set;
  /// The time source of sign(); null: the context's clock, else the system clock.
  std::shared_ptr<const Clock> clock;
};

/// What sign() produced.
struct SignedRequest {
  /// Ready to send: the method, the URL to put on the request line (the path as signed —
  /// signer::wire_path — and, in presign mode, the presigned query), the caller's headers with
  /// the signed ones in place (each replacing a same-named one), and the body given.
  HttpRequest request;
  /// The signature and every intermediate value (canonical request, string to sign, ...).
  signer::SigningResult signing;
  /// The access key id that signed: pass it to invalidate(key) when the service rejects it.
  std::string access_key_id;
};

/// Receives each header the request must carry, in order (generic client adapter).
using HeaderSink = std::function<void(const std::string& name, const std::string& value)>;

/// Signs requests for one service in one region with a provider's current credentials.
///
/// Thread-safe: sign() and invalidate() may be called from any number of threads at once on
/// one object (the provider must be thread-safe, as every built-in one is); sign() takes no lock
/// of its own while the provider keeps handing out the same credentials (a CachingProvider does
/// until it refreshes). Secrets never appear in its exceptions: CredentialsError from the
/// provider, signer::SigningError and HttpError(InvalidRequest / InvalidUrl) name what is
/// wrong, never a key or token.
class AWSAUTH_API RequestSigner {
 public:
  /// Throws providers::RegionError when no region is given and none is found, and
  /// CredentialsError for a malformed shared config file met while resolving it.
  explicit RequestSigner(RequestSignerOptions options);
  /// `RequestSigner(region, service)`: the default credentials (BotoAWSRequestsAuth's shape).
  RequestSigner(std::string region, std::string service);
  /// A provider of your own.
  RequestSigner(std::shared_ptr<CredentialsProvider> credentials, std::string region,
                std::string service);

  /// Signs `request` whose body is `request.body`: hashes it, validates the method, the URL
  /// (parse_http_url) and every header (validate_header), signs at the clock's time. A
  /// streamed body (`request.body_source`) is refused (HttpError InvalidRequest) unless
  /// `unsigned_payload` is set: hash it with signer::PayloadHasher and use the overload below.
  [[nodiscard]] SignedRequest sign(HttpRequest request) const;
  /// Signs with a payload hashed elsewhere (a body streamed through signer::PayloadHasher, a
  /// precomputed hash); `request.body` is not hashed and is passed through as given (leave it
  /// empty when the body is streamed by the client). With `unsigned_payload` set, `payload` is
  /// ignored.
  [[nodiscard]] SignedRequest sign(HttpRequest request, const signer::Payload& payload) const;
  /// The same at an explicit time (tests, replays).
  [[nodiscard]] SignedRequest sign(HttpRequest request, const signer::Payload& payload,
                                   TimePoint time) const;

  /// The generic form for any client: signs `request` (body hashed) and calls `set_header` for
  /// every header to send — the caller's, then the signed ones, a signed one replacing a
  /// caller's of the same name — and returns the URL to send. Host is not passed (every client
  /// sets it from the URL, as the signer signs it), nor Content-Length.
  std::string sign(const HttpRequest& request, const HeaderSink& set_header) const;
  /// The generic form with a payload hashed elsewhere.
  std::string sign(const HttpRequest& request, const signer::Payload& payload,
                   const HeaderSink& set_header) const;

  /// The service rejected the credentials of the last signed request (ExpiredToken,
  /// InvalidClientTokenId, InvalidAccessKeyId, ... see is_credentials_rejection): when the provider
  /// is a CachingProvider, `CachingProvider::invalidate(last key id)`, so the next sign()
  /// refreshes. With another provider nothing is cached here to drop: the provider is asked on
  /// every sign() anyway, and one that caches must be told itself. Prefer invalidate(key) when
  /// several threads sign.
  void invalidate();
  /// The same for the key of a given request (SignedRequest::access_key_id).
  void invalidate(const std::string& rejected_access_key_id);

  /// The service's error code says the signing credentials were expired or unknown, so a
  /// refresh may help: ExpiredToken, ExpiredTokenException, InvalidClientTokenId,
  /// InvalidAccessKeyId, InvalidToken, UnrecognizedClientException.
  [[nodiscard]] static bool is_credentials_rejection(std::string_view error_code) noexcept;

  [[nodiscard]] const std::string& region() const noexcept { return settings_.region; }
  [[nodiscard]] const std::string& service() const noexcept { return settings_.service; }
  /// The settings every request is signed with.
  [[nodiscard]] const signer::SigningSettings& settings() const noexcept { return settings_; }
  [[nodiscard]] const std::shared_ptr<CredentialsProvider>& credentials_provider() const noexcept {
    return provider_;
  }

 private:
  // Remembers the credentials of a signed request for invalidate().
  void remember_signed(const CredentialsPtr& credentials) const;

  std::shared_ptr<CredentialsProvider> provider_;
  std::shared_ptr<const Clock> clock_;
  signer::SigningSettings settings_;
  bool unsigned_payload_ = false;
  // The credentials of the last signed request, for invalidate(). `last_signed_` is their
  // address, compared without the mutex: while it is stored `last_credentials_` keeps them
  // alive, so no other credentials can have it.
  mutable std::mutex last_key_mutex_;
  mutable CredentialsPtr last_credentials_;  // guarded by last_key_mutex_
  mutable std::atomic<const Credentials*> last_signed_{nullptr};
};

}  // namespace awsauth
