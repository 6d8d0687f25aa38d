// The device authorization sign-in against the fake IAM Identity Center on loopback, with an
// injected clock and sleep: the files it leaves, when it registers, how it polls (interval,
// slow_down, authorization_pending), when it gives up, and how it reads the profile.

#include "awsauth/providers/sso/sso_device_login.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "awsauth/errors.hpp"
#include "awsauth/providers/profile/profile_parser.hpp"
#include "awsauth/providers/sso/json_cache_file.hpp"
#include "awsauth/providers/sso/sso_token_cache.hpp"
#include "fake_sso.hpp"
#include "loopback_server.hpp"
#include "temp_dir.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'900'000'000));  // 2030-03-17

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Fixture {
  test::FakeSso sso;
  test::LoopbackServer server{sso.handler()};
  test::TempDir dir;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kNow);
  std::vector<std::chrono::seconds> sleeps;
  Context context = [this] {
    Context c = test::loopback_context(std::make_shared<MapEnvironment>(),
                                       std::make_shared<RealFileSystem>());
    c.clock = clock;
    return c;
  }();
  SsoOidcClient oidc{context, [this] {
                       SsoServiceClientSettings s;
                       s.endpoint = server.url("");
                       while (!s.endpoint.empty() && s.endpoint.back() == '/')
                         s.endpoint.pop_back();
                       s.max_attempts = 1;
                       return s;
                     }()};
  int prompts = 0;

  SsoDeviceLoginOptions options() {
    SsoDeviceLoginOptions o;
    o.on_pending = [this](const DeviceAuthorizationPrompt& p) {
      ++prompts;
      EXPECT_EQ(p.user_code, "ABCD-EFGH");
      EXPECT_EQ(p.verification_uri, "https://device.sso.example/");
    };
    o.sleep = [this](std::chrono::seconds s) {
      sleeps.push_back(s);
      clock->advance(s);
    };
    return o;
  }
  std::vector<test::RecordedRequest> requests_to(const std::string& path) const {
    std::vector<test::RecordedRequest> out;
    for (const auto& r : server.requests()) {
      if (r.path == path) out.push_back(r);
    }
    return out;
  }
};

SsoLoginConfig session_config() {
  return {.start_url = "https://d-123.awsapps.com/start",
          .region = "us-east-1",
          .session_name = "my-sso",
          .registration_scopes = std::vector<std::string>{"sso:account:access"}};
}

