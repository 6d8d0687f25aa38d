// SsoTokenProvider's decisions with an injected clock and scripted SSO-OIDC answers: when it
// refreshes (botocore tokens.SSOTokenProvider), what it writes back, and what it does when a
// refresh fails.
#include "awsauth/providers/sso/sso_token_provider.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "queued_http_client.hpp"
#include "temp_dir.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

const TimePoint kNow = *parse_iso8601("2030-06-01T12:00:00Z");

std::string token_file(const std::string& expires_at, bool refreshable = true,
                       const std::string& registration_expires_at = "2030-09-01T00:00:00Z") {
  std::string text = R"({"startUrl": "https://d-1.awsapps.com/start", "region": "us-east-1", )"
                     R"("accessToken": "cached-token", "expiresAt": ")" +
                     expires_at + "\"";
  if (refreshable) {
    text += R"(, "clientId": "cid", "clientSecret": "csecret", "registrationExpiresAt": ")" +
            registration_expires_at + R"(", "refreshToken": "rtok")";
  }
  return text + R"(, "x-future": {"kept": true}})";
}

HttpResponse token_answer(bool with_refresh_token = true) {
  std::string body = R"({"accessToken": "new-token", "tokenType": "Bearer", "expiresIn": 3600)";
  if (with_refresh_token) body += R"(, "refreshToken": "rtok-2")";
  return {.status = 200, .body = body + "}"};
}

class SsoTokenProviderTest : public ::testing::Test {
 protected:
  test::TempDir tmp;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kNow);
  std::shared_ptr<test::QueuedHttpClient> http = std::make_shared<test::QueuedHttpClient>();
  std::optional<std::string> session = "my-sso";
  std::vector<std::chrono::milliseconds> sleeps;

  Context context() {
    Context c = test::in_memory_context(std::make_shared<MapEnvironment>(),
                                        std::make_shared<RealFileSystem>());
    c.clock = clock;
    c.http = http;
    return c;
  }
  SsoTokenCache cache() { return SsoTokenCache(std::make_shared<RealFileSystem>(), tmp.path()); }
  std::string path() { return cache().path_for("https://d-1.awsapps.com/start", session); }
  void write(const std::string& text) { test::spit(path(), text); }

  SsoTokenProvider provider(int attempts = 1) {
    SsoServiceClientSettings oidc;
    oidc.endpoint = "http://oidc.test";
    oidc.max_attempts = attempts;
    oidc.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    return SsoTokenProvider(context(),
                            {.profile = "dev",
                             .session_name = session,
                             .start_url = "https://d-1.awsapps.com/start",
                             .region = "us-east-1"},
                            cache(), std::make_shared<SsoOidcClient>(context(), oidc));
  }

  std::string error_of(const SsoTokenProvider& p, ErrorKind kind) {
    try {
      (void)p.token();
      ADD_FAILURE() << "token() succeeded";
    } catch (const CredentialsError& e) {
      EXPECT_EQ(e.kind(), kind) << e.what();
      EXPECT_EQ(e.provider(), "sso");
      EXPECT_THAT(e.what(), Not(HasSubstr("cached-token")));
      EXPECT_THAT(e.what(), Not(HasSubstr("rtok")));
      EXPECT_THAT(e.what(), Not(HasSubstr("csecret")));
      return e.what();
    }
    return {};
  }
};

TEST_F(SsoTokenProviderTest, AFreshTokenIsUsedAsCachedWithoutCallingOidc) {
  write(token_file("2030-06-01T12:16:00Z"));  // 16 minutes left: outside the 15-minute window
  const auto token = provider().token();
  EXPECT_EQ(token.token.reveal(), "cached-token");
  EXPECT_EQ(token.expires_at, *parse_iso8601("2030-06-01T12:16:00Z"));
  EXPECT_TRUE(http->sent.empty());
}

