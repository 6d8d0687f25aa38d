// LoginProvider with the real Poco client against our fake sign-in token service on 127.0.0.1,
// which verifies every DPoP proof it receives (tests/support/fake_signin.hpp). The token cache
// is a real directory; the provider's clock is a ManualClock the fake service checks iat against.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "awsauth/errors.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/login/login_provider.hpp"
#include "awsauth/providers/login/login_token.hpp"
#include "fake_signin.hpp"
#include "loopback_server.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSession = "arn:aws:iam::123456789012:user/Admin";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string signing_key(const RecordedRequest& r) {
  const std::string* auth = r.header("Authorization");
  if (auth == nullptr) return "";
  const auto start = auth->find("Credential=") + 11;
  return auth->substr(start, auth->find('/', start) - start);
}

class LoginLoopback : public ::testing::Test {
 protected:
  std::shared_ptr<ManualClock> clock =
      std::make_shared<ManualClock>(TimePoint{} + std::chrono::seconds(1'900'000'000));
  std::string home;
  std::string pem = test::generate_ec_pem();
  test::FakeSignin signin{pem, "refresh-1"};
  LoopbackServer server{signin.handler()};
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();
  std::vector<std::chrono::milliseconds> sleeps;
  std::shared_ptr<Random> random = std::make_shared<FixedRandom>(0.5);

  LoginLoopback() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "awsauth-login-it-XXXXXX").string();
    home = ::mkdtemp(pattern.data());
    std::filesystem::create_directories(home + "/.aws");
    env->set("HOME", home);
    env->set("AWS_EC2_METADATA_DISABLED", "true");
    env->set("AWS_REGION", "us-east-1");
    env->set("AWS_ENDPOINT_URL_SIGNIN", server.url(""));
    signin.now = [this] {
      return std::chrono::duration_cast<std::chrono::seconds>(clock->now().time_since_epoch())
          .count();
    };
    config("[profile dev]\nlogin_session = " + std::string(kSession) + "\n");
  }
  ~LoginLoopback() override {
    server.stop();
    std::error_code ec;
    std::filesystem::remove_all(home, ec);
  }

  void config(const std::string& text) { std::ofstream(home + "/.aws/config") << text; }
  [[nodiscard]] std::string cache_path() const {
    return home + "/.aws/login/cache/" + login_cache_file_name(kSession);
  }
  void cache(std::chrono::seconds left, test::LoginCacheFile file = {}) {
    file.dpop_key = file.dpop_key.empty() ? pem : file.dpop_key;
    file.expires_at = format_iso8601(clock->now() + left);
    std::filesystem::create_directories(home + "/.aws/login/cache");
    std::ofstream(cache_path()) << test::login_cache_json(file);
  }
  Context context() const {
    Context c = test::loopback_context(env, std::make_shared<RealFileSystem>());
    c.clock = clock;
    c.random = random;  // one source for every provider of a test: jti values never repeat
    return c;
  }
  LoginProviderOptions options() {
    LoginProviderOptions o;
    o.http.total_timeout = 5s;
    o.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    return o;
  }
  std::shared_ptr<LoginProvider> provider(std::string profile = "dev") {
    return std::make_shared<LoginProvider>(
        context(), std::make_shared<ProfileFilesLoader>(context()), profile, options());
  }
  CredentialsError error(const std::shared_ptr<LoginProvider>& p) {
    try {
      (void)p->get();
    } catch (const CredentialsError& e) {
      return e;
    }
    ADD_FAILURE() << "get() succeeded";
    return CredentialsError::not_configured("none", "none");
  }
  void expect_no_rejections() {
    for (const auto& r : signin.rejections()) ADD_FAILURE() << "rejected: " << r;
  }
};

