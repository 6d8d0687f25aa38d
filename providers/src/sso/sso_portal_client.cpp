// The portal's GetRoleCredentials (botocore/data/sso/2019-06-10: querystring account_id and
// role_name, header x-amz-sso_bearer_token, answer roleCredentials with epoch-ms expiration).
#include "awsauth/providers/sso/sso_portal_client.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "awsauth/detail/percent.hpp"
#include "sso/sso_service_call.hpp"

namespace awsauth::providers {
namespace {

std::optional<std::string> text(const Poco::JSON::Object& o, const char* name) {
  if (!o.has(name)) return std::nullopt;
  const Poco::Dynamic::Var v = o.get(name);
  if (v.isEmpty() || !v.isString()) return std::nullopt;
  return v.extract<std::string>();
}

}  // namespace

SsoPortalClient::SsoPortalClient(Context context, SsoServiceClientSettings settings,
                                 std::string provider)
    : context_(std::move(context)), settings_(std::move(settings)), provider_(std::move(provider)) {
  while (!settings_.endpoint.empty() && settings_.endpoint.back() == '/') {
    settings_.endpoint.pop_back();
  }
}

SsoRoleCredentials SsoPortalClient::get_role_credentials(std::string_view account_id,
                                                         std::string_view role_name,
                                                         const SecretString& access_token) const {
  using awsauth::detail::ByteSet;
  using awsauth::detail::percent_encoded;
  detail::SsoServiceCall call;
  call.service = "SSO";
  call.operation = "GetRoleCredentials";
  call.request.method = "GET";
  call.request.url = settings_.endpoint + "/federation/credentials?account_id=" +
                     percent_encoded(account_id, ByteSet::unreserved()) +
                     "&role_name=" + percent_encoded(role_name, ByteSet::unreserved());
  call.request.headers = {{"x-amz-sso_bearer_token", access_token.reveal()}};
  call.secrets = {access_token.reveal()};

  HttpResponse response = detail::send_sso_service_call(context_, settings_, provider_, call);
  wipe_string(call.request.headers.front().second);
  auto fail = [&](const std::string& what) -> CredentialsError {
    wipe_string(response.body);
    return CredentialsError::provider_failure(provider_,
                                              detail::describe_sso_call(call) + " answered HTTP " +
                                                  std::to_string(response.status) + " " + what);
  };
  Poco::JSON::Object::Ptr role;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var root = parser.parse(response.body);
    if (root.type() == typeid(Poco::JSON::Object::Ptr)) {
      role = root.extract<Poco::JSON::Object::Ptr>()->getObject("roleCredentials");
    }
  } catch (...) {
  }
  if (!role) throw fail("without a roleCredentials object");
  auto key = text(*role, "accessKeyId");
  auto secret = text(*role, "secretAccessKey");
  auto token = text(*role, "sessionToken");
  std::optional<std::int64_t> expiration_ms;
  if (role->has("expiration") && role->get("expiration").isNumeric()) {
    try {
      expiration_ms = role->get("expiration").convert<std::int64_t>();
    } catch (...) {
    }
  }
  if (!key || key->empty() || !secret || secret->empty() || !token || !expiration_ms) {
    throw fail("without accessKeyId, secretAccessKey, sessionToken and a numeric expiration");
  }
  wipe_string(response.body);
  SsoRoleCredentials out;
  out.access_key_id = std::move(*key);
  out.secret_access_key = SecretString(std::move(*secret));
  out.session_token = SecretString(std::move(*token));
  // Whole seconds, rounded down, as botocore's strftime of fromtimestamp(ms / 1000.0).
  std::int64_t seconds = *expiration_ms / 1000;
  if (*expiration_ms % 1000 < 0) --seconds;
  out.expiration = TimePoint{} + std::chrono::seconds(seconds);
  return out;
}

}  // namespace awsauth::providers