TEST_F(SsoTokenProviderTest, ANearExpiryTokenIsRefreshedAndWrittenBackKeepingOtherMembers) {
  write(token_file("2030-06-01T12:14:00Z"));  // 14 minutes left
  http->answers.push_back(token_answer());
  const auto token = provider().token();
  EXPECT_EQ(token.token.reveal(), "new-token");
  EXPECT_EQ(token.expires_at, kNow + 1h);

  ASSERT_EQ(http->sent.size(), 1u);
  EXPECT_EQ(http->sent[0].url, "http://oidc.test/token");
  const auto body =
      Poco::JSON::Parser().parse(http->sent[0].body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(body->getValue<std::string>("grantType"), "refresh_token");
  EXPECT_EQ(body->getValue<std::string>("refreshToken"), "rtok");
  EXPECT_EQ(body->getValue<std::string>("clientId"), "cid");
  EXPECT_EQ(body->getValue<std::string>("clientSecret"), "csecret");

  EXPECT_EQ(test::slurp(path()),
            R"({"startUrl": "https://d-1.awsapps.com/start", "region": "us-east-1", )"
            R"("accessToken": "new-token", "expiresAt": "2030-06-01T13:00:00Z", )"
            R"("clientId": "cid", "clientSecret": "csecret", )"
            R"("registrationExpiresAt": "2030-09-01T00:00:00Z", "refreshToken": "rtok-2", )"
            R"("x-future": {"kept": true}})");
}

TEST_F(SsoTokenProviderTest, ARefreshWithoutANewRefreshTokenDropsTheOldOneAsBotocoreDoes) {
  write(token_file("2030-06-01T12:05:00Z"));
  http->answers.push_back(token_answer(false));
  EXPECT_EQ(provider().token().token.reveal(), "new-token");
  const auto doc = JsonCacheDocument::parse(test::slurp(path()));
  EXPECT_FALSE(doc.has("refreshToken"));
  EXPECT_EQ(doc.string("clientId"), "cid");
}

TEST_F(SsoTokenProviderTest, AFailedRefreshWhileTheTokenIsValidKeepsTheCachedToken) {
  write(token_file("2030-06-01T12:05:00Z"));
  http->answers.push_back({.status = 400,
                           .headers = {{"x-amzn-ErrorType", "InvalidGrantException"}},
                           .body = R"({"error":"invalid_grant"})"});
  const std::string before = test::slurp(path());
  EXPECT_EQ(provider().token().token.reveal(), "cached-token");
  EXPECT_EQ(test::slurp(path()), before) << "nothing is written when the refresh failed";
  // A refused connection is a failed refresh too.
  EXPECT_EQ(provider().token().token.reveal(), "cached-token");
  EXPECT_EQ(http->sent.size(), 2u);
}

TEST_F(SsoTokenProviderTest, AnExpiredTokenIsRefreshed) {
  write(token_file("2030-06-01T11:00:00Z"));
  http->answers.push_back(token_answer());
  EXPECT_EQ(provider().token().token.reveal(), "new-token");
}

TEST_F(SsoTokenProviderTest, AnExpiredTokenWhoseRefreshFailsIsAnErrorWithTheRefreshReason) {
  write(token_file("2030-06-01T11:00:00Z"));
  http->answers.push_back({.status = 400,
                           .headers = {{"x-amzn-ErrorType", "InvalidGrantException"}},
                           .body = R"({"error":"invalid_grant","error_description":"stale"})"});
  const std::string message = error_of(provider(), ErrorKind::NonRecoverable);
  EXPECT_THAT(message, HasSubstr("sso-session `my-sso` of profile `dev` expired at "
                                 "2030-06-01T11:00:00Z (" +
                                 path() +
                                 ") and refreshing it failed: SSO OIDC CreateToken at "
                                 "http://oidc.test/token answered HTTP 400"));
  EXPECT_THAT(message, HasSubstr("aws sso login --profile dev"));
  EXPECT_THAT(message, HasSubstr("awsauth sso login --profile dev"));
}

TEST_F(SsoTokenProviderTest, AnExpiredTokenWithoutARefreshTokenAsksToSignIn) {
  write(token_file("2030-06-01T11:00:00Z", false));
  const std::string message = error_of(provider(), ErrorKind::InvalidConfiguration);
  EXPECT_THAT(message, HasSubstr("cannot be refreshed"));
  EXPECT_THAT(message, HasSubstr("`aws sso login --profile dev`"));
  EXPECT_TRUE(http->sent.empty());
}

TEST_F(SsoTokenProviderTest, AnExpiredClientRegistrationIsNotUsedToRefresh) {
  write(token_file("2030-06-01T12:05:00Z", true, "2030-06-01T11:59:59Z"));
  EXPECT_EQ(provider().token().token.reveal(), "cached-token");
  EXPECT_TRUE(http->sent.empty());
  clock->advance(10min);  // now the token has expired too
  (void)error_of(provider(), ErrorKind::InvalidConfiguration);
  EXPECT_TRUE(http->sent.empty());
}

TEST_F(SsoTokenProviderTest, ALegacyTokenIsNeverRefreshedAndIsAnErrorOnceExpired) {
  session = std::nullopt;
  write(token_file("2030-06-01T12:05:00Z"));
  EXPECT_EQ(provider().token().token.reveal(), "cached-token");
  clock->set(*parse_iso8601("2030-06-01T12:05:00Z"));  // expiry itself counts as expired
  const std::string message = error_of(provider(), ErrorKind::InvalidConfiguration);
  EXPECT_THAT(message, HasSubstr("start URL https://d-1.awsapps.com/start of profile `dev`"));
  EXPECT_TRUE(http->sent.empty());
}

TEST_F(SsoTokenProviderTest, NoCacheFileAsksToSignInAndNamesTheFile) {
  const std::string message = error_of(provider(), ErrorKind::InvalidConfiguration);
  EXPECT_THAT(message, HasSubstr(path() + " does not exist"));
  EXPECT_THAT(message, HasSubstr("aws sso login --profile dev"));
}

TEST_F(SsoTokenProviderTest, ATokenThatCannotBeSavedIsAnError) {
  // A cache directory whose token file can be read but next to which no temporary file fits
  // (the name would pass PATH_MAX): the refreshed token cannot be saved.
  const std::string dir = test::directory_of_length(tmp.path(), 4096 - 1 - 46);
  SsoTokenCache long_cache(std::make_shared<RealFileSystem>(), dir);
  const std::string file = long_cache.path_for("https://d-1.awsapps.com/start", session);
  ASSERT_EQ(file.size(), 4095u);
  test::spit(file, token_file("2030-06-01T12:05:00Z"));
  http->answers.push_back(token_answer());
  SsoServiceClientSettings oidc;
  oidc.endpoint = "http://oidc.test";
  oidc.max_attempts = 1;
  const SsoTokenProvider p(context(),
                           {.profile = "dev",
                            .session_name = session,
                            .start_url = "https://d-1.awsapps.com/start",
                            .region = "us-east-1"},
                           long_cache, std::make_shared<SsoOidcClient>(context(), oidc));
  const std::string message = error_of(p, ErrorKind::ProviderFailure);
  EXPECT_THAT(message, HasSubstr("cannot write the SSO token cache file " + file));
  EXPECT_THAT(message, Not(HasSubstr("new-token")));
  EXPECT_EQ(JsonCacheDocument::parse(test::slurp(file)).string("accessToken"), "cached-token");
}

}  // namespace
}  // namespace awsauth::providers
