// StsClient's retry modes: which answers are retried, how often, how long it waits, and the
// standard mode's retry quota. The tables were checked against botocore 1.43 driving an STS
// client at a local HTTP server (counting requests per answer, AWS_RETRY_MODE each way).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "awsauth/providers/sts/sts_client.hpp"
#include "queued_http_client.hpp"
#include "sts/sts_profile.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

std::string error_xml(const std::string& code) {
  return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code +
         "</Code><Message>m</Message></Error></ErrorResponse>";
}

// Answers every request with `answer` (thread-safe; counts requests).
class FixedAnswerHttpClient final : public HttpClient {
 public:
  explicit FixedAnswerHttpClient(std::function<HttpResponse()> answer)
      : answer_(std::move(answer)) {}
  HttpResponse send(const HttpRequest&, const HttpOptions&) override {
    ++requests;
    return answer_();
  }
  std::atomic<int> requests{0};

 private:
  std::function<HttpResponse()> answer_;
};

struct Fixture {
  std::vector<std::chrono::milliseconds> sleeps;
  Context context;
  StsClientSettings settings;
  explicit Fixture(std::shared_ptr<HttpClient> http, double jitter = 0.5) {
    context.clock = std::make_shared<ManualClock>(TimePoint{} + std::chrono::hours(500000));
    context.random = std::make_shared<FixedRandom>(jitter);
    context.http = std::move(http);
    settings.endpoint = {"https://sts.us-east-1.amazonaws.com", "us-east-1"};
    settings.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
  }
};

// Requests one call makes when every answer is `status` with `code` ("" = no error body).
int attempts_for(RetryMode mode, int status, const std::string& code) {
  auto http = std::make_shared<FixedAnswerHttpClient>(
      [&] { return HttpResponse{.status = status, .body = code.empty() ? "" : error_xml(code)}; });
  Fixture f(http);
  f.settings.retry_mode = mode;
  StsClient client(f.context, f.settings);
  EXPECT_THROW((void)client.call(get_caller_identity_fields(), nullptr, "x"), CredentialsError);
  return http->requests;
}

struct Row {
  int status;
  const char* code;
  int legacy;    // requests botocore's legacy mode makes (5 attempts)
  int standard;  // requests its standard mode makes (3 attempts)
};

// botocore 1.43, AWS_RETRY_MODE=legacy / standard, same answers.
constexpr Row kBotocoreTable[] = {
    {500, "", 5, 3},
    {501, "", 1, 1},
    {502, "", 5, 3},
    {503, "", 5, 3},
    {504, "", 5, 3},
    {505, "", 1, 1},
    {507, "Foo", 1, 1},
    {509, "", 5, 1},
    {429, "Foo", 5, 1},  // standard mode retries 429 only for a throttling code
    {429, "TooManyRequestsException", 5, 3},
    {400, "Throttling", 5, 3},
    {403, "Throttling", 1, 3},  // legacy matches code and status 400 together
    {400, "ThrottlingException", 5, 3},
    {400, "ThrottledException", 5, 3},
    {400, "RequestThrottledException", 5, 3},
    {400, "ProvisionedThroughputExceededException", 5, 3},
    {400, "TooManyRequestsException", 1, 3},  // legacy: organizations only
    {400, "RequestLimitExceeded", 1, 3},      // legacy: ec2 only
    {400, "SlowDown", 1, 3},
    {400, "RequestThrottled", 1, 3},  // legacy: sqs only
    {400, "PriorRequestNotComplete", 1, 3},
    {400, "RequestTimeout", 1, 3},           // legacy: s3 only
    {400, "RequestTimeoutException", 1, 3},  // legacy: glacier only
    {400, "TransactionInProgressException", 1, 3},
    {400, "EC2ThrottledException", 1, 3},
    {400, "LimitExceededException", 1, 3},
    {400, "BandwidthLimitExceeded", 1, 3},
    {400, "IDPCommunicationError", 5, 3},  // STS's own entry in _retry.json
    {403, "IDPCommunicationError", 1, 3},
    {400, "ExpiredToken", 1, 1},
    {400, "ValidationError", 1, 1},
    {403, "AccessDenied", 1, 1},
};