TEST_F(LoginLoopback, FreshCachedCredentialsAreUsedWithoutCallingTheService) {
  cache(10min);
  const auto c = provider()->get();
  EXPECT_EQ(c->access_key_id(), "ASIACACHED");
  EXPECT_EQ(c->secret_access_key().reveal(), "cached-secret");
  EXPECT_EQ(c->session_token().reveal(), "cached-session");
  EXPECT_EQ(c->account_id(), "123456789012");
  EXPECT_EQ(c->expiration(), clock->now() + 10min);
  EXPECT_EQ(c->provider_name(), "login");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(LoginLoopback, MoreThanFiveMinutesLeftIsStillServedFromTheCache) {
  cache(301s);
  EXPECT_EQ(provider()->get()->access_key_id(), "ASIACACHED");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(LoginLoopback, FiveMinutesOrLessRefreshesWithAVerifiedProofAndWritesTheFileBack) {
  cache(300s);
  const auto before = slurp(cache_path());
  const auto c = provider()->get();
  expect_no_rejections();
  ASSERT_EQ(signin.refreshes(), 1);
  const auto expected = test::signin_tokens_for("refresh-1");
  EXPECT_EQ(c->access_key_id(), expected.access_key_id);
  EXPECT_EQ(c->secret_access_key().reveal(), expected.secret_access_key);
  EXPECT_EQ(c->session_token().reveal(), expected.session_token);
  EXPECT_EQ(c->expiration(), clock->now() + 900s);
  EXPECT_EQ(c->account_id(), "123456789012");

  const auto proofs = signin.proofs();
  ASSERT_EQ(proofs.size(), 1u);
  EXPECT_EQ(proofs[0].htu, server.url("/v1/token"));
  EXPECT_EQ(proofs[0].iat, signin.now());
  const auto requests = server.requests();
  EXPECT_EQ(requests[0].body, R"({"clientId":"arn:aws:signin:::devtools/same-device",)"
                              R"("grantType":"refresh_token","refreshToken":"refresh-1"})");

  // The file: new keys, expiry and refresh token; account, key, client and idToken kept.
  const LoginToken after = read_login_token(RealFileSystem(), {cache_path(), "dev"});
  EXPECT_EQ(after.access_key_id, expected.access_key_id);
  EXPECT_EQ(after.refresh_token.reveal(), "refresh-1.next");
  EXPECT_EQ(after.expires_at, clock->now() + 900s);
  EXPECT_EQ(after.account_id, "123456789012");
  EXPECT_EQ(after.dpop_key.reveal(), pem);
  EXPECT_EQ(after.client_id, test::kSigninClientId);
  EXPECT_THAT(after.document.reveal(), HasSubstr(R"("idToken": "header.payload.signature")"));
  EXPECT_NE(after.document.reveal(), before);
  struct stat st {};
  ASSERT_EQ(::stat(cache_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(home + "/.aws/login/cache"),
                          std::filesystem::directory_iterator()),
            1);
}

TEST_F(LoginLoopback, ExpiredCredentialsRefreshAndTheNextCallReadsTheRefreshedFile) {
  cache(-1h);
  auto p = provider();
  EXPECT_EQ(p->get()->access_key_id(), test::signin_tokens_for("refresh-1").access_key_id);
  EXPECT_EQ(p->get()->access_key_id(), test::signin_tokens_for("refresh-1").access_key_id);
  EXPECT_EQ(signin.refreshes(), 1);
  // Eleven minutes on the refreshed credentials are due again: the new refresh token is used.
  clock->advance(11min);
  EXPECT_EQ(p->get()->access_key_id(), test::signin_tokens_for("refresh-1.next").access_key_id);
  EXPECT_EQ(signin.refreshes(), 2);
  expect_no_rejections();
  const auto proofs = signin.proofs();
  ASSERT_EQ(proofs.size(), 2u);
  EXPECT_NE(proofs[0].jti, proofs[1].jti);
}

TEST_F(LoginLoopback, AnExpiredSessionIsNonRecoverableAndSaysToRunAwsLoginAgain) {
  cache(-1h, {.refresh_token = "refresh-SECRET-1"});
  signin.fault = [](const RecordedRequest&) { return test::signin_token_expired(); };
  const auto before = slurp(cache_path());
  const auto e = error(provider());
  EXPECT_EQ(e.kind(), ErrorKind::NonRecoverable);
  EXPECT_EQ(e.provider(), "login");
  EXPECT_THAT(e.what(), HasSubstr("expired"));
  EXPECT_THAT(e.what(), HasSubstr("run `aws login --profile dev`"));
  EXPECT_THAT(e.what(), HasSubstr("HTTP 401"));
  EXPECT_THAT(e.what(), Not(HasSubstr("refresh-SECRET-1")));
  EXPECT_THAT(e.what(), Not(HasSubstr("cached-secret")));
  EXPECT_EQ(slurp(cache_path()), before);
  expect_no_rejections();
}

TEST_F(LoginLoopback, ARefreshTokenTheServiceDoesNotKnowIsAnExpiredSession) {
  cache(-1h, {.refresh_token = "revoked"});
  const auto e = error(provider());
  EXPECT_EQ(e.kind(), ErrorKind::NonRecoverable);
  EXPECT_THAT(e.what(), HasSubstr("aws login --profile dev"));
}

// The fake service's checks are real: a proof from another key, or from a clock far from the
// service's, is refused (and then the provider reports the 400).
TEST_F(LoginLoopback, TheFakeServiceRefusesProofsFromAnotherKeyOrAStaleClock) {
  cache(-1h, {.dpop_key = test::generate_ec_pem()});
  const auto e = error(provider());
  EXPECT_EQ(e.kind(), ErrorKind::NonRecoverable);
  EXPECT_THAT(e.what(), HasSubstr("HTTP 400 ValidationException"));
  ASSERT_EQ(signin.rejections().size(), 1u);
  EXPECT_THAT(signin.rejections()[0], HasSubstr("not the session's public key"));

  cache(-1h);
  signin.now = [this] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               (clock->now() + 120s).time_since_epoch())
        .count();
  };
  (void)error(provider());
  ASSERT_EQ(signin.rejections().size(), 2u);
  EXPECT_THAT(signin.rejections()[1], HasSubstr("s from now"));
  EXPECT_EQ(signin.refreshes(), 0);
}

