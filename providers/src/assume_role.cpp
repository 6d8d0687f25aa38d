#include "awsauth/providers/assume_role.hpp"

namespace awsauth::providers {

std::string default_role_session_name(TimePoint now) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return "botocore-session-" + std::to_string(seconds);
}

AssumeRoleProvider::AssumeRoleProvider(Context context, std::shared_ptr<const StsClient> sts,
                                       std::shared_ptr<CredentialsProvider> source,
                                       AssumeRoleHop hop, MfaTokenCallback mfa_token,
                                       std::function<void()> invalidate_source)
    : context_(std::move(context)),
      sts_(std::move(sts)),
      source_(std::move(source)),
      hop_(std::move(hop)),
      mfa_token_(std::move(mfa_token)),
      invalidate_source_(std::move(invalidate_source)) {}

std::string AssumeRoleProvider::name() const { return std::string(provider_names::assume_role); }

CredentialsPtr AssumeRoleProvider::get() {
  AssumeRoleParams params{
      .role_arn = hop_.role_arn,
      .role_session_name =
          hop_.role_session_name.value_or(default_role_session_name(context_.clock->now())),
      .duration_seconds = hop_.duration_seconds,
      .external_id = hop_.external_id,
      .serial_number = hop_.mfa_serial,
      .token_code = std::nullopt};
  if (hop_.mfa_serial) {
    if (!mfa_token_) {
      throw CredentialsError(ErrorKind::InvalidConfiguration, name(),
                             "profile `" + hop_.profile + "` sets mfa_serial = " +
                                 *hop_.mfa_serial +
                                 " but the application gave no MFA token callback "
                                 "(StsProviderOptions::mfa_token)");
    }
    try {
      params.token_code = mfa_token_(*hop_.mfa_serial);
    } catch (const std::exception& e) {
      throw CredentialsError(ErrorKind::ProviderFailure, name(),
                             "the MFA token callback for " + *hop_.mfa_serial +
                                 " failed: " + e.what());
    }
  }
  const FormFields fields = assume_role_fields(params);

  auto fetch = [&] {
    CredentialsPtr source = source_->get();
    return sts_->call_for_credentials(fields, source.get(), name());
  };
  StsCredentialsResult result;
  try {
    result = fetch();
  } catch (const StsServiceError& e) {
    if (!e.expired_token() || !invalidate_source_) throw;
    // The source's session token expired under us: drop it and try once with fresh ones.
    invalidate_source_();
    result = fetch();
  }
  return make_credentials({.access_key_id = std::move(result.access_key_id),
                           .secret_access_key = std::move(result.secret_access_key),
                           .session_token = std::move(result.session_token),
                           .expiration = result.expiration,
                           .provider_name = name(),
                           .account_id = std::move(result.account_id)});
}

}  // namespace awsauth::providers