TEST(StsClientRetries, StandardAndLegacyRetryWhatBotocoreRetries) {
  for (const auto& row : kBotocoreTable) {
    EXPECT_EQ(is_retryable_sts_answer(RetryMode::Legacy, row.status, row.code), row.legacy > 1)
        << row.status << " " << row.code;
    EXPECT_EQ(is_retryable_sts_answer(RetryMode::Standard, row.status, row.code), row.standard > 1)
        << row.status << " " << row.code;
    EXPECT_EQ(attempts_for(RetryMode::Legacy, row.status, row.code), row.legacy)
        << "legacy " << row.status << " " << row.code;
    EXPECT_EQ(attempts_for(RetryMode::Standard, row.status, row.code), row.standard)
        << "standard " << row.status << " " << row.code;
  }
}

TEST(StsClientRetries, NonRecoverableCodesAreNeverRetriedEvenWithARetryableStatus) {
  // botocore would retry these on a 500/503; no retry can fix them, so awsauth does not.
  for (const std::string code :
       {"AccessDenied", "IDPRejectedClaim", "InvalidIdentityToken", "MalformedPolicyDocument",
        "PackedPolicyTooLarge", "RegionDisabled"}) {
    for (int status : {400, 403, 429, 500, 503}) {
      EXPECT_FALSE(is_retryable_sts_answer(RetryMode::Standard, status, code)) << code;
      EXPECT_FALSE(is_retryable_sts_answer(RetryMode::Legacy, status, code)) << code;
    }
    EXPECT_EQ(attempts_for(RetryMode::Legacy, 503, code), 1) << code;
  }
}

TEST(StsClientRetries, TransientTransportErrorsAreRetriedInBothModesOthersAreNot) {
  for (auto mode : {RetryMode::Standard, RetryMode::Legacy}) {
    for (auto [kind, retried] :
         {std::pair{HttpErrorKind::ConnectFailed, true}, std::pair{HttpErrorKind::Timeout, true},
          std::pair{HttpErrorKind::ConnectionClosed, true}, std::pair{HttpErrorKind::Tls, false},
          std::pair{HttpErrorKind::Protocol, false},
          std::pair{HttpErrorKind::ResponseTooLarge, false}}) {
      EXPECT_EQ(is_retryable_transport_error(kind), retried);
      auto http = std::make_shared<FixedAnswerHttpClient>(
          [kind = kind]() -> HttpResponse { throw HttpError(kind, "https://sts", "down"); });
      Fixture f(http);
      f.settings.retry_mode = mode;
      try {
        (void)StsClient(f.context, f.settings).call(get_caller_identity_fields(), nullptr, "x");
        ADD_FAILURE() << "expected a failure";
      } catch (const CredentialsError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
        EXPECT_THAT(e.what(), HasSubstr("down"));
      }
      EXPECT_EQ(http->requests, retried ? default_max_attempts(mode) : 1) << to_string(mode);
    }
  }
}

TEST(StsClientRetries, AClientBuiltDirectlyKeepsTheStandardThreeAttempts) {
  Fixture f(std::make_shared<test::QueuedHttpClient>());
  const StsClient client(f.context, f.settings);
  EXPECT_EQ(client.settings().retry_mode, RetryMode::Standard);
  EXPECT_EQ(client.settings().max_attempts, 3);
  f.settings.retry_mode = RetryMode::Legacy;
  EXPECT_EQ(StsClient(f.context, f.settings).settings().max_attempts, 5);
  f.settings.max_attempts = 0;
  EXPECT_EQ(StsClient(f.context, f.settings).settings().max_attempts, 1);
}

TEST(StsClientRetries, MaxAttemptsCountsTheFirstAttemptInBothModes) {
  for (auto mode : {RetryMode::Standard, RetryMode::Legacy}) {
    for (int max : {1, 2, 4, 7}) {
      auto http =
          std::make_shared<FixedAnswerHttpClient>([] { return HttpResponse{.status = 503}; });
      Fixture f(http);
      f.settings.retry_mode = mode;
      f.settings.max_attempts = max;
      try {
        (void)StsClient(f.context, f.settings).call(get_caller_identity_fields(), nullptr, "x");
        ADD_FAILURE();
      } catch (const StsServiceError& e) {
        EXPECT_EQ(e.status(), 503);
        if (max > 1) {
          EXPECT_THAT(e.what(), HasSubstr("after " + std::to_string(max) + " attempts"));
        } else {
          EXPECT_THAT(e.what(), Not(HasSubstr("attempts")));
        }
      }
      EXPECT_EQ(http->requests, max) << to_string(mode);
      EXPECT_EQ(f.sleeps.size(), static_cast<std::size_t>(max - 1)) << to_string(mode);
    }
  }
}