TEST(SsoDeviceLogin, WritesTheTokenAndTheRegistrationAsTheAwsCliDoes) {
  Fixture f;
  f.sso.pending_polls = 2;
  const auto result =
      sso_device_login(f.context, f.oidc, f.dir.path(), session_config(), f.options());

  EXPECT_TRUE(result.registered);
  EXPECT_EQ(result.token_path, f.dir.path() + "/" + sso_token_cache_key("", "my-sso") + ".json");
  const auto token = JsonCacheDocument::parse(slurp(result.token_path));
  EXPECT_EQ(token.keys(),
            (std::vector<std::string>{"startUrl", "region", "accessToken", "expiresAt", "clientId",
                                      "clientSecret", "registrationExpiresAt", "refreshToken"}));
  EXPECT_EQ(token.string("startUrl"), "https://d-123.awsapps.com/start");
  EXPECT_EQ(token.string("accessToken"), f.sso.next_access_token);
  EXPECT_EQ(token.string("expiresAt"), format_iso8601(kNow + std::chrono::seconds(2 * 1) +
                                                      std::chrono::seconds(f.sso.expires_in)));
  EXPECT_EQ(token.string("clientId"), f.sso.client_id);
  EXPECT_EQ(token.string("registrationExpiresAt"), "2030-12-31T23:59:59Z");
  EXPECT_TRUE(token.string("refreshToken").has_value());

  const auto registration = JsonCacheDocument::parse(slurp(result.registration_path));
  EXPECT_EQ(registration.keys(),
            (std::vector<std::string>{"clientId", "clientSecret", "expiresAt", "scopes"}));
  EXPECT_EQ(registration.raw("scopes"), "[\"sso:account:access\"]");
  struct stat st {};
  ASSERT_EQ(::stat(result.token_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  const auto registers = f.requests_to("/client/register");
  ASSERT_EQ(registers.size(), 1U);
  const auto sent = JsonCacheDocument::parse(registers[0].body);
  EXPECT_EQ(sent.string("clientName"), "botocore-client-my-sso");
  EXPECT_EQ(sent.string("clientType"), "public");
  EXPECT_EQ(sent.raw("scopes"), "[\"sso:account:access\"]");
  const auto starts = f.requests_to("/device_authorization");
  ASSERT_EQ(starts.size(), 1U);
  EXPECT_EQ(JsonCacheDocument::parse(starts[0].body).string("startUrl"),
            "https://d-123.awsapps.com/start");
  // One attempt before the prompt, then one per interval (the fake sends 1 s).
  EXPECT_EQ(f.requests_to("/token").size(), 3U);
  EXPECT_EQ(f.sleeps,
            (std::vector<std::chrono::seconds>{std::chrono::seconds(1), std::chrono::seconds(1)}));
  EXPECT_EQ(f.prompts, 1);
}

TEST(SsoDeviceLogin, APreAuthorizedClientIsNeverPrompted) {
  Fixture f;
  (void)sso_device_login(f.context, f.oidc, f.dir.path(), session_config(), f.options());
  EXPECT_EQ(f.prompts, 0);
  EXPECT_TRUE(f.sleeps.empty());
}

TEST(SsoDeviceLogin, ACachedRegistrationIsReusedUntilFifteenMinutesBeforeItExpires) {
  Fixture f;
  const auto first =
      sso_device_login(f.context, f.oidc, f.dir.path(), session_config(), f.options());
  const auto second =
      sso_device_login(f.context, f.oidc, f.dir.path(), session_config(), f.options());
  EXPECT_TRUE(first.registered);
  EXPECT_FALSE(second.registered);
  EXPECT_EQ(f.requests_to("/client/register").size(), 1U);

  // 14 minutes before the registration expires: registered again.
  f.clock->set(TimePoint(std::chrono::seconds(1924991999)) - std::chrono::minutes(14));
  const auto third =
      sso_device_login(f.context, f.oidc, f.dir.path(), session_config(), f.options());
  EXPECT_TRUE(third.registered);
  EXPECT_EQ(f.requests_to("/client/register").size(), 2U);
}

TEST(SsoDeviceLogin, SlowDownAddsFiveSecondsToTheInterval) {
  Fixture f;
  int polls = 0;
  f.sso.fault = [&polls](const test::RecordedRequest& r) -> std::optional<test::ScriptedResponse> {
    if (r.path == "/token" && polls++ < 2) {
      return test::sso_oidc_error(400, "SlowDownException", "slow_down",
                                  "Client is polling too fast");
    }
    return std::nullopt;
  };
  (void)sso_device_login(f.context, f.oidc, f.dir.path(), session_config(), f.options());
  EXPECT_EQ(f.sleeps,
            (std::vector<std::chrono::seconds>{std::chrono::seconds(6), std::chrono::seconds(11)}));
}

TEST(SsoDeviceLogin, AnAuthorizationNobodyApprovesEndsAtItsExpiryNotNever) {
  Fixture f;
  f.sso.pending_polls = 1'000'000;
  try {
    (void)sso_device_login(f.context, f.oidc, f.dir.path(), session_config(), f.options());
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NonRecoverable);
    EXPECT_THAT(e.what(), HasSubstr("was not approved within 600 s"));
  }
  // 600 s at 1 s per poll: the loop stopped at the deadline.
  EXPECT_LE(f.sleeps.size(), 600U);
  EXPECT_GE(f.sleeps.size(), 599U);
  EXPECT_FALSE(
      std::filesystem::exists(f.dir.path() + "/" + sso_token_cache_key("", "my-sso") + ".json"));
}

TEST(SsoDeviceLogin, AnExpiredOrDeniedAuthorizationSaysToSignInAgainWithoutSecrets) {
  Fixture f;
  f.sso.fault = [](const test::RecordedRequest& r) -> std::optional<test::ScriptedResponse> {
    if (r.path == "/token") {
      return test::sso_oidc_error(400, "ExpiredTokenException", "expired_token",
                                  "device-code-1 expired");
    }
    return std::nullopt;
  };
  try {
    (void)sso_device_login(f.context, f.oidc, f.dir.path(), session_config(), f.options());
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("expired before it was approved"));
    EXPECT_THAT(e.what(), Not(HasSubstr("device-code-1")));
    EXPECT_THAT(e.what(), Not(HasSubstr(f.sso.client_secret)));
  }
}

