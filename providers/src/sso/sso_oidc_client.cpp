// SSO-OIDC (botocore/data/sso-oidc/2019-06-10): rest-json POSTs, unsigned.
#include "awsauth/providers/sso/sso_oidc_client.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <utility>

#include "awsauth/detail/json.hpp"
#include "awsauth/printable.hpp"
#include "sso/sso_service_call.hpp"

namespace awsauth::providers {
namespace {

// A JSON request body built member by member; secrets are wiped with it.
class JsonBody {
 public:
  JsonBody() : text_("{") {}
  JsonBody(const JsonBody&) = delete;
  JsonBody& operator=(const JsonBody&) = delete;
  ~JsonBody() { wipe_string(text_); }

  void add(std::string_view key, std::string_view value) {
    member(key);
    awsauth::detail::append_json_string(text_, value);
  }
  void add(std::string_view key, const std::vector<std::string>& values) {
    member(key);
    text_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) text_ += ", ";
      awsauth::detail::append_json_string(text_, values[i]);
    }
    text_ += ']';
  }
  [[nodiscard]] std::string take() {
    text_ += '}';
    return std::exchange(text_, std::string());
  }

 private:
  void member(std::string_view key) {
    if (text_.size() > 1) text_ += ", ";
    awsauth::detail::append_json_string(text_, key);
    text_ += ": ";
  }
  std::string text_;
};

detail::SsoServiceCall oidc_call(const SsoServiceClientSettings& settings, std::string operation,
                                 std::string_view path, std::string body) {
  detail::SsoServiceCall call;
  call.service = "SSO OIDC";
  call.operation = std::move(operation);
  call.request.method = "POST";
  call.request.url = settings.endpoint + std::string(path);
  call.request.headers = {{"Content-Type", "application/json"}};
  call.request.body = std::move(body);
  return call;
}

// The answer's JSON object; a 2xx answer that is not one is the service's fault.
Poco::JSON::Object::Ptr answer_object(const detail::SsoServiceCall& call,
                                      const HttpResponse& response, const std::string& provider) {
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var root = parser.parse(response.body);
    if (root.type() == typeid(Poco::JSON::Object::Ptr)) {
      return root.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (...) {
  }
  throw CredentialsError::provider_failure(
      provider, detail::describe_sso_call(call) + " answered HTTP " +
                    std::to_string(response.status) + " with a body that is not a JSON object");
}

std::optional<std::string> text(const Poco::JSON::Object& o, const char* name) {
  if (!o.has(name)) return std::nullopt;
  const Poco::Dynamic::Var v = o.get(name);
  if (v.isEmpty() || !v.isString()) return std::nullopt;
  return v.extract<std::string>();
}

std::optional<std::int64_t> number(const Poco::JSON::Object& o, const char* name) {
  if (!o.has(name)) return std::nullopt;
  const Poco::Dynamic::Var v = o.get(name);
  if (v.isEmpty() || !v.isNumeric()) return std::nullopt;
  try {
    return v.convert<std::int64_t>();
  } catch (...) {
    return std::nullopt;
  }
}

[[noreturn]] void missing(const detail::SsoServiceCall& call, const std::string& provider,
                          const char* member) {
  throw CredentialsError::provider_failure(
      provider, detail::describe_sso_call(call) + " answered without `" + member + "`");
}

}  // namespace

SsoServiceError::SsoServiceError(ErrorKind kind, std::string provider, std::string reason,
                                 int status, std::string type, std::string error,
                                 std::string description)
    : CredentialsError(kind, std::move(provider), std::move(reason)),
      status_(status),
      type_(std::move(type)),
      error_(std::move(error)),
      description_(std::move(description)) {}

bool SsoServiceError::authorization_pending() const noexcept {
  return error_ == "authorization_pending" || type_ == "AuthorizationPendingException";
}
bool SsoServiceError::slow_down() const noexcept {
  return error_ == "slow_down" || type_ == "SlowDownException";
}
bool SsoServiceError::expired_token() const noexcept {
  return error_ == "expired_token" || type_ == "ExpiredTokenException";
}
bool SsoServiceError::invalid_grant() const noexcept {
  return error_ == "invalid_grant" || type_ == "InvalidGrantException";
}

SsoOidcClient::SsoOidcClient(Context context, SsoServiceClientSettings settings,
                             std::string provider)
    : context_(std::move(context)), settings_(std::move(settings)), provider_(std::move(provider)) {
  while (!settings_.endpoint.empty() && settings_.endpoint.back() == '/') {
    settings_.endpoint.pop_back();
  }
}

