#include "awsauth/providers/detail/sts_request.hpp"

#include "awsauth/detail/percent.hpp"

namespace awsauth::providers {
namespace {

// quote_plus(safe=''): RFC 3986 unreserved bytes stay, space is '+', the rest %XX.
void encode_into(std::string& out, std::string_view text) {
  static constexpr auto kUnreserved = awsauth::detail::ByteSet::unreserved();
  awsauth::detail::append_percent_encoded(out, text, kUnreserved, /*space_as_plus=*/true);
}

FormFields header(std::string_view action) {
  return {{"Action", std::string(action)}, {"Version", std::string(kStsApiVersion)}};
}

}  // namespace

std::string form_urlencode(const FormFields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    encode_into(out, name);
    out.push_back('=');
    encode_into(out, value);
  }
  return out;
}

FormFields assume_role_fields(const AssumeRoleParams& p) {
  FormFields f = header("AssumeRole");
  f.emplace_back("RoleArn", p.role_arn);
  f.emplace_back("RoleSessionName", p.role_session_name);
  if (p.duration_seconds) f.emplace_back("DurationSeconds", std::to_string(*p.duration_seconds));
  if (p.external_id) f.emplace_back("ExternalId", *p.external_id);
  if (p.serial_number) f.emplace_back("SerialNumber", *p.serial_number);
  if (p.token_code) f.emplace_back("TokenCode", *p.token_code);
  return f;
}

FormFields web_identity_fields(const WebIdentityParams& p) {
  FormFields f = header("AssumeRoleWithWebIdentity");
  f.emplace_back("RoleArn", p.role_arn);
  f.emplace_back("RoleSessionName", p.role_session_name);
  f.emplace_back("WebIdentityToken", p.web_identity_token);
  if (p.duration_seconds) f.emplace_back("DurationSeconds", std::to_string(*p.duration_seconds));
  return f;
}

FormFields get_caller_identity_fields() { return header("GetCallerIdentity"); }

}  // namespace awsauth::providers