TEST(StsClientRetries, BackoffIsFullJitterOfOneSecondDoublingCappedAtTwentyInBothModes) {
  for (auto mode : {RetryMode::Standard, RetryMode::Legacy}) {
    auto http = std::make_shared<FixedAnswerHttpClient>([] { return HttpResponse{.status = 500}; });
    Fixture f(http, 1.0);  // the largest draw: the bound itself
    f.settings.retry_mode = mode;
    f.settings.max_attempts = 8;
    EXPECT_THROW(
        (void)StsClient(f.context, f.settings).call(get_caller_identity_fields(), nullptr, "x"),
        CredentialsError);
    EXPECT_EQ(f.sleeps, (std::vector<std::chrono::milliseconds>{1s, 2s, 4s, 8s, 16s, 20s, 20s}))
        << to_string(mode);
  }
  // The draw scales the bound: 0.25 * 1 s, 0.25 * 2 s.
  auto http = std::make_shared<FixedAnswerHttpClient>([] { return HttpResponse{.status = 502}; });
  Fixture f(http, 0.25);
  f.settings.retry_mode = RetryMode::Legacy;
  f.settings.max_attempts = 3;
  EXPECT_THROW(
      (void)StsClient(f.context, f.settings).call(get_caller_identity_fields(), nullptr, "x"),
      CredentialsError);
  EXPECT_EQ(f.sleeps, (std::vector<std::chrono::milliseconds>{250ms, 500ms}));
}

TEST(StsClientRetries, StandardQuotaRunsOutAfterFiftyFailingCallsOfThreeAttempts) {
  auto http = std::make_shared<FixedAnswerHttpClient>([] { return HttpResponse{.status = 500}; });
  Fixture f(http);
  f.settings.retry_mode = RetryMode::Standard;
  const StsClient client(f.context, f.settings);
  EXPECT_EQ(client.retry_quota_available(), 500);
  // Each failing call retries twice at 5 tokens: 50 calls take all 500 (botocore shows the same
  // 50 x 3 requests, then 1 per call).
  for (int call = 0; call < 50; ++call) {
    EXPECT_THROW((void)client.call(get_caller_identity_fields(), nullptr, "x"), CredentialsError);
  }
  EXPECT_EQ(http->requests, 150);
  EXPECT_EQ(client.retry_quota_available(), 0);
  try {
    (void)client.call(get_caller_identity_fields(), nullptr, "x");
    FAIL();
  } catch (const StsServiceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("HTTP 500"));
    EXPECT_THAT(e.what(), HasSubstr("retry quota exhausted"));
  }
  EXPECT_EQ(http->requests, 151);
}

TEST(StsClientRetries, SuccessRefillsTheQuotaByTheLastRetrysCostOrOne) {
  // Two timeouts (10 tokens per retry), then success: the last retry's 10 come back.
  int sent = 0;
  auto http = std::make_shared<FixedAnswerHttpClient>([&sent]() -> HttpResponse {
    if (++sent <= 2) throw HttpError(HttpErrorKind::Timeout, "https://sts", "timed out");
    return HttpResponse{.status = 200, .body = "ok"};
  });
  Fixture f(http);
  f.settings.retry_mode = RetryMode::Standard;
  const StsClient client(f.context, f.settings);
  EXPECT_EQ(client.call(get_caller_identity_fields(), nullptr, "x"), "ok");
  EXPECT_EQ(client.retry_quota_available(), 500 - 20 + 10);
  // A call that needed no retry gives back 1.
  EXPECT_EQ(client.call(get_caller_identity_fields(), nullptr, "x"), "ok");
  EXPECT_EQ(client.retry_quota_available(), 491);
  // A success never lifts the quota above its initial 500.
  auto queued = std::make_shared<test::QueuedHttpClient>();
  queued->answers = {{.status = 200, .body = "ok"}};
  f.context.http = queued;
  const StsClient fresh(f.context, f.settings);
  EXPECT_EQ(fresh.call(get_caller_identity_fields(), nullptr, "x"), "ok");
  EXPECT_EQ(fresh.retry_quota_available(), 500);
}

