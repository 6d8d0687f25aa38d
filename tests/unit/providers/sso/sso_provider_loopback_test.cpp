// IAM Identity Center credentials end to end with the real Poco client: profiles written as
// `aws configure sso` writes them in a temporary HOME, the token cache on disk, the fake portal
// and SSO-OIDC on 127.0.0.1 reached through AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC.
// The default chain, a refresh written back, single flight across threads, the portal's
// faults (401, 5xx, slow), and an SSO profile as a role chain's source at moto_server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>

#include "awsauth/caching.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/sso/sso_provider.hpp"
#include "expect_credentials_error.hpp"
#include "fake_sso.hpp"
#include "fault_checks.hpp"
#include "loopback_server.hpp"
#include "moto_server.hpp"
#include "temp_dir.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using test::FakeSso;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kStartUrl = "https://d-1234567890.awsapps.com/start";

// What `aws configure sso` writes: a session profile, and a legacy one.
constexpr const char* kConfig =
    "[profile dev]\n"
    "sso_session = corp\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = Developer\n"
    "region = us-west-2\n"
    "\n"
    "[sso-session corp]\n"
    "sso_start_url = https://d-1234567890.awsapps.com/start\n"
    "sso_region = us-east-1\n"
    "sso_registration_scopes = sso:account:access\n"
    "\n"
    "[profile legacy]\n"
    "sso_start_url = https://d-1234567890.awsapps.com/start\n"
    "sso_region = us-east-1\n"
    "sso_account_id = 444455556666\n"
    "sso_role_name = ReadOnly\n";

std::string iso_in(std::chrono::seconds from_now) {
  return format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(
      std::chrono::system_clock::now() + from_now));
}

class SsoProviderTest : public ::testing::Test {
 protected:
  test::TempDir home;
  FakeSso sso;
  LoopbackServer server{sso.handler()};
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();

  void SetUp() override {
    env->set("HOME", home.path());
    env->set("AWS_EC2_METADATA_DISABLED", "true");
    env->set("AWS_ENDPOINT_URL_SSO", server.url(""));
    env->set("AWS_ENDPOINT_URL_SSO_OIDC", server.url(""));
    test::write_file_creating_dirs(home.path() + "/.aws/config", kConfig);
  }

  Context context() { return test::loopback_context(env, std::make_shared<RealFileSystem>()); }

  std::string cache_dir() { return home.path() + "/.aws/sso/cache"; }
  std::string session_token_path() {
    return cache_dir() + "/" + sso_token_cache_key("", std::string("corp")) + ".json";
  }
  // A token file as `aws sso login` writes it for the session.
  void session_token(const std::string& access_token, std::chrono::seconds left) {
    test::write_file_creating_dirs(
        session_token_path(),
        std::string(R"({"startUrl": ")") + kStartUrl + R"(", "region": "us-east-1", )" +
            R"("accessToken": ")" + access_token + R"(", "expiresAt": ")" + iso_in(left) +
            R"(", "clientId": "client-id-1", "clientSecret": "client-secret-1", )" +
            R"("registrationExpiresAt": ")" + iso_in(90 * 24h) +
            R"(", "refreshToken": "refresh-1"})");
  }

  CredentialsPtr chain_get(const std::string& profile) {
    return DefaultChain(context(), {.profile = profile}).get();
  }
  CredentialsError chain_error(const std::string& profile) {
    try {
      (void)chain_get(profile);
    } catch (const CredentialsError& e) {
      return e;
    }
    ADD_FAILURE() << "the chain succeeded";
    return CredentialsError(ErrorKind::NotConfigured, "", "");
  }
};

TEST_F(SsoProviderTest, ASessionProfileGetsTheRoleCredentialsWithTheCachedToken) {
  session_token("cached-access", 8h);
  sso.accept_access_token("cached-access");
  const auto credentials = chain_get("dev");
  EXPECT_EQ(credentials->provider_name(), "sso");
  EXPECT_EQ(credentials->access_key_id(), "ASIA111122223333");
  EXPECT_EQ(credentials->secret_access_key().reveal(), "secret-Developer");
  EXPECT_EQ(credentials->session_token().reveal(), "session-1");
  EXPECT_EQ(credentials->account_id(), "111122223333");
  ASSERT_TRUE(credentials->expiration());
  EXPECT_EQ(format_iso8601(*credentials->expiration()), "2030-12-31T23:59:59Z");

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, "/federation/credentials");
  EXPECT_EQ(test::query_parameter(requests[0].query, "account_id"), "111122223333");
  EXPECT_EQ(test::query_parameter(requests[0].query, "role_name"), "Developer");
  ASSERT_NE(requests[0].header("x-amz-sso_bearer_token"), nullptr);
  EXPECT_EQ(*requests[0].header("x-amz-sso_bearer_token"), "cached-access");
  EXPECT_EQ(requests[0].header("Authorization"), nullptr);
}

