#pragma once
/// @file web_identity.hpp
/// STS AssumeRoleWithWebIdentity (EKS IRSA, GitHub OIDC): an unsigned call with a token read
/// from a file.

#include <memory>
#include <optional>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/sts/sts_client.hpp"

namespace awsauth::providers {

struct AWSAUTH_API WebIdentityConfig {
  std::string role_arn;
  std::string token_file;
  std::optional<std::string> role_session_name;  ///< generated when absent
};

/// Reads the token file on every fetch (the platform rotates it) and calls
/// AssumeRoleWithWebIdentity without signing. A missing or empty token file is a
/// ProviderFailure naming the file; STS's InvalidIdentityToken / IDPRejectedClaim are
/// NonRecoverable with STS's message.
class AWSAUTH_API WebIdentityProvider final : public CredentialsProvider {
 public:
  WebIdentityProvider(Context context, std::shared_ptr<const StsClient> sts,
                      WebIdentityConfig config);
  [[nodiscard]] CredentialsPtr get() override;
  [[nodiscard]] std::string name() const override;

 private:
  Context context_;
  std::shared_ptr<const StsClient> sts_;
  WebIdentityConfig config_;
};

/// The web identity settings botocore reads, each from the environment first, then the
/// profile: `AWS_ROLE_ARN` / `role_arn`, `AWS_WEB_IDENTITY_TOKEN_FILE` /
/// `web_identity_token_file`, `AWS_ROLE_SESSION_NAME` / `role_session_name`.
/// nullopt when no token file is configured (NotConfigured for a chain); throws
/// CredentialsError(InvalidConfiguration) when a token file is set without a role ARN.
/// `read_environment` false: only the profile counts (botocore's `disable_env_vars`, used when
/// the profile was named explicitly and for source profiles).
[[nodiscard]] AWSAUTH_API std::optional<WebIdentityConfig> web_identity_config(
    const Environment& env, const Profile* profile, bool read_environment = true);

}  // namespace awsauth::providers