CreateTokenResult SsoOidcClient::create_token(const CreateTokenRequest& request) const {
  JsonBody body;
  body.add("clientId", request.client_id);
  body.add("clientSecret", request.client_secret.reveal());
  body.add("grantType", request.grant_type);
  if (request.device_code) body.add("deviceCode", request.device_code->reveal());
  if (request.refresh_token) body.add("refreshToken", request.refresh_token->reveal());
  if (request.scope) body.add("scope", *request.scope);
  auto call = oidc_call(settings_, "CreateToken", "/token", body.take());
  call.secrets = {request.client_secret.reveal()};
  if (request.device_code) call.secrets.push_back(request.device_code->reveal());
  if (request.refresh_token) call.secrets.push_back(request.refresh_token->reveal());

  HttpResponse response = detail::send_sso_service_call(context_, settings_, provider_, call);
  wipe_string(call.request.body);
  const auto answer = answer_object(call, response, provider_);
  wipe_string(response.body);
  CreateTokenResult result;
  auto access_token = text(*answer, "accessToken");
  if (!access_token) missing(call, provider_, "accessToken");
  result.access_token = SecretString(std::move(*access_token));
  const auto expires_in = number(*answer, "expiresIn");
  if (!expires_in) missing(call, provider_, "expiresIn");
  result.expires_in = *expires_in;
  result.token_type = text(*answer, "tokenType").value_or("");
  if (auto refresh = text(*answer, "refreshToken")) result.refresh_token = SecretString(*refresh);
  if (auto id = text(*answer, "idToken")) result.id_token = SecretString(*id);
  return result;
}

RegisterClientResult SsoOidcClient::register_client(const RegisterClientRequest& request) const {
  JsonBody body;
  body.add("clientName", request.client_name);
  body.add("clientType", request.client_type);
  if (request.scopes) body.add("scopes", *request.scopes);
  if (request.grant_types) body.add("grantTypes", *request.grant_types);
  if (request.redirect_uris) body.add("redirectUris", *request.redirect_uris);
  if (request.issuer_url) body.add("issuerUrl", *request.issuer_url);
  auto call = oidc_call(settings_, "RegisterClient", "/client/register", body.take());

  HttpResponse response = detail::send_sso_service_call(context_, settings_, provider_, call);
  const auto answer = answer_object(call, response, provider_);
  wipe_string(response.body);
  RegisterClientResult result;
  auto id = text(*answer, "clientId");
  if (!id) missing(call, provider_, "clientId");
  auto secret = text(*answer, "clientSecret");
  if (!secret) missing(call, provider_, "clientSecret");
  result.client_id = std::move(*id);
  result.client_secret = SecretString(std::move(*secret));
  result.client_id_issued_at = number(*answer, "clientIdIssuedAt").value_or(0);
  const auto expires = number(*answer, "clientSecretExpiresAt");
  if (!expires) missing(call, provider_, "clientSecretExpiresAt");
  result.client_secret_expires_at = *expires;
  return result;
}

StartDeviceAuthorizationResult SsoOidcClient::start_device_authorization(
    const StartDeviceAuthorizationRequest& request) const {
  JsonBody body;
  body.add("clientId", request.client_id);
  body.add("clientSecret", request.client_secret.reveal());
  body.add("startUrl", request.start_url);
  auto call =
      oidc_call(settings_, "StartDeviceAuthorization", "/device_authorization", body.take());
  call.secrets = {request.client_secret.reveal()};

  HttpResponse response = detail::send_sso_service_call(context_, settings_, provider_, call);
  wipe_string(call.request.body);
  const auto answer = answer_object(call, response, provider_);
  wipe_string(response.body);
  StartDeviceAuthorizationResult result;
  auto device_code = text(*answer, "deviceCode");
  if (!device_code) missing(call, provider_, "deviceCode");
  result.device_code = SecretString(std::move(*device_code));
  auto user_code = text(*answer, "userCode");
  if (!user_code) missing(call, provider_, "userCode");
  result.user_code = std::move(*user_code);
  auto uri = text(*answer, "verificationUri");
  if (!uri) missing(call, provider_, "verificationUri");
  result.verification_uri = std::move(*uri);
  result.verification_uri_complete = text(*answer, "verificationUriComplete").value_or("");
  const auto expires_in = number(*answer, "expiresIn");
  if (!expires_in) missing(call, provider_, "expiresIn");
  result.expires_in = *expires_in;
  result.interval = number(*answer, "interval").value_or(0);
  return result;
}

}  // namespace awsauth::providers
