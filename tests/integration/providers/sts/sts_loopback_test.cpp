// The STS providers inside the default chain, with the real Poco client, against a scripted
// STS on 127.0.0.1 (tests/support/loopback_server.hpp): answers that moto cannot be made to
// give on demand (ExpiredToken once, throttling, 5xx, each non-recoverable code) and the exact
// form bodies of AssumeRole (MFA, external id, duration, generated session name).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>

#include "awsauth/context.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/sts/assume_role.hpp"
#include "awsauth/providers/sts/sts_client.hpp"
#include "awsauth/static_provider.hpp"
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

const std::string kRoleOne = "arn:aws:iam::111111111111:role/one";
const std::string kRoleTwo = "arn:aws:iam::222222222222:role/two";

// Python's urllib.parse.parse_qsl for the form bodies STS receives.
std::map<std::string, std::string> form_fields(const std::string& body) {
  auto decode = [](std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out += ' ';
      } else if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> fields;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string_view pair(body.data() + start, end - start);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos)
      fields[decode(pair.substr(0, eq))] = decode(pair.substr(eq + 1));
    start = end + 1;
  }
  return fields;
}

// The access key id a request was signed with (`Credential=<key>/...`), or "" when unsigned.
std::string signing_key(const RecordedRequest& r) {
  const std::string* auth = r.header("Authorization");
  if (auth == nullptr) return "";
  const auto from = auth->find("Credential=");
  if (from == std::string::npos) return "";
  const auto start = from + 11;
  return auth->substr(start, auth->find('/', start) - start);
}

ScriptedResponse assume_role_ok(const std::string& key, TimePoint expiration) {
  return {.body =
              "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::"
              "111111111111:assumed-role/r/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>" +
              key + "</AccessKeyId><SecretAccessKey>secret-" + key +
              "</SecretAccessKey><SessionToken>token-" + key + "</SessionToken><Expiration>" +
              format_iso8601(expiration) +
              "</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"};
}

ScriptedResponse sts_error(int status, const std::string& code, const std::string& message) {
  return {.status = status,
          .body = "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" +
                  message + "</Message></Error><RequestId>r</RequestId></ErrorResponse>"};
}

