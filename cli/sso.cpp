// awsauth sso login [--profile NAME] [--sso-session NAME]
//
// Signs in to IAM Identity Center with the device authorization grant and caches the token
// where the AWS CLI keeps it (~/.aws/sso/cache), so `aws`, botocore and awsauth all use it.
// Nothing is opened automatically: the page and the code are printed. Exit codes: 0 signed in,
// 1 failure (a missing setting, a denied or expired sign-in, a service error), 2 usage.

#include <ctime>
#include <iostream>
#include <optional>
#include <string>

#include "args.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/profile/resolved_profile.hpp"
#include "awsauth/providers/sso/sso_device_login.hpp"
#include "awsauth/providers/sso/sso_oidc_client.hpp"
#include "awsauth/providers/sso/sso_token_cache.hpp"
#include "commands.hpp"
#include "quoting.hpp"

namespace awsauth::cli {
namespace {

struct SsoLoginOptions {
  std::optional<std::string> profile;
  std::optional<std::string> session;
};

SsoLoginOptions read_sso_options(const ParsedArgs& parsed) {
  const auto& positionals = parsed.positionals();
  if (positionals.empty()) throw UsageError("missing sso command (the one command is 'login')");
  if (positionals.front() != "login") {
    throw UsageError("unknown sso command '" + printable(positionals.front()) +
                     "' (the one command is 'login')");
  }
  if (positionals.size() > 1) {
    throw UsageError("unexpected argument '" + printable(positionals[1]) + "'");
  }
  SsoLoginOptions options;
  for (const char* name : {"profile", "sso-session"}) {
    if (const auto value = parsed.value(name)) {
      if (value->empty()) {
        throw UsageError(std::string("option '--") + name + "' needs a non-empty name");
      }
      (std::string_view(name) == "profile" ? options.profile : options.session) = *value;
    }
  }
  return options;
}

std::string clock_time(TimePoint t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%H:%M:%S UTC", &utc);
  return text;
}

void print_prompt(const std::string& start_url, const providers::DeviceAuthorizationPrompt& p) {
  // Everything here came from the service: printable() keeps terminal escapes out.
  std::cout << "To sign in to " << printable(start_url) << ", open this page in a browser:\n\n  "
            << printable(p.verification_uri) << "\n\nand enter the code " << printable(p.user_code)
            << ", or open the page with the code filled in:\n\n  "
            << printable(p.verification_uri_complete) << "\n\nWaiting for approval (until "
            << clock_time(p.expires_at) << ")...\n";
  std::cout.flush();
}

int sso_login(const SsoLoginOptions& options) {
  const Context context = Context::system();
  providers::ProfileResolver resolver(context, options.profile);
  const auto resolved = resolver.get();
  const std::string& profile_name = resolved->selection.name;
  if (!options.session && resolved->profile() == nullptr) {
    throw CredentialsError::invalid_configuration(
        "sso", "profile '" + profile_name + "' is not in " + resolved->files->config_path +
                   "; run `aws configure sso` to set it up, or name an sso-session with "
                   "--sso-session");
  }
  const auto config = providers::sso_login_config(resolved->files->merged, resolved->profile(),
                                                  profile_name, options.session);
  const providers::SsoOidcClient oidc(
      context, providers::sso_service_client_settings(
                   *context.environment, resolved->files->merged, resolved->profile(),
                   providers::AwsService::SsoOidc, config.region));
  const std::string directory = providers::default_sso_cache_directory(*context.environment);
  providers::SsoDeviceLoginOptions login;
  login.on_pending = [&config](const providers::DeviceAuthorizationPrompt& p) {
    print_prompt(config.start_url, p);
  };
  const auto result = providers::sso_device_login(context, oidc, directory, config, login);
  std::cout << "Signed in to " << printable(config.start_url) << "; the token is valid until "
            << format_iso8601(result.expires_at) << " and is cached in " << result.token_path
            << "\n";
  std::cout.flush();
  return std::cout.good() ? 0 : 1;
}

}  // namespace

const CommandSpec& sso_spec() {
  static const CommandSpec kSpec{
      .name = "sso",
      .summary = "sign in to IAM Identity Center (SSO) and cache the token as the AWS CLI does",
      .synopsis = "login [--profile NAME] [--sso-session NAME]",
      .description =
          "Signs in to IAM Identity Center with the device authorization grant, for the "
          "sso-session of the profile (or its legacy sso_start_url and sso_region), and "
          "writes the client registration and the token to ~/.aws/sso/cache in the AWS CLI's "
          "format, so `aws`, botocore and awsauth each use what the others wrote. Nothing is "
          "opened automatically: the page to visit and the code to enter are printed.",
      .options = {{.name = "profile",
                   .value_name = "NAME",
                   .meaning = "the profile whose sso_session (or sso_start_url and sso_region) "
                              "to sign in for",
                   .default_text = "AWS_DEFAULT_PROFILE, else AWS_PROFILE, else 'default'"},
                  {.name = "sso-session",
                   .value_name = "NAME",
                   .meaning = "sign in for this [sso-session NAME] instead of the profile's"}},
      .environment =
          {{"AWS_DEFAULT_PROFILE, AWS_PROFILE", "the profile when --profile is not given"},
           {"AWS_CONFIG_FILE", "the config file (default: ~/.aws/config)"},
           {"AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, "
            "AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT",
            "where the SSO-OIDC calls go (docs/endpoints.md)"},
           {"AWS_CA_BUNDLE, HTTPS_PROXY, HTTP_PROXY, NO_PROXY", "TLS trust and proxy"}},
      .exit_codes = {{0, "signed in; the token is cached"},
                     {1,
                      "a missing or wrong SSO setting, a sign-in that was denied or expired, or "
                      "a service error"},
                     {2, "usage error"}},
      .examples = {"awsauth sso login --profile dev",
                   "awsauth sso login --sso-session my-sso && awsauth creds --profile dev"},
  };
  return kSpec;
}

int run_sso(const Args& args) {
  std::optional<SsoLoginOptions> options;
  const int parse_exit = run_command(sso_spec(), args, [&](const ParsedArgs& parsed) {
    options = read_sso_options(parsed);
    return 0;
  });
  if (!options) return parse_exit;
  try {
    return sso_login(*options);
  } catch (const CredentialsError& e) {
    std::cerr << "awsauth sso: " << message_line(e.reason()) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "awsauth sso: " << printable(e.what()) << "\n";
    return 1;
  }
}

}  // namespace awsauth::cli