TEST(StsClientRetries, TimeoutsCostTwiceAsMuchQuota) {
  auto http = std::make_shared<FixedAnswerHttpClient>(
      []() -> HttpResponse { throw HttpError(HttpErrorKind::Timeout, "https://sts", "slow"); });
  Fixture f(http);
  f.settings.retry_mode = RetryMode::Standard;
  const StsClient client(f.context, f.settings);
  for (int call = 0; call < 25; ++call) {
    EXPECT_THROW((void)client.call(get_caller_identity_fields(), nullptr, "x"), CredentialsError);
  }
  EXPECT_EQ(client.retry_quota_available(), 0);
  EXPECT_EQ(http->requests, 75);
  try {
    (void)client.call(get_caller_identity_fields(), nullptr, "x");
    FAIL();
  } catch (const CredentialsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("(retry quota exhausted)"));
  }
  EXPECT_EQ(http->requests, 76);
}

TEST(StsClientRetries, LegacyModeHasNoQuota) {
  auto http = std::make_shared<FixedAnswerHttpClient>([] { return HttpResponse{.status = 503}; });
  Fixture f(http, 0.0);
  f.settings.retry_mode = RetryMode::Legacy;
  const StsClient client(f.context, f.settings);
  for (int call = 0; call < 40; ++call) {
    EXPECT_THROW((void)client.call(get_caller_identity_fields(), nullptr, "x"), CredentialsError);
  }
  EXPECT_EQ(http->requests, 200);  // 40 calls x 5 attempts; 160 retries would cost 800 tokens
  EXPECT_EQ(client.retry_quota_available(), 500);
}

TEST(StsClientRetries, TheQuotaIsSharedByThreadsCallingOneClient) {
  auto http = std::make_shared<FixedAnswerHttpClient>([] { return HttpResponse{.status = 500}; });
  Context context;
  context.clock = std::make_shared<ManualClock>(TimePoint{} + std::chrono::hours(500000));
  context.random = std::make_shared<FixedRandom>(0.0);
  context.http = http;
  StsClientSettings settings;
  settings.endpoint = {"https://sts.us-east-1.amazonaws.com", "us-east-1"};
  settings.retry_mode = RetryMode::Standard;
  settings.sleep = [](std::chrono::milliseconds) {};
  const StsClient client(context, settings);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&client] {
      for (int call = 0; call < 10; ++call) {
        try {
          (void)client.call(get_caller_identity_fields(), nullptr, "x");
        } catch (const CredentialsError&) {
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  // 40 calls, each two retries at 5 tokens.
  EXPECT_EQ(client.retry_quota_available(), 100);
  EXPECT_EQ(http->requests, 120);
}

TEST(StsClientRetries, MakeStsClientResolvesOnlyTheSettingsLeftUnset) {
  auto env = std::make_shared<MapEnvironment>(std::map<std::string, std::string, std::less<>>{
      {"AWS_REGION", "us-east-1"}, {"AWS_RETRY_MODE", "standard"}, {"AWS_MAX_ATTEMPTS", "6"}});
  Context context;
  context.environment = env;
  auto resolved = [&](StsClientSettings s) {
    const auto client = make_sts_client(context, nullptr, "assume-role", std::move(s));
    const auto& out = client->settings();  // the client must outlive the reference
    return RetryConfig{*out.retry_mode, *out.max_attempts};
  };
  EXPECT_EQ(resolved({}), (RetryConfig{RetryMode::Standard, 6}));
  StsClientSettings attempts_in_code;
  attempts_in_code.max_attempts = 2;  // what API users did before retry modes existed
  EXPECT_EQ(resolved(attempts_in_code), (RetryConfig{RetryMode::Standard, 2}));
  StsClientSettings mode_in_code;
  mode_in_code.retry_mode = RetryMode::Legacy;
  EXPECT_EQ(resolved(mode_in_code), (RetryConfig{RetryMode::Legacy, 6}));

  env->unset("AWS_RETRY_MODE");
  env->unset("AWS_MAX_ATTEMPTS");
  EXPECT_EQ(resolved({}), (RetryConfig{RetryMode::Legacy, 5}));
  Profile profile{.name = "dev", .properties = {{"max_attempts", {"-2", "/cfg", 3}}}};
  try {
    (void)make_sts_client(context, &profile, "assume-role-with-web-identity", {});
    FAIL();
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
    EXPECT_EQ(e.provider(), "assume-role-with-web-identity");
    EXPECT_THAT(e.what(), HasSubstr("`-2` (from max_attempts in /cfg:3 (profile `dev`))"));
  }
}

}  // namespace
}  // namespace awsauth::providers