TEST(SsoDeviceLogin, ALegacyProfileRegistersWithTheTimeAndNoScopes) {
  Fixture f;
  const SsoLoginConfig legacy{.start_url = "https://d-123.awsapps.com/start",
                              .region = "eu-west-1"};
  const auto result = sso_device_login(f.context, f.oidc, f.dir.path(), legacy, f.options());
  EXPECT_EQ(result.token_path,
            f.dir.path() + "/" +
                sso_token_cache_key("https://d-123.awsapps.com/start", std::nullopt) + ".json");
  const auto registers = f.requests_to("/client/register");
  ASSERT_EQ(registers.size(), 1U);
  EXPECT_EQ(JsonCacheDocument::parse(registers[0].body).string("clientName"),
            "botocore-client-1900000000");
  EXPECT_THAT(registers[0].body, Not(HasSubstr("scopes")));
  EXPECT_FALSE(JsonCacheDocument::parse(slurp(result.registration_path)).has("scopes"));
}

ProfileSet config(const std::string& text) {
  return parse_profile_file(text, "/home/u/.aws/config", ProfileFileKind::Config);
}

TEST(SsoLoginConfig, ReadsTheSessionOfTheProfileOrTheOneNamed) {
  const auto set = config(
      "[profile dev]\nsso_session = corp\n"
      "[sso-session corp]\nsso_start_url = https://corp/start\nsso_region = us-east-2\n"
      "sso_registration_scopes = sso:account:access, ,extra \n"
      "[sso-session other]\nsso_start_url = https://other/start\nsso_region = eu-west-1\n");
  const auto c = sso_login_config(set, set.find("dev"), "dev", std::nullopt);
  EXPECT_EQ(c.start_url, "https://corp/start");
  EXPECT_EQ(c.region, "us-east-2");
  EXPECT_EQ(c.session_name, "corp");
  EXPECT_EQ(c.registration_scopes, (std::vector<std::string>{"sso:account:access", "extra"}));
  const auto o = sso_login_config(set, nullptr, "default", std::string("other"));
  EXPECT_EQ(o.start_url, "https://other/start");
  EXPECT_EQ(o.registration_scopes, std::nullopt);
}

TEST(SsoLoginConfig, MissingPiecesAreNamed) {
  const auto set = config(
      "[profile legacy]\nsso_start_url = https://x/start\n"
      "[profile broken]\nsso_session = nope\n");
  const auto message = [&](const char* profile) {
    try {
      (void)sso_login_config(set, set.find(profile), profile, std::nullopt);
    } catch (const CredentialsError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_THAT(message("legacy"), HasSubstr("missing the SSO settings sso_region"));
  EXPECT_THAT(message("broken"), HasSubstr("sso-session `nope` named by profile `broken` "
                                           "(/home/u/.aws/config:4) does not exist"));
  EXPECT_THAT(message("absent"), HasSubstr("profile `absent` was not found"));
}

TEST(SsoRegistrationCacheKey, IsTheSha1OfTheAwsCliArgumentsInSortedJson) {
  // hashlib.sha1(json.dumps({"tool": "botocore", "startUrl": ..., "region": ..., "scopes": ...,
  // "session_name": ...}, sort_keys=True).encode()).hexdigest(), computed with Python.
  EXPECT_EQ(sso_registration_cache_key(session_config()),
            "41703fba9789c2c8f9b7faa73b70bebb72c62cc9");
  // Legacy (null scopes and session), and json.dumps' \u escape of non-ASCII text.
  EXPECT_EQ(
      sso_registration_cache_key({.start_url = "https://d-\xC3\xA9/start", .region = "eu-west-1"}),
      "abef4b7c0784658826b577dd1b43a8c8030edf11");
}

}  // namespace
}  // namespace awsauth::providers
