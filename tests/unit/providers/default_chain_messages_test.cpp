// The default chain's messages, word for word (issue 14): each names the source in the user's
// words, says what was wrong and what to do, and none carries a secret key or session token.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "awsauth/caching.hpp"
#include "awsauth/clock.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/static_provider.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kToken = "SESSIONTOKENxyz123";

class DefaultChainMessages : public ::testing::Test {
 protected:
  test::TestContext t;
  std::shared_ptr<ManualClock> clock =
      std::make_shared<ManualClock>(*parse_iso8601("2026-01-01T00:00:00Z"));

  Context context() const {
    Context c = t.context();
    c.clock = clock;
    return c;
  }
  // The error the cached default chain raises (what `awsauth creds` and `curl` print).
  CredentialsError error(std::optional<std::string> profile = std::nullopt) {
    try {
      (void)make_default_credentials_provider(context(), {.profile = std::move(profile)})->get();
    } catch (const CredentialsError& e) {
      EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find(kToken), std::string::npos) << e.what();
      return e;
    }
    ADD_FAILURE() << "expected an error";
    return CredentialsError(ErrorKind::NotConfigured, "", "");
  }
  // The reason the chain's failure list gives for `provider` (a CredentialsError returned by
  // value would lose the list: it is caught as a NoCredentialsError here).
  std::string reason_of(const std::string& provider,
                        std::optional<std::string> profile = std::nullopt) {
    try {
      (void)make_default_credentials_provider(context(), {.profile = std::move(profile)})->get();
    } catch (const NoCredentialsError& e) {
      EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find(kToken), std::string::npos) << e.what();
      for (const auto& a : e.attempts()) {
        if (a.provider == provider) return a.reason;
      }
      return "no attempt by " + provider;
    }
    return "not a NoCredentialsError";
  }
  void env_keys(const std::string& expiration) {
    t.env->set("AWS_ACCESS_KEY_ID", "AKIDENV");
    t.env->set("AWS_SECRET_ACCESS_KEY", kSecret);
    t.env->set("AWS_SESSION_TOKEN", kToken);
    t.env->set("AWS_CREDENTIAL_EXPIRATION", expiration);
  }
};

TEST_F(DefaultChainMessages, ExpiredEnvironmentCredentialsNameTheVariableAndTheTime) {
  env_keys("2025-06-01T12:00:00+0000");
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
  EXPECT_EQ(e.provider(), "env");  // the provider that returned them, not the chain
  EXPECT_EQ(e.reason(),
            "the credentials from environment variables expired at 2025-06-01T12:00:00Z "
            "(AWS_CREDENTIAL_EXPIRATION; it is now 2026-01-01T00:00:00Z): export fresh "
            "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and "
            "AWS_CREDENTIAL_EXPIRATION, or unset them to use the next source");
}

TEST_F(DefaultChainMessages, ExpiredCredentialsOfAnyProviderNameItAndTheExpiry) {
  const auto expired = make_credentials({.access_key_id = "AKIDPROC",
                                         .secret_access_key = SecretString(kSecret),
                                         .session_token = SecretString(kToken),
                                         .expiration = *parse_iso8601("2025-12-31T23:00:00Z"),
                                         .provider_name = "custom-process"});
  CachingProvider cache(std::make_shared<StaticCredentialsProvider>(expired, "my-chain"),
                        RefreshPolicy{}, clock, context().random);
  try {
    (void)cache.get();
    FAIL() << "expired credentials were served";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.provider(), "custom-process");
    EXPECT_EQ(e.reason(),
              "the credentials from credential_process expired at 2025-12-31T23:00:00Z (it is "
              "now 2026-01-01T00:00:00Z), before they could be used: check that the source "
              "hands out fresh credentials and that this machine's clock is right");
    EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find(kToken), std::string::npos);
  }
}

TEST_F(DefaultChainMessages, EnvironmentExpirationWithoutOffsetSaysSo) {
  env_keys("2030-01-01T00:00:00");
  EXPECT_EQ(reason_of("env"),
            "environment variable AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00' has no UTC "
            "offset; add one, e.g. 2030-01-01T00:00:00Z (or +HH:MM, +HHMM, +HH)");
}

TEST_F(DefaultChainMessages, WebIdentityLineIsNegatedForAnExplicitProfile) {
  t.config("[profile dev]\nregion = us-east-1\n");
  EXPECT_EQ(reason_of("assume-role-with-web-identity", "dev"),
            "web_identity_token_file is not set in profile `dev` (AWS_WEB_IDENTITY_TOKEN_FILE "
            "is ignored for an explicitly named profile)");
  EXPECT_EQ(reason_of("assume-role-with-web-identity"),
            "neither AWS_WEB_IDENTITY_TOKEN_FILE nor web_identity_token_file in profile "
            "`default` is set");
}

TEST_F(DefaultChainMessages, ProfilePrefixInTheCredentialsFileIsExplained) {
  t.credentials("# keys\n[profile src]\naws_access_key_id = AKIDSRC\naws_secret_access_key = " +
                std::string(kSecret) + "\n");
  const auto e = error("src");
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_EQ(e.reason(),
            "profile 'src' (named explicitly) is not in /home/test/.aws/config or "
            "/home/test/.aws/credentials; /home/test/.aws/credentials line 2 has [profile src], "
            "which the credentials file ignores: write it as [src] there (the `profile ` prefix "
            "is only for the config file)");
}

TEST_F(DefaultChainMessages, ProfilePrefixForTheDefaultProfileIsExplainedInTheList) {
  t.credentials("[profile default]\naws_access_key_id = AKIDSRC\n");
  EXPECT_EQ(reason_of("shared-credentials-file"),
            "no profile 'default' in /home/test/.aws/credentials; /home/test/.aws/credentials "
            "line 1 has [profile default], which the credentials file ignores: write it as "
            "[default] there (the `profile ` prefix is only for the config file)");
}

TEST_F(DefaultChainMessages, EveryProviderPassedOverSaysNoCredentialsFound) {
  const auto e = error();
  EXPECT_EQ(std::string(e.reason())
                .rfind("no credentials found; tried:\n  environment variables (env): ", 0),
            0U)
      << e.reason();
}

TEST_F(DefaultChainMessages, AProviderThatFailedSaysCredentialsCouldNotBeResolved) {
  t.env->set("AWS_ACCESS_KEY_ID", "AKIDENV");  // no secret: a broken environment stops the chain
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_EQ(
      std::string(e.reason())
          .rfind("credentials could not be resolved; tried:\n  environment variables (env): ", 0),
      0U)
      << e.reason();
}

TEST(ProviderWords, BuiltInNamesReadAsTheUserConfiguredThem) {
  EXPECT_EQ(describe_provider("env"), "environment variables");
  EXPECT_EQ(describe_provider("iam-role"), "EC2 instance metadata");
  EXPECT_EQ(describe_provider("container-role"), "the container credentials endpoint");
  EXPECT_EQ(describe_provider("custom-process"), "credential_process");
  EXPECT_EQ(describe_provider("mine"), "provider 'mine'");
  EXPECT_EQ(provider_label("env"), "environment variables (env)");
  EXPECT_EQ(provider_label("mine"), "mine");
}

}  // namespace
}  // namespace awsauth::providers