TEST_F(LoginLoopback, ChangedCredentialsAndMissingPermissionsAreExplained) {
  cache(-1h);
  signin.fault = [](const RecordedRequest&) { return test::signin_credentials_changed(); };
  EXPECT_THAT(error(provider()).what(), HasSubstr("credentials have changed"));
  signin.fault = [](const RecordedRequest&) { return test::signin_insufficient_permissions(); };
  const auto e = error(provider());
  EXPECT_EQ(e.kind(), ErrorKind::NonRecoverable);
  EXPECT_THAT(e.what(), HasSubstr("signin:CreateOAuth2Token"));
}

TEST_F(LoginLoopback, ServerErrorsAreRetriedWithFreshProofsThenReportedWithUrlAndStatus) {
  cache(-1h);
  signin.fault = [](const RecordedRequest&) { return test::signin_server_error(); };
  env->set("AWS_MAX_ATTEMPTS", "3");
  const auto before = slurp(cache_path());
  const auto e = error(provider());
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
  EXPECT_THAT(e.what(), HasSubstr(server.url("/v1/token")));
  EXPECT_THAT(e.what(), HasSubstr("HTTP 500 InternalServerException"));
  EXPECT_THAT(e.what(), HasSubstr("after 3 attempts"));
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(sleeps, (std::vector<std::chrono::milliseconds>{500ms, 1000ms}));
  EXPECT_EQ(slurp(cache_path()), before);
  expect_no_rejections();  // three distinct jti values, each proof valid

  // One 500, then the answer.
  std::atomic<int> calls{0};
  signin.fault = [&calls](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    if (calls++ == 0) return test::signin_server_error();
    return std::nullopt;
  };
  EXPECT_EQ(provider()->get()->access_key_id(), test::signin_tokens_for("refresh-1").access_key_id);
  expect_no_rejections();
}

TEST_F(LoginLoopback, ASlowServiceIsCutOffAtTheDeadline) {
  cache(-1h);
  signin.fault = [](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    return ScriptedResponse{.body = "{}", .delay_before_headers = 3s};
  };
  auto o = options();
  o.http.total_timeout = 300ms;
  o.max_attempts = 1;
  auto p = std::make_shared<LoginProvider>(
      context(), std::make_shared<ProfileFilesLoader>(context()), "dev", o);
  const auto start = std::chrono::steady_clock::now();
  const auto e = error(p);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
  EXPECT_THAT(e.what(),
              HasSubstr("cannot reach the sign-in service at " + server.url("/v1/token")));
}

TEST_F(LoginLoopback, AnAnswerThatIsNotATokenIsAProviderFailure) {
  cache(-1h);
  signin.fault = [](const RecordedRequest&) -> std::optional<ScriptedResponse> {
    return ScriptedResponse{.body = R"({"accessToken":{"accessKeyId":"A"},"expiresIn":900})"};
  };
  const auto e = error(provider());
  EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
  EXPECT_THAT(e.what(), HasSubstr("no string accessToken.secretAccessKey"));
}

