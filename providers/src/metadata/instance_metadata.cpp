#include "awsauth/providers/metadata/instance_metadata.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>

#include "awsauth/detail/percent.hpp"
#include "awsauth/printable.hpp"
#include "metadata/credentials_document.hpp"
#include "metadata/http_status_text.hpp"

namespace awsauth::providers {

namespace {

constexpr std::string_view kRolePath = "latest/meta-data/iam/security-credentials/";

// botocore's RETRYABLE_HTTP_ERRORS: connection errors, closed connections and timeouts are
// tried again (up to num_attempts); anything else (TLS, oversized answers) is an error at once.
bool is_retryable(HttpErrorKind kind) {
  return kind == HttpErrorKind::ConnectFailed || kind == HttpErrorKind::Timeout ||
         kind == HttpErrorKind::ConnectionClosed || kind == HttpErrorKind::Protocol;
}

// The role name goes into the URL path: percent-encode everything outside IAM's role-name
// characters ([A-Za-z0-9+=,.@_-]), so a listing line holding `?`, `#`, `/` or a control
// character cannot change which URL is fetched.
std::string path_segment(std::string_view role) {
  static constexpr auto kRoleNameBytes = awsauth::detail::ByteSet::alphanumeric().with("+=,.@_-");
  return awsauth::detail::percent_encoded(role, kRoleNameBytes);
}

// A session token goes into a header of every metadata GET: only visible ASCII, as IMDS
// issues (base64), may be sent.
bool is_token_text(std::string_view token) {
  return std::all_of(token.begin(), token.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string attempts_text(int n) {
  return n == 1 ? std::string("1 attempt") : std::to_string(n) + " attempts";
}

/// What one get() has seen so far; decides the kind of its error.
struct Exchange {
  InstanceMetadataConfig config;
  HttpOptions options;
  std::optional<SecretString> token;
  std::string no_token_reason;   ///< why the GETs go without a token (IMDSv1)
  bool any_response = false;     ///< some HTTP status came back: the service exists
  bool reauthenticated = false;  ///< the one 401 retry has been spent
};

}  // namespace

struct InstanceMetadataProvider::Impl {
  Context context;
  InstanceMetadataProfileSettings profile;
  InstanceMetadataOverrides overrides;

  std::mutex token_mutex;
  std::optional<SecretString> cached_token;
  TimePoint token_renew_at{};
  // Set once credentials were supplied; from then on an unreachable service is a failure the
  // cache may ride out, not a sign that we are not on EC2.
  std::atomic<bool> supplied{false};

  // A failure of this exchange. botocore's provider returns nothing (its chain moves on) when
  // the service never answered; we say NotConfigured in that case, as long as this provider has
  // never worked here.
  [[nodiscard]] CredentialsError failure(const Exchange& ex, std::string reason) const {
    if (!ex.any_response && !supplied.load()) {
      return CredentialsError::not_configured(provider_names::instance_metadata, std::move(reason));
    }
    return CredentialsError::provider_failure(provider_names::instance_metadata, std::move(reason));
  }

  std::optional<SecretString> token_for(Exchange& ex) {
    {
      std::lock_guard lock(token_mutex);
      if (cached_token && context.clock->now() < token_renew_at) return cached_token;
    }
    return fetch_token(ex);
  }

  void drop_token() {
    std::lock_guard lock(token_mutex);
    cached_token.reset();
  }

  // botocore IMDSFetcher._fetch_metadata_token: 200 gives the token; 403/404/405 and a read
  // timeout fall back to IMDSv1 at once; 400 is an error; other statuses and connection errors
  // are tried again and, when the attempts run out, also fall back.
  std::optional<SecretString> fetch_token(Exchange& ex) {
    const std::string url = ex.config.token_url();
    const HttpRequest request{
        .method = "PUT",
        .url = url,
        .headers = {{"X-aws-ec2-metadata-token-ttl-seconds",
                     std::to_string(InstanceMetadataProvider::token_ttl_seconds)}},
        .body = {}};
    for (int attempt = 0; attempt < ex.config.num_attempts; ++attempt) {
      const TimePoint started = context.clock->now();
      HttpResponse response;
      try {
        response = context.http->send(request, ex.options);
      } catch (const HttpError& e) {
        ex.no_token_reason = std::string("PUT: ") + e.what();
        // A too-large answer came with a status: something is serving here.
        if (e.kind() == HttpErrorKind::ResponseTooLarge) ex.any_response = true;
        if (e.kind() == HttpErrorKind::Timeout) return std::nullopt;
        if (is_retryable(e.kind())) continue;
        throw failure(ex, "token request failed: " + ex.no_token_reason);
      }
      ex.any_response = true;
      if (response.status == 200 && !response.body.empty()) {
        if (!is_token_text(response.body)) {
          throw failure(ex, "PUT " + url +
                                ": HTTP 200 with a session token that is not visible ASCII "
                                "(control characters or spaces); refusing to send it in a header");
        }
        SecretString token(std::move(response.body));
        std::lock_guard lock(token_mutex);
        cached_token = token;
        token_renew_at =
            started + std::chrono::seconds(InstanceMetadataProvider::token_ttl_seconds -
                                           token_refresh_margin_seconds);
        return token;
      }
      ex.no_token_reason = "PUT " + url + ": " + detail::status_text(response);
      if (response.status == 200) {
        ex.no_token_reason += " with an empty token";
        return std::nullopt;
      }
      if (response.status == 403 || response.status == 404 || response.status == 405) {
        return std::nullopt;
      }
      if (response.status == 400) {
        throw failure(ex, "the instance metadata service rejected the session token request (" +
                              ex.no_token_reason + ")");
      }
    }
    return std::nullopt;
  }

  void require_token_or_v1(const Exchange& ex) const {
    if (!ex.token && ex.config.v1_disabled) {
      throw failure(ex, "no IMDSv2 session token (" + ex.no_token_reason +
                            ") and IMDSv1 is disabled by AWS_EC2_METADATA_V1_DISABLED / "
                            "ec2_metadata_v1_disabled");
    }
  }

  // botocore IMDSFetcher._get_request: non-200, empty (and, for the document, non-JSON) answers
  // and connection errors are tried again up to num_attempts. In addition, a 401 means the
  // token went stale: drop it, get a new one and try once more.
  std::string get(Exchange& ex, const std::string& url, bool is_role_listing,
                  std::optional<detail::CredentialsDocument>* document) {
    std::string last;
    int last_status = 0;
    int attempt = 0;
    while (attempt < ex.config.num_attempts) {
      HttpRequest request{.method = "GET", .url = url, .headers = {}, .body = {}};
      if (ex.token) request.headers.emplace_back("X-aws-ec2-metadata-token", ex.token->reveal());
      HttpResponse response;
      try {
        response = context.http->send(request, ex.options);
      } catch (const HttpError& e) {
        last = e.what();
        if (e.kind() == HttpErrorKind::ResponseTooLarge) ex.any_response = true;
        if (!is_retryable(e.kind())) throw failure(ex, "GET failed: " + last);
        ++attempt;
        continue;
      }
      ex.any_response = true;
      last_status = response.status;
      if (response.status == 401 && ex.token && !ex.reauthenticated) {
        ex.reauthenticated = true;
        drop_token();
        ex.token = fetch_token(ex);
        require_token_or_v1(ex);
        continue;  // the retry with a fresh token does not use up an attempt
      }
      ++attempt;
      if (response.status != 200) {
        last = "GET " + url + ": " + detail::status_text(response);
        continue;
      }
      if (response.body.empty()) {
        last = "GET " + url + ": HTTP 200 with an empty body";
        continue;
      }
      if (document != nullptr) {
        try {
          *document = detail::parse_credentials_document(response.body);
        } catch (const detail::UnreadableDocument& e) {
          last = "GET " + url + ": " + e.what();
          continue;
        }
      }
      return std::move(response.body);
    }
    const std::string reason = last + " (after " + attempts_text(ex.config.num_attempts) + ")";
    if (is_role_listing && last_status == 404 && !supplied.load()) {
      throw CredentialsError::not_configured(provider_names::instance_metadata,
                                             "no IAM role is attached to this instance: " + reason);
    }
    if (!ex.any_response) {
      throw failure(ex, "the instance metadata service did not answer: " + reason);
    }
    throw failure(ex, reason);
  }
};

InstanceMetadataProvider::InstanceMetadataProvider(Context context,
                                                   InstanceMetadataProfileSettings profile,
                                                   InstanceMetadataOverrides overrides)
    : impl_(std::make_unique<Impl>()) {
  impl_->context = std::move(context);
  impl_->profile = std::move(profile);
  impl_->overrides = std::move(overrides);
}

InstanceMetadataProvider::~InstanceMetadataProvider() = default;

std::string InstanceMetadataProvider::name() const {
  return std::string(provider_names::instance_metadata);
}

namespace {

// One exchange's configuration: resolved again on every call, so a changed environment applies.
Exchange start_exchange(const Context& context, const InstanceMetadataProfileSettings& profile,
                        const InstanceMetadataOverrides& overrides) {
  Exchange ex{.config = resolve_instance_metadata_config(*context.environment, profile, overrides),
              .options = {},
              .token = std::nullopt,
              .no_token_reason = {},
              .any_response = false,
              .reauthenticated = false};
  if (ex.config.disabled) {
    throw CredentialsError::not_configured(provider_names::instance_metadata,
                                           "disabled by AWS_EC2_METADATA_DISABLED=true");
  }
  // The timeout bounds each whole exchange (connect, send, every body byte); the metadata
  // service is link-local and is never reached through a proxy.
  ex.options.connect_timeout = ex.config.timeout;
  ex.options.total_timeout = ex.config.timeout;
  ex.options.max_response_bytes = std::size_t{64} * 1024;
  ex.options.proxy.clear();
  return ex;
}

}  // namespace

std::string InstanceMetadataProvider::read_metadata(std::string_view path) {
  Impl& impl = *impl_;
  Exchange ex = start_exchange(impl.context, impl.profile, impl.overrides);
  ex.token = impl.token_for(ex);
  impl.require_token_or_v1(ex);
  return impl.get(ex, ex.config.url(path), false, nullptr);
}

CredentialsPtr InstanceMetadataProvider::get() {
  Impl& impl = *impl_;
  Exchange ex = start_exchange(impl.context, impl.profile, impl.overrides);
  ex.token = impl.token_for(ex);
  impl.require_token_or_v1(ex);

  const std::string listing_url = ex.config.url(kRolePath);
  std::string listing = impl.get(ex, listing_url, true, nullptr);
  // The listing names one role per line; an instance profile holds exactly one.
  std::string role = listing.substr(0, listing.find('\n'));
  while (!role.empty() && (role.back() == '\r' || role.back() == ' ')) role.pop_back();
  if (role.empty()) {
    throw impl.failure(ex, "GET " + listing_url + ": no role name in the answer");
  }

  const std::string document_url = listing_url + path_segment(role);
  std::optional<detail::CredentialsDocument> document;
  impl.get(ex, document_url, false, &document);

  // IMDS answers 200 with {"Code": ..., "Message": ...} when it cannot hand out the role's
  // credentials (e.g. EC2 is not a trusted entity of the role). botocore logs it and returns
  // nothing; we say what the service said.
  if (document->code && *document->code != "Success") {
    throw CredentialsError::non_recoverable(
        provider_names::instance_metadata,
        "GET " + document_url + ": the instance metadata service returned Code '" +
            printable(*document->code, 128) +
            "': " + printable(document->message.value_or("(no message)")));
  }
  if (const std::string missing = detail::missing_required_fields(*document); !missing.empty()) {
    throw impl.failure(ex, "GET " + document_url + ": the credentials document lacks " + missing);
  }
  CredentialsPtr credentials;
  try {
    credentials = detail::to_credentials(*document, provider_names::instance_metadata);
  } catch (const detail::UnreadableDocument& e) {
    throw impl.failure(
        ex, "GET " + document_url + ": the credentials document is unusable: " + e.what());
  }
  impl.supplied.store(true);
  return credentials;
}

}  // namespace awsauth::providers