class StsLoopback : public ::testing::Test {
 protected:
  std::shared_ptr<ManualClock> clock =
      std::make_shared<ManualClock>(TimePoint{} + std::chrono::seconds(1'700'000'000));
  LoopbackServer sts;
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>(
      std::map<std::string, std::string, std::less<>>{{"HOME", "/home/test"},
                                                      {"AWS_EC2_METADATA_DISABLED", "true"},
                                                      {"AWS_REGION", "us-east-1"}});
  std::shared_ptr<MapFileSystem> files = std::make_shared<MapFileSystem>();

  StsLoopback() {
    env->set("AWS_ENDPOINT_URL_STS", sts.url(""));
    files->put("/home/test/.aws/credentials",
               "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
  }

  Context context() const {
    Context c = test::loopback_context(env, files);
    c.clock = clock;
    return c;
  }
  void config(const std::string& text) { files->put("/home/test/.aws/config", text); }
  std::shared_ptr<CachingProvider> provider(DefaultChainOptions options) {
    return make_default_credentials_provider(context(), std::move(options));
  }
  std::vector<std::map<std::string, std::string>> bodies() const {
    std::vector<std::map<std::string, std::string>> out;
    for (const auto& r : sts.requests()) out.push_back(form_fields(r.body));
    return out;
  }
};

// --- ExpiredToken: the cached source of a hop is dropped and fetched again, once ---------------

const std::string kTwoHops = "[profile one]\nrole_arn = " + kRoleOne +
                             "\nsource_profile = base\n[profile two]\nrole_arn = " + kRoleTwo +
                             "\nsource_profile = one\n";

TEST_F(StsLoopback, ExpiredTokenOnTheSecondHopRefetchesTheFirstHopAndTheChainSucceeds) {
  config(kTwoHops);
  std::atomic<int> one_calls{0};
  std::atomic<bool> rejected{false};
  sts.set_handler([&](const RecordedRequest& r) {
    const auto f = form_fields(r.body);
    if (f.at("RoleArn") == kRoleOne) {
      return assume_role_ok("ASIAONE" + std::to_string(++one_calls), clock->now() + 1h);
    }
    // Hop 2 signed with the first hop-1 session: STS says that session token expired.
    if (signing_key(r) == "ASIAONE1") {
      rejected = true;
      return sts_error(400, "ExpiredToken",
                       "The security token included in the request is expired");
    }
    return assume_role_ok("ASIATWO", clock->now() + 1h);
  });

  const auto credentials = provider({.profile = "two"})->get();

  EXPECT_EQ(credentials->access_key_id(), "ASIATWO");
  EXPECT_TRUE(rejected);
  const auto requests = sts.requests();
  ASSERT_EQ(requests.size(), 4U);
  const auto b = bodies();
  EXPECT_EQ(b[0].at("RoleArn"), kRoleOne);
  EXPECT_EQ(signing_key(requests[0]), "AKIDBASE");
  EXPECT_EQ(b[1].at("RoleArn"), kRoleTwo);
  EXPECT_EQ(signing_key(requests[1]), "ASIAONE1");
  // The second AssumeRole for hop 1 reached STS, and hop 2 was signed with its answer.
  EXPECT_EQ(b[2].at("RoleArn"), kRoleOne);
  EXPECT_EQ(signing_key(requests[2]), "AKIDBASE");
  EXPECT_EQ(b[3].at("RoleArn"), kRoleTwo);
  EXPECT_EQ(signing_key(requests[3]), "ASIAONE2");
}

TEST_F(StsLoopback, ExpiredTokenThatPersistsFailsAfterOneRetryWithoutLooping) {
  config(kTwoHops);
  std::atomic<int> one_calls{0};
  sts.set_handler([&](const RecordedRequest& r) {
    if (form_fields(r.body).at("RoleArn") == kRoleOne) {
      return assume_role_ok("ASIAONE" + std::to_string(++one_calls), clock->now() + 1h);
    }
    return sts_error(400, "ExpiredToken", "The security token included in the request is expired");
  });

  try {
    (void)provider({.profile = "two"})->get();
    FAIL() << "expected the ExpiredToken error";
  } catch (const CredentialsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("ExpiredToken: The security token included in the request is "
                                    "expired"));
  }
  // hop 1, hop 2 (expired), hop 1 again, hop 2 (expired): then the error, no third round.
  EXPECT_EQ(sts.request_count(), 4U);
}

// --- Retries and non-recoverable codes over real HTTP --------------------------------------

class StsClientLoopback : public StsLoopback {
 protected:
  std::vector<std::chrono::milliseconds> sleeps;
  StsClientSettings settings(double jitter) {
    StsClientSettings s;
    s.endpoint = {sts.url(""), "us-east-1"};
    s.max_attempts = 4;
    s.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    jitter_ = jitter;
    return s;
  }
  Context client_context() const {
    Context c = context();
    c.random = std::make_shared<FixedRandom>(jitter_);
    return c;
  }
  AssumeRoleProvider assume_role(const StsClientSettings& s) {
    auto source = std::make_shared<StaticCredentialsProvider>(
        make_credentials({.access_key_id = "AKIDBASE", .secret_access_key = SecretString("s")}));
    return AssumeRoleProvider(client_context(), std::make_shared<StsClient>(client_context(), s),
                              source, AssumeRoleHop{.profile = "p", .role_arn = kRoleOne});
  }

  double jitter_ = 0.5;
};

TEST_F(StsClientLoopback, ThrottlingAnd5xxAreRetriedWithGrowingJitteredBackoff) {
  sts.enqueue(sts_error(400, "Throttling", "Rate exceeded"));
  sts.enqueue({.status = 503, .body = "Service Unavailable"});
  sts.enqueue(sts_error(429, "TooManyRequestsException", "slow down"));
  sts.enqueue(assume_role_ok("ASIAOK", clock->now() + 1h));
  auto provider = assume_role(settings(0.25));

  EXPECT_EQ(provider.get()->access_key_id(), "ASIAOK");

  EXPECT_EQ(sts.request_count(), 4U);
  // Full jitter: 0.25 * 1 s, 0.25 * 2 s, 0.25 * 4 s.
  EXPECT_EQ(sleeps, (std::vector<std::chrono::milliseconds>{250ms, 500ms, 1000ms}));
  // Every attempt is the same signed call.
  for (const auto& r : sts.requests()) EXPECT_EQ(signing_key(r), "AKIDBASE");
}

TEST_F(StsClientLoopback, BackoffIsCappedAtTheMaximum) {
  for (int i = 0; i < 4; ++i) sts.enqueue({.status = 500});
  auto s = settings(0.5);
  s.base_backoff = 1000ms;
  s.max_backoff = 1500ms;
  auto provider = assume_role(s);
  EXPECT_THROW((void)provider.get(), CredentialsError);
  EXPECT_EQ(sts.request_count(), 4U);
  EXPECT_EQ(sleeps, (std::vector<std::chrono::milliseconds>{500ms, 750ms, 750ms}));
}

TEST_F(StsClientLoopback, NonRecoverableCodesSurfaceAtOnceWithStsOwnMessage) {
  for (const std::string code :
       {"AccessDenied", "IDPRejectedClaim", "InvalidIdentityToken", "MalformedPolicyDocument",
        "PackedPolicyTooLarge", "RegionDisabled"}) {
    LoopbackServer one_shot;
    one_shot.enqueue(sts_error(403, code, "STS says no to " + code));
    sleeps.clear();
    auto s = settings(0.5);
    s.endpoint = {one_shot.url(""), "us-east-1"};
    auto provider = assume_role(s);
    try {
      (void)provider.get();
      ADD_FAILURE() << code << " did not throw";
    } catch (const CredentialsError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::NonRecoverable) << code;
      EXPECT_THAT(e.what(), HasSubstr(code + ": STS says no to " + code));
    }
    EXPECT_EQ(one_shot.request_count(), 1U) << code;
    EXPECT_TRUE(sleeps.empty()) << code;
  }
}

// --- The AssumeRole form body: MFA, external id, duration, session name --------------------

TEST_F(StsLoopback, ExternalIdDurationAndGeneratedSessionNameReachStsFromTheProfile) {
  config("[profile app]\nrole_arn = " + kRoleOne +
         "\nsource_profile = base\nexternal_id = ext id/1\nduration_seconds = 1800\n");
  sts.set_handler(
      [&](const RecordedRequest&) { return assume_role_ok("ASIAAPP", clock->now() + 30min); });

  EXPECT_EQ(provider({.profile = "app"})->get()->access_key_id(), "ASIAAPP");

  ASSERT_EQ(sts.request_count(), 1U);
  const auto f = bodies()[0];
  EXPECT_EQ(f.at("Action"), "AssumeRole");
  EXPECT_EQ(f.at("ExternalId"), "ext id/1");
  EXPECT_EQ(f.at("DurationSeconds"), "1800");
  // botocore's default: "botocore-session-<unix seconds>" of the (injected) clock.
  EXPECT_EQ(f.at("RoleSessionName"), "botocore-session-1700000000");
  EXPECT_EQ(f.count("SerialNumber"), 0U);
  EXPECT_EQ(f.count("TokenCode"), 0U);
}

TEST_F(StsLoopback, ConfiguredRoleSessionNameIsSentAsIs) {
  config("[profile app]\nrole_arn = " + kRoleOne +
         "\nsource_profile = base\nrole_session_name = deploy bot\n");
  sts.set_handler(
      [&](const RecordedRequest&) { return assume_role_ok("ASIAAPP", clock->now() + 1h); });
  (void)provider({.profile = "app"})->get();
  EXPECT_EQ(bodies().at(0).at("RoleSessionName"), "deploy bot");
  EXPECT_EQ(bodies().at(0).count("ExternalId"), 0U);
  EXPECT_EQ(bodies().at(0).count("DurationSeconds"), 0U);
}

const std::string kMfaProfile = "[profile mfa]\nrole_arn = " + kRoleOne +
                                "\nsource_profile = base\nmfa_serial = "
                                "arn:aws:iam::111111111111:mfa/alice\n";

TEST_F(StsLoopback, MfaSerialAndTheCallbacksCodeReachSts) {
  config(kMfaProfile);
  sts.set_handler(
      [&](const RecordedRequest&) { return assume_role_ok("ASIAMFA", clock->now() + 1h); });
  std::vector<std::string> asked;
  DefaultChainOptions options{.profile = "mfa"};
  options.mfa_token = [&](const std::string& serial) {
    asked.push_back(serial);
    return std::string("123456");
  };

  EXPECT_EQ(provider(std::move(options))->get()->access_key_id(), "ASIAMFA");

  EXPECT_EQ(asked, std::vector<std::string>{"arn:aws:iam::111111111111:mfa/alice"});
  ASSERT_EQ(sts.request_count(), 1U);
  const auto f = bodies()[0];
  EXPECT_EQ(f.at("SerialNumber"), "arn:aws:iam::111111111111:mfa/alice");
  EXPECT_EQ(f.at("TokenCode"), "123456");
  EXPECT_EQ(signing_key(sts.requests()[0]), "AKIDBASE");
}

TEST_F(StsLoopback, MfaSerialWithoutCallbackNamesTheProfileAndSerialAndSendsNothing) {
  config(kMfaProfile);
  try {
    (void)provider({.profile = "mfa"})->get();
    FAIL() << "expected an error";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
    EXPECT_THAT(e.what(), HasSubstr("profile `mfa`"));
    EXPECT_THAT(e.what(), HasSubstr("mfa_serial = arn:aws:iam::111111111111:mfa/alice"));
    EXPECT_THAT(e.what(), HasSubstr("MFA token callback"));
  }
  EXPECT_EQ(sts.request_count(), 0U);
}

// A cache's early (advisory) refresh would ask the user for a code up to an hour before it is
// needed; MFA credentials are refreshed only once due, on the thread of the caller that needs them.
TEST_F(StsLoopback, MfaRoleIsNotRefreshedEarlyOnlyWhenDue) {
  config(kMfaProfile);
  std::atomic<int> issued{0};
  sts.set_handler([&](const RecordedRequest&) {
    return assume_role_ok("ASIAMFA" + std::to_string(++issued), clock->now() + 1h);
  });
  std::atomic<int> prompts{0};
  DefaultChainOptions options{.profile = "mfa"};
  options.mfa_token = [&](const std::string&) {
    ++prompts;
    return std::string("123456");
  };
  auto credentials = provider(std::move(options));
  const auto start = clock->now();
  EXPECT_EQ(credentials->get()->access_key_id(), "ASIAMFA1");

  // One-hour credentials: the standard advisory window is 15 minutes; 50 minutes is inside it.
  clock->set(start + 50min);
  EXPECT_EQ(credentials->get()->access_key_id(), "ASIAMFA1");
  clock->set(start + 58min);
  EXPECT_EQ(credentials->get()->access_key_id(), "ASIAMFA1");
  EXPECT_EQ(prompts.load(), 1);
  EXPECT_EQ(sts.request_count(), 1U);

  // The mandatory window (the last minute): now the code is asked for again.
  clock->set(start + 59min + 30s);
  EXPECT_EQ(credentials->get()->access_key_id(), "ASIAMFA2");
  EXPECT_EQ(prompts.load(), 2);
  EXPECT_EQ(sts.request_count(), 2U);
}

// The control for the test above: the same role without MFA is refreshed in the advisory window.
TEST_F(StsLoopback, RoleWithoutMfaIsRefreshedEarlyInTheAdvisoryWindow) {
  config("[profile app]\nrole_arn = " + kRoleOne + "\nsource_profile = base\n");
  std::atomic<int> issued{0};
  sts.set_handler([&](const RecordedRequest&) {
    return assume_role_ok("ASIAAPP" + std::to_string(++issued), clock->now() + 1h);
  });
  auto credentials = provider({.profile = "app"});
  const auto start = clock->now();
  EXPECT_EQ(credentials->get()->access_key_id(), "ASIAAPP1");
  clock->set(start + 50min);
  // The caller that finds the credentials in the window refreshes them on its own thread.
  EXPECT_EQ(credentials->get()->access_key_id(), "ASIAAPP2");
  EXPECT_EQ(sts.request_count(), 2U);
}

// --- Retry settings from the environment and the profile, through the default chain --------

class StsRetryLoopback : public StsLoopback {
 protected:
  const std::string kApp = "[profile app]\nrole_arn = " + kRoleOne + "\nsource_profile = base\n";