TEST_F(LoginLoopback, AnUnusableKeyIsReportedWhenARefreshNeedsIt) {
  cache(10min, {.dpop_key = test::generate_ec_pem(test::PemForm::Sec1, "P-384")});
  EXPECT_EQ(provider()->get()->access_key_id(), "ASIACACHED");  // not needed yet (botocore)
  cache(-1h, {.dpop_key = test::generate_ec_pem(test::PemForm::Sec1, "P-384")});
  const auto e = error(provider());
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_THAT(e.what(), HasSubstr(cache_path()));
  EXPECT_THAT(e.what(), HasSubstr("not P-256"));
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(LoginLoopback, NoCacheFileSaysToRunAwsLogin) {
  const auto e = error(provider());
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_THAT(e.what(), HasSubstr(cache_path()));
  EXPECT_THAT(e.what(), HasSubstr("aws login --profile dev"));
}

TEST_F(LoginLoopback, AProfileWithoutLoginSessionIsNotConfigured) {
  config("[profile dev]\nregion = us-east-1\n");
  EXPECT_EQ(error(provider()).kind(), ErrorKind::NotConfigured);
  EXPECT_EQ(error(provider("absent")).kind(), ErrorKind::NotConfigured);
}

TEST_F(LoginLoopback, AwsLoginCacheDirectoryMovesTheCache) {
  env->set("AWS_LOGIN_CACHE_DIRECTORY", "~/elsewhere");
  cache(10min);
  std::filesystem::create_directories(home + "/elsewhere");
  std::filesystem::rename(cache_path(), home + "/elsewhere/" + login_cache_file_name(kSession));
  EXPECT_EQ(provider()->get()->access_key_id(), "ASIACACHED");
}

TEST_F(LoginLoopback, ConcurrentCallersShareOneRefresh) {
  cache(-1h);
  std::vector<std::shared_ptr<LoginProvider>> providers = {provider(), provider(), provider()};
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int k = 0; k < 6; ++k) {
    auto p = providers[k % providers.size()];  // separate providers share the file's lock
    threads.emplace_back([&ok, p] {
      if (p->get()->access_key_id() == test::signin_tokens_for("refresh-1").access_key_id) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(signin.refreshes(), 1);
}

TEST_F(LoginLoopback, TheDefaultChainPicksLoginAfterTheCredentialsFile) {
  cache(-1h);
  auto chain = make_default_credentials_provider(context(), {.profile = "dev"});
  const auto c = chain->get();
  EXPECT_EQ(c->provider_name(), "login");
  EXPECT_EQ(c->access_key_id(), test::signin_tokens_for("refresh-1").access_key_id);
  // Static keys in the credentials file come first (botocore's order).
  std::ofstream(home + "/.aws/credentials")
      << "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n";
  EXPECT_EQ(
      make_default_credentials_provider(context(), {.profile = "dev"})->get()->access_key_id(),
      "AKIDFILE");
}

TEST_F(LoginLoopback, ALoginSessionProfileCanBeARoleChainsSourceProfile) {
  cache(-1h);
  config(
      "[profile role]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = dev\n"
      "[profile dev]\nlogin_session = " +
      std::string(kSession) + "\n");
  LoopbackServer sts([this](const RecordedRequest&) -> ScriptedResponse {
    return {.body =
                "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::"
                "111111111111:assumed-role/r/s</Arn></AssumedRoleUser><Credentials>"
                "<AccessKeyId>ASIAROLE"
                "</AccessKeyId><SecretAccessKey>rs</SecretAccessKey><SessionToken>rt"
                "</SessionToken><Expiration>" +
                format_iso8601(clock->now() + 1h) +
                "</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"};
  });
  env->set("AWS_ENDPOINT_URL_STS", sts.url(""));
  const auto c = make_default_credentials_provider(context(), {.profile = "role"})->get();
  EXPECT_EQ(c->access_key_id(), "ASIAROLE");
  EXPECT_EQ(c->provider_name(), "assume-role");
  ASSERT_EQ(sts.request_count(), 1u);
  // AssumeRole was signed with the refreshed login credentials.
  EXPECT_EQ(signing_key(sts.requests()[0]), test::signin_tokens_for("refresh-1").access_key_id);
  expect_no_rejections();
}

// botocore's source-profile chain: the credentials file's keys, then login_session, then
// credential_process, then the config file's keys.
TEST_F(LoginLoopback, ASourceProfilesLoginSessionComesAfterCredentialsFileKeysAndBeforeConfigKeys) {
  cache(-1h);
  config(
      "[profile role]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = dev\n"
      "[profile dev]\nlogin_session = " +
      std::string(kSession) + "\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n");
  LoopbackServer sts([this](const RecordedRequest&) -> ScriptedResponse {
    return {.body =
                "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::"
                "111111111111:assumed-role/r/s</Arn></AssumedRoleUser><Credentials>"
                "<AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>rs</SecretAccessKey>"
                "<SessionToken>rt</SessionToken><Expiration>" +
                format_iso8601(clock->now() + 1h) +
                "</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"};
  });
  env->set("AWS_ENDPOINT_URL_STS", sts.url(""));
  (void)make_default_credentials_provider(context(), {.profile = "role"})->get();
  ASSERT_EQ(sts.request_count(), 1u);
  EXPECT_EQ(signing_key(sts.requests()[0]), test::signin_tokens_for("refresh-1").access_key_id);

  std::ofstream(home + "/.aws/credentials")
      << "[dev]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = k\n";
  (void)make_default_credentials_provider(context(), {.profile = "role"})->get();
  ASSERT_EQ(sts.request_count(), 2u);
  EXPECT_EQ(signing_key(sts.requests()[1]), "AKIDCREDS");
  EXPECT_EQ(signin.refreshes(), 1);
}

}  // namespace
}  // namespace awsauth::providers