TEST_F(SsoProviderTest, ALegacyProfileReadsTheTokenKeyedByItsStartUrl) {
  test::write_file_creating_dirs(
      cache_dir() + "/" + sso_token_cache_key(kStartUrl, std::nullopt) + ".json",
      R"({"startUrl": "x", "region": "us-east-1", "accessToken": "legacy-access", )"
      R"("expiresAt": ")" +
          iso_in(1h) + "\"}");
  sso.accept_access_token("legacy-access");
  const auto credentials = chain_get("legacy");
  EXPECT_EQ(credentials->access_key_id(), "ASIA444455556666");
  EXPECT_EQ(credentials->account_id(), "444455556666");
}

TEST_F(SsoProviderTest, ANearExpiryTokenIsRefreshedAtOidcAndWrittenBackBeforeThePortalCall) {
  session_token("old-access", 10min);
  const auto credentials = chain_get("dev");  // the portal accepts only the refreshed token
  EXPECT_EQ(credentials->access_key_id(), "ASIA111122223333");
  EXPECT_EQ(sso.tokens_created.load(), 1);
  const auto doc = JsonCacheDocument::parse(test::slurp(session_token_path()));
  EXPECT_EQ(doc.string("accessToken"), "access-refreshed");
  EXPECT_EQ(doc.string("refreshToken"), "refresh-2");
  EXPECT_EQ(doc.string("clientId"), "client-id-1");
  const auto expires_at = parse_sso_cache_time(*doc.string("expiresAt"));
  ASSERT_TRUE(expires_at);
  EXPECT_NEAR(std::chrono::duration<double>(*expires_at - std::chrono::system_clock::now()).count(),
              28800, 5);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/token");
  EXPECT_EQ(requests[1].path, "/federation/credentials");
}

TEST_F(SsoProviderTest, ManyThreadsAndProvidersOfOneSessionRefreshItOnce) {
  session_token("old-access", 5min);
  constexpr int kThreads = 8;
  std::vector<std::shared_ptr<CredentialsProvider>> providers;
  for (int i = 0; i < kThreads; ++i) {
    // Separate chains (no shared CachingProvider): only the token provider's single flight
    // keeps them from refreshing one by one.
    providers.push_back(
        std::make_shared<DefaultChain>(context(), DefaultChainOptions{.profile = "dev"}));
  }
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      if (providers[i]->get()->access_key_id() == "ASIA111122223333") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads);
  EXPECT_EQ(sso.tokens_created.load(), 1)
      << "the refreshed token was read back, not refreshed again";
  EXPECT_EQ(sso.role_credentials_served.load(), kThreads);
}

TEST_F(SsoProviderTest, ARejectedTokenAsksToSignInAgainWithoutTheToken) {
  session_token("revoked-access", 8h);  // never accepted by the portal
  const auto e = chain_error("dev");
  EXPECT_EQ(e.kind(), ErrorKind::NonRecoverable);
  const std::string message = e.what();
  EXPECT_THAT(message,
              HasSubstr("SSO GetRoleCredentials at " + server.url("/federation/credentials") +
                        " answered HTTP 401: UnauthorizedException"));
  EXPECT_THAT(message, HasSubstr("aws sso login --profile dev"));
  EXPECT_THAT(message, Not(HasSubstr("revoked-access")));
  EXPECT_THAT(message, Not(HasSubstr("account_id="))) << "the URL is named without its query";
}

TEST_F(SsoProviderTest, AnExpiredTokenWithoutARefreshAsksToSignIn) {
  test::write_file_creating_dirs(
      cache_dir() + "/" + sso_token_cache_key(kStartUrl, std::nullopt) + ".json",
      R"({"accessToken": "legacy-access", "expiresAt": ")" + iso_in(-1h) + "\"}");
  const auto e = chain_error("legacy");
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_THAT(e.what(), HasSubstr("aws sso login --profile legacy"));
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(SsoProviderTest, PortalFiveHundredsAreRetriedAndThenNamed) {
  session_token("cached-access", 8h);
  sso.accept_access_token("cached-access");
  std::atomic<int> failures{2};
  sso.fault = [&](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    if (failures-- > 0) return ScriptedResponse{.status = 502, .body = "bad gateway"};
    return std::nullopt;
  };
  env->set("AWS_RETRY_MODE", "standard");
  env->set("AWS_MAX_ATTEMPTS", "3");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(chain_get("dev")->access_key_id(), "ASIA111122223333");
  EXPECT_EQ(server.request_count(), 3u);
  // Backoff with jitter 0.5: 0.5 s, then 1 s.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);

  failures = 100;
  env->set("AWS_MAX_ATTEMPTS", "2");
  const auto e = chain_error("dev");
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
  EXPECT_THAT(e.what(), HasSubstr("answered HTTP 502"));
  EXPECT_THAT(e.what(), HasSubstr("(after 2 attempts)"));
}