  // Jitter draws of 0.001: the real sleeps between attempts are 1 ms, 2 ms, 4 ms, 8 ms.
  std::shared_ptr<CachingProvider> chain(DefaultChainOptions options = {.profile = "app"}) {
    Context c = context();
    c.random = std::make_shared<FixedRandom>(0.001);
    return make_default_credentials_provider(c, std::move(options));
  }
  void sts_always(ScriptedResponse response) {
    sts.set_handler([response](const RecordedRequest&) { return response; });
  }
  // The chain's error for `options`; fails the test when get() succeeds or takes over 5 s.
  CredentialsError failure(DefaultChainOptions options = {.profile = "app"}) {
    const auto start = std::chrono::steady_clock::now();
    try {
      (void)chain(std::move(options))->get();
    } catch (const CredentialsError& e) {
      EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
      return e;
    }
    ADD_FAILURE() << "expected the chain to fail";
    return CredentialsError(ErrorKind::NotConfigured, "", "");
  }
};

TEST_F(StsRetryLoopback, AwsMaxAttemptsOneMakesExactlyOneAttempt) {
  config(kApp);
  env->set("AWS_MAX_ATTEMPTS", "1");
  sts_always({.status = 503, .body = "Service Unavailable"});
  const auto e = failure();
  EXPECT_EQ(sts.request_count(), 1U);
  EXPECT_THAT(e.what(), HasSubstr("answered HTTP 503"));
  EXPECT_THAT(e.what(), Not(HasSubstr("attempts")));
}

TEST_F(StsRetryLoopback, AwsMaxAttemptsFourMakesFourAttempts) {
  config(kApp);
  env->set("AWS_MAX_ATTEMPTS", "4");
  sts_always({.status = 503, .body = "Service Unavailable"});
  const auto e = failure();
  EXPECT_EQ(sts.request_count(), 4U);
  EXPECT_THAT(e.what(), HasSubstr("answered HTTP 503"));
  EXPECT_THAT(e.what(), HasSubstr("after 4 attempts"));
  // Every attempt is the same signed AssumeRole.
  for (const auto& f : bodies()) EXPECT_EQ(f.at("RoleArn"), kRoleOne);
}

TEST_F(StsRetryLoopback, NothingConfiguredIsBotocoresLegacyModeWithFiveAttempts) {
  config(kApp);
  // Legacy retries a 429 whatever its code; standard mode would not retry `Foo`.
  sts_always(sts_error(429, "Foo", "slow down"));
  (void)failure();
  EXPECT_EQ(sts.request_count(), 5U);
}

TEST_F(StsRetryLoopback, RetryModeAndMaxAttemptsComeFromTheSelectedProfile) {
  config(kApp + "retry_mode = standard\nmax_attempts = 2\n[default]\nmax_attempts = 9\n");
  sts_always({.status = 500});
  (void)failure();
  EXPECT_EQ(sts.request_count(), 2U);
  // Standard mode does not retry a 429 without a throttling code.
  sts_always(sts_error(429, "Foo", "slow down"));
  (void)failure();
  EXPECT_EQ(sts.request_count(), 3U);
}

TEST_F(StsRetryLoopback, EnvironmentWinsOverTheProfileKeyByKey) {
  config(kApp + "retry_mode = standard\nmax_attempts = 2\n");
  env->set("AWS_MAX_ATTEMPTS", "3");
  // Mode still standard (from the profile): a 429 `Foo` is not retried...
  sts_always(sts_error(429, "Foo", "slow down"));
  (void)failure();
  EXPECT_EQ(sts.request_count(), 1U);
  // ...and a 503 gets the environment's three attempts.
  sts_always({.status = 503});
  (void)failure();
  EXPECT_EQ(sts.request_count(), 4U);
  // AWS_RETRY_MODE=legacy overrides the profile's standard: now the 429 is retried.
  env->set("AWS_RETRY_MODE", "legacy");
  sts_always(sts_error(429, "Foo", "slow down"));
  (void)failure();
  EXPECT_EQ(sts.request_count(), 7U);
}

TEST_F(StsRetryLoopback, EveryHopOfARoleChainUsesTheSettings) {
  config(kTwoHops);
  env->set("AWS_MAX_ATTEMPTS", "2");
  sts.set_handler([&](const RecordedRequest& r) {
    if (form_fields(r.body).at("RoleArn") == kRoleOne) {
      return assume_role_ok("ASIAONE", clock->now() + 1h);
    }
    return ScriptedResponse{.status = 502};
  });
  (void)failure({.profile = "two"});
  // Hop 1 once, hop 2 twice.
  EXPECT_EQ(sts.request_count(), 3U);
}

TEST_F(StsRetryLoopback, WebIdentityUsesTheSettings) {
  files->put("/var/run/token", "header.payload.signature");
  env->set("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token");
  env->set("AWS_ROLE_ARN", kRoleOne);
  env->set("AWS_MAX_ATTEMPTS", "2");
  sts_always(sts_error(400, "IDPCommunicationError", "the IdP did not answer"));
  const auto e = failure({});
  EXPECT_EQ(sts.request_count(), 2U);
  EXPECT_THAT(e.what(), HasSubstr("IDPCommunicationError"));
}

TEST_F(StsRetryLoopback, InvalidSettingsFailTheRoleClearlyBeforeAnyRequest) {
  config(kApp);
  env->set("AWS_MAX_ATTEMPTS", "zero");
  sts_always(assume_role_ok("ASIAOK", clock->now() + 1h));
  auto e = failure();
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_THAT(e.what(), HasSubstr("`zero` (from AWS_MAX_ATTEMPTS)"));

  env->unset("AWS_MAX_ATTEMPTS");
  config(kApp + "retry_mode = turbo\n");
  e = failure();
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_THAT(e.what(), HasSubstr("`turbo` (from retry_mode in /home/test/.aws/config:4 "
                                  "(profile `app`))"));
  EXPECT_THAT(e.what(), HasSubstr("legacy, standard, adaptive"));
  EXPECT_EQ(sts.request_count(), 0U);
}

}  // namespace
}  // namespace awsauth::providers
