#pragma once
/// @file provider.hpp
/// The one interface every credentials source implements, built-in or a user's own.

#include <string>
#include <string_view>

#include "awsauth/credentials.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/export.hpp"

namespace awsauth {

/// A source of credentials. Implement it to plug your own source (a vault, a broker) in next to
/// the built-in ones; wrap it in a ChainProvider or a CachingProvider like any other.
///
/// `get()` fetches (or, for decorators, returns cached) credentials, or throws
/// `CredentialsError` whose kind tells a chain whether to try the next provider
/// (`ErrorKind::NotConfigured`) or stop. Implementations must be safe to call from several
/// threads; a plain source may assume a CachingProvider in front of it serializes refreshes.
class AWSAUTH_API CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;

  /// Returns credentials or throws CredentialsError. Never returns null.
  [[nodiscard]] virtual CredentialsPtr get() = 0;

  /// A short stable name used in error reports and `Credentials::provider_name()`.
  [[nodiscard]] virtual std::string name() const = 0;
};

/// The names of the built-in providers. They match botocore's credential "method" names, so a
/// differential test can compare the source as well as the keys.
namespace provider_names {
inline constexpr std::string_view environment = "env";
inline constexpr std::string_view shared_credentials_file = "shared-credentials-file";
inline constexpr std::string_view credential_process = "custom-process";
inline constexpr std::string_view config_file = "config-file";
inline constexpr std::string_view container = "container-role";
inline constexpr std::string_view instance_metadata = "iam-role";
inline constexpr std::string_view assume_role = "assume-role";
inline constexpr std::string_view web_identity = "assume-role-with-web-identity";
inline constexpr std::string_view static_keys = "static";
inline constexpr std::string_view sso = "sso";  ///< IAM Identity Center (botocore SSOProvider)
/// `aws login` console sign-in sessions (`login_session` profiles).
inline constexpr std::string_view login = "login";
}  // namespace provider_names

/// A built-in provider's name in a user's words, for messages: "environment variables" for
/// `env`, "EC2 instance metadata" for `iam-role`, ...; another name as `provider 'NAME'`.
[[nodiscard]] AWSAUTH_API std::string describe_provider(std::string_view name);

/// How a list of providers tried names one: the user's words, then the name
/// (`environment variables (env)`); a name without words (a user's provider) as it is.
[[nodiscard]] AWSAUTH_API std::string provider_label(std::string_view name);

}  // namespace awsauth
