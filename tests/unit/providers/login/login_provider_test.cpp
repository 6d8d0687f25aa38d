// LoginProvider's decisions with an injected clock, files in memory and an HTTP double: when it
// refreshes, where the sign-in call goes (region and endpoint settings of which profile), and
// what it says when it cannot. The loopback tests (tests/integration/providers/login) cover the
// wire and the write-back.
#include "awsauth/providers/login/login_provider.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "awsauth/errors.hpp"
#include "awsauth/providers/login/login_token.hpp"
#include "dpop_check.hpp"
#include "fake_signin.hpp"
#include "queued_http_client.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr const char* kSession = "arn:aws:iam::123456789012:user/Admin";

class LoginProviderTest : public ::testing::Test {
 protected:
  test::TestContext t;
  std::shared_ptr<ManualClock> clock =
      std::make_shared<ManualClock>(TimePoint{} + std::chrono::seconds(1'900'000'000));
  std::shared_ptr<test::QueuedHttpClient> http = std::make_shared<test::QueuedHttpClient>();
  std::string pem = test::generate_ec_pem();

  LoginProviderTest() {
    t.env->unset("AWS_REGION");
    t.config("[profile dev]\nlogin_session = " + std::string(kSession) + "\nregion = eu-west-1\n");
  }
  void cache(std::chrono::seconds left) {
    test::LoginCacheFile file;
    file.dpop_key = pem;
    file.expires_at = format_iso8601(clock->now() + left);
    t.files->put("/home/test/.aws/login/cache/" + login_cache_file_name(kSession),
                 test::login_cache_json(file));
  }
  std::shared_ptr<LoginProvider> provider(LoginProviderOptions options = {}) {
    Context c = t.context();
    c.clock = clock;
    c.http = http;
    options.max_attempts = 1;
    return std::make_shared<LoginProvider>(c, std::make_shared<ProfileFilesLoader>(c), "dev",
                                           options);
  }
  CredentialsError error(LoginProviderOptions options = {}) {
    try {
      (void)provider(std::move(options))->get();
    } catch (const CredentialsError& e) {
      return e;
    }
    ADD_FAILURE() << "get() succeeded";
    return CredentialsError::not_configured("none", "none");
  }
};

TEST_F(LoginProviderTest, RefreshesOnlyAtFiveMinutesOrLessAsLoginCredentialFetcher) {
  for (const auto left : std::initializer_list<std::chrono::seconds>{16min, 15min, 6min, 301s}) {
    cache(left);
    EXPECT_EQ(provider()->get()->access_key_id(), "ASIACACHED") << left.count();
  }
  EXPECT_TRUE(http->sent.empty());
  for (const auto left : std::initializer_list<std::chrono::seconds>{300s, 1s, 0s, -1s, -48h}) {
    cache(left);
    (void)error();  // the double refuses the connection: a refresh was attempted
  }
  EXPECT_EQ(http->sent.size(), 5u);
}

TEST_F(LoginProviderTest, TheDefaultEndpointIsTheProfileRegionsSigninHost) {
  cache(-1min);
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
  EXPECT_THAT(e.what(), HasSubstr("cannot reach the sign-in service at "
                                  "https://eu-west-1.signin.aws.amazon.com/v1/token"));
  ASSERT_EQ(http->sent.size(), 1u);
  const HttpRequest& sent = http->sent[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "https://eu-west-1.signin.aws.amazon.com/v1/token");
  const std::string* proof = find_header(sent.headers, "DPoP");
  ASSERT_NE(proof, nullptr);
  const auto check = test::check_dpop_proof(*proof, test::public_jwk_of(pem));
  ASSERT_TRUE(check.ok) << check.error;
  EXPECT_EQ(check.htu, sent.url);
  EXPECT_EQ(check.iat, 1'900'000'000);
}

TEST_F(LoginProviderTest, EnvironmentRegionAndServicesSectionsSteerTheCall) {
  cache(-1min);
  t.env->set("AWS_DEFAULT_REGION", "us-west-2");
  (void)error();
  EXPECT_EQ(http->sent.back().url, "https://us-west-2.signin.aws.amazon.com/v1/token");
  t.config("[profile dev]\nlogin_session = " + std::string(kSession) +
           "\nservices = local\n[services local]\nsignin =\n  endpoint_url = "
           "http://127.0.0.1:9/base/\n");
  (void)error();
  EXPECT_EQ(http->sent.back().url, "http://127.0.0.1:9/base/v1/token");
}

TEST_F(LoginProviderTest, TheClientProfileGivesTheRegionForASourceProfile) {
  cache(-1min);
  t.config("[profile dev]\nlogin_session = " + std::string(kSession) +
           "\nregion = eu-west-1\n[profile top]\nregion = ap-southeast-2\n");
  LoginProviderOptions options;
  options.client_profile = "top";
  (void)error(options);
  EXPECT_EQ(http->sent.back().url, "https://ap-southeast-2.signin.aws.amazon.com/v1/token");
}

TEST_F(LoginProviderTest, NoRegionAndNoEndpointIsAClearConfigurationError) {
  cache(-1min);
  t.config("[profile dev]\nlogin_session = " + std::string(kSession) + "\n");
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_THAT(e.what(), HasSubstr("no region is set for the sign-in service"));
  EXPECT_TRUE(http->sent.empty());
  // A configured endpoint needs no region (the rule set checks Endpoint first).
  t.env->set("AWS_ENDPOINT_URL_SIGNIN", "http://127.0.0.1:9");
  (void)error();
  EXPECT_EQ(http->sent.back().url, "http://127.0.0.1:9/v1/token");
}

TEST_F(LoginProviderTest, ErrorBodiesNeverLeakTheRefreshToken) {
  cache(-1min);
  http->answers.push_back(
      {.status = 400,
       .headers = {{"x-amzn-ErrorType", "ValidationException"}},
       .body = R"({"error":"INVALID_REQUEST","message":"bad token refresh-1 \u001b[31m"})"});
  const auto e = error();
  EXPECT_EQ(e.kind(), ErrorKind::NonRecoverable);
  const std::string what = e.what();
  EXPECT_THAT(what, HasSubstr("HTTP 400 ValidationException (INVALID_REQUEST)"));
  EXPECT_THAT(what, HasSubstr("<redacted>"));
  EXPECT_EQ(what.find("refresh-1"), std::string::npos) << what;
  EXPECT_EQ(what.find('\x1b'), std::string::npos) << what;
  EXPECT_EQ(what.find("cached-secret"), std::string::npos) << what;
}

}  // namespace
}  // namespace awsauth::providers
