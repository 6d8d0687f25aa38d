#include "awsauth/providers/metadata/container.hpp"

#include <thread>

#include "awsauth/printable.hpp"
#include "metadata/container_config.hpp"
#include "metadata/credentials_document.hpp"
#include "metadata/http_status_text.hpp"

namespace awsauth::providers {

ContainerProvider::ContainerProvider(Context context, ContainerProviderOptions options)
    : context_(std::move(context)), options_(options) {
  if (options_.attempts < 1) options_.attempts = 1;
}

std::string ContainerProvider::name() const { return std::string(provider_names::container); }

CredentialsPtr ContainerProvider::get() {
  const ContainerEndpoint endpoint = resolve_container_endpoint(*context_.environment);
  HttpOptions http_options;
  http_options.connect_timeout = options_.timeout;
  http_options.total_timeout = options_.timeout;
  http_options.max_response_bytes = std::size_t{64} * 1024;
  http_options.proxy.clear();
  // Resolved on every fetch: the check and the connection use the same answer.
  http_options.connect_address = checked_container_address(endpoint, *context_.resolver);

  std::string last;
  auto pause = options_.backoff;
  for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(pause);
      pause *= 2;
    }
    // The token file rotates (EKS Pod Identity): read it for every request.
    const auto token = read_container_authorization_token(*context_.environment, *context_.files);
    HttpRequest request{.method = "GET",
                        .url = endpoint.url,
                        .headers = {{"Accept", "application/json"}},
                        .body = {}};
    if (token) request.headers.emplace_back("Authorization", token->reveal());

    HttpResponse response;
    try {
      response = context_.http->send(request, http_options);
    } catch (const HttpError& e) {
      if (e.kind() == HttpErrorKind::InvalidUrl || e.kind() == HttpErrorKind::Tls ||
          e.kind() == HttpErrorKind::ResponseTooLarge) {
        throw CredentialsError::provider_failure(name(), std::string("GET failed: ") + e.what());
      }
      last = e.what();
      continue;
    }
    const std::string where =
        "GET " + printable_url(endpoint.url) + ": " + detail::status_text(response);
    if (response.status >= 500) {
      last = where;
      continue;
    }
    if (response.status != 200) {
      // 4xx: the endpoint refused this request (bad token, unknown task); asking again at once
      // would get the same answer. 429 and 408 only ask us to slow down.
      const bool transient = response.status == 429 || response.status == 408;
      if (transient || response.status < 400)
        throw CredentialsError::provider_failure(name(), where);
      throw CredentialsError::non_recoverable(name(), where);
    }
    try {
      const auto document = detail::parse_credentials_document(response.body);
      if (const auto missing = detail::missing_required_fields(document); !missing.empty()) {
        last = where;
        last.append(", but the credentials document lacks ").append(missing);
        continue;
      }
      return detail::to_credentials(document, provider_names::container);
    } catch (const detail::UnreadableDocument& e) {
      last = where + ", but " + e.what();
    }
  }
  throw CredentialsError::provider_failure(
      name(), last + " (after " + std::to_string(options_.attempts) + " attempts)");
}

}  // namespace awsauth::providers