TEST_F(SsoProviderTest, ASlowPortalIsCutOffAtTheDeadline) {
  session_token("cached-access", 8h);
  sso.accept_access_token("cached-access");
  sso.fault = [](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    return ScriptedResponse{.never_answer = true};
  };
  const auto files = std::make_shared<ProfileFilesLoader>(context())->get();
  SsoServiceClientSettings portal;
  portal.endpoint = server.url("");
  portal.http.connect_timeout = 300ms;
  portal.http.total_timeout = 300ms;
  portal.max_attempts = 2;
  portal.sleep = [](std::chrono::milliseconds) {};
  auto provider = make_sso_provider(context(), *files, files->merged.find("dev"),
                                    *plan_sso_source(files->merged, "dev"), {.portal = portal});
  const std::string message =
      test::expect_error_within(*provider, ErrorKind::ProviderFailure, 2s, "sso", "cached-access");
  EXPECT_THAT(message,
              HasSubstr("SSO GetRoleCredentials at " + server.url("/federation/credentials")));
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(SsoProviderTest, HostilePortalTextIsShownPrintable) {
  session_token("cached-access", 8h);
  sso.fault = [](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    return ScriptedResponse{.status = 400,
                            .headers = {{"x-amzn-ErrorType", "InvalidRequestException"}},
                            .body = "{\"message\":\"bad cached-access " +
                                    std::string("\\u001b[2J\\u0007\\r\\nX-Injected: yes") + "\"}"};
  };
  const auto files = std::make_shared<ProfileFilesLoader>(context())->get();
  auto provider = make_sso_provider(context(), *files, files->merged.find("dev"),
                                    *plan_sso_source(files->merged, "dev"));
  const std::string message =
      test::expect_error_within(*provider, ErrorKind::NonRecoverable, 2s, "sso", "cached-access");
  test::expect_printable_message(message);
  EXPECT_THAT(message, HasSubstr("bad <redacted> \\x1b[2J"));
}

// --- an SSO profile as the source of a role chain, at moto_server ---

TEST(SsoRoleChainAgainstMoto, AnSsoSourceProfileSignsTheAssumeRoleCall) {
  test::MotoServer moto;
  const test::MotoUser user = moto.create_user("sso-user");
  const std::string role = moto.create_role("sso-chain-role");
  // What IAM Identity Center hands out are a permission set role's credentials.
  const std::string permission_set = moto.create_role("AWSReservedSSO_Developer");
  moto.require_signatures(true);

  FakeSso sso;
  LoopbackServer server{sso.handler()};
  // The portal hands out temporary credentials of a moto user (as the real portal hands out a
  // role's), so moto can check the AssumeRole signature and the session token.
  const std::string session = moto.python(
      "import boto3\n"
      "s = boto3.client('sts', endpoint_url='" +
      moto.url() +
      "', region_name='us-east-1',\n"
      "  aws_access_key_id='" +
      user.access_key_id +
      "',\n"
      "  aws_secret_access_key='" +
      user.secret_access_key +
      "')\n"
      "c = s.assume_role(RoleArn='" +
      permission_set +
      "', RoleSessionName='sso')['Credentials']\n"
      "print(c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken'])\n");
  std::istringstream fields(session);
  fields >> sso.access_key_id >> sso.secret_access_key >> sso.session_token;
  ASSERT_FALSE(sso.session_token.empty()) << session;
  sso.accept_access_token("cached-access");

  test::TempDir home;
  test::write_file_creating_dirs(home.path() + "/.aws/config", std::string(kConfig) +
                                                                   "\n[profile app]\n"
                                                                   "role_arn = " +
                                                                   role +
                                                                   "\n"
                                                                   "source_profile = dev\n"
                                                                   "role_session_name = from-sso\n"
                                                                   "region = us-east-1\n");
  test::write_file_creating_dirs(
      home.path() + "/.aws/sso/cache/" + sso_token_cache_key("", std::string("corp")) + ".json",
      R"({"accessToken": "cached-access", "expiresAt": ")" + iso_in(8h) + "\"}");
  auto env = std::make_shared<MapEnvironment>();
  env->set("HOME", home.path());
  env->set("AWS_EC2_METADATA_DISABLED", "true");
  env->set("AWS_ENDPOINT_URL_SSO", server.url(""));
  env->set("AWS_ENDPOINT_URL_STS", moto.url());

  const auto credentials =
      DefaultChain(test::loopback_context(env, std::make_shared<RealFileSystem>()),
                   {.profile = "app"})
          .get();
  EXPECT_EQ(credentials->provider_name(), "assume-role");
  EXPECT_NE(credentials->access_key_id(), sso.access_key_id);
  EXPECT_TRUE(credentials->has_session_token());
  EXPECT_EQ(sso.role_credentials_served.load(), 1);
  // moto saw the assumed role's session name: the call was made and accepted.
  const std::string arn = moto.python(
      "import boto3\n"
      "s = boto3.client('sts', endpoint_url='" +
      moto.url() +
      "', region_name='us-east-1',\n"
      "  aws_access_key_id='" +
      credentials->access_key_id() +
      "',\n"
      "  aws_secret_access_key='" +
      credentials->secret_access_key().reveal() +
      "',\n"
      "  aws_session_token='" +
      credentials->session_token().reveal() +
      "')\n"
      "print(s.get_caller_identity()['Arn'])\n");
  EXPECT_THAT(arn, HasSubstr("sso-chain-role/from-sso"));
}

}  // namespace
}  // namespace awsauth::providers
