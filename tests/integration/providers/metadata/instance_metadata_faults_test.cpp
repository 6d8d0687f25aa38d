// Faults at every step of the IMDS exchange (token PUT, role listing, credentials document),
// with the real Poco client against a loopback IMDS: refused and timed-out connects, silence,
// trickles, 5xx storms, throttling, cut-off and oversized bodies, redirects, hostile text in
// every field the provider reads, clock jumps, and keep-alive. Each test checks the error kind,
// the message, what reached the server, and an upper bound on the time taken.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

#include "awsauth/caching.hpp"
#include "awsauth/context.hpp"
#include "awsauth/detail/json.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/metadata/instance_metadata.hpp"
#include "expect_credentials_error.hpp"
#include "fake_imds.hpp"
#include "fault_checks.hpp"
#include "loopback_server.hpp"
#include "test_context.hpp"
#include "unaccepting_port.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using test::imds_document;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;
using test::Stopwatch;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kTokenPath = test::kImdsTokenPath;
constexpr const char* kListingPath = test::kImdsListingPath;
constexpr const char* kDocumentPath = "/latest/meta-data/iam/security-credentials/web-role";
// AWS_METADATA_SERVICE_TIMEOUT for the suite: each exchange costs at most this much.
constexpr auto kTimeout = 500ms;
// Slack on top of the configured timeouts for a loaded two-core machine.
constexpr auto kSlack = 2s;

const TimePoint kStart = TimePoint{} + std::chrono::seconds(1'900'000'000);

using awsauth::detail::json_string;

// Answers `response` to every request for `path` (any path when empty).
std::function<std::optional<ScriptedResponse>(const RecordedRequest&)> on(
    std::string path, ScriptedResponse response) {
  return [path = std::move(path), response = std::move(response)](
             const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    if (path.empty() || r.path == path) return response;
    return std::nullopt;
  };
}

class InstanceMetadataFaults : public ::testing::Test {
 protected:
  test::FakeImds imds;
  LoopbackServer server{imds.handler()};
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();
  std::shared_ptr<ManualClock> clock;  // set: the provider's context uses it

  InstanceMetadataFaults() {
    env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("/"));
    env->set("AWS_METADATA_SERVICE_TIMEOUT", "0.5");
    env->set("HTTP_PROXY", "http://127.0.0.1:9");  // must be ignored
  }

  Context context() const {
    Context c = test::loopback_context(env, std::make_shared<MapFileSystem>(), 0.0);
    if (clock) c.clock = clock;
    return c;
  }

  std::unique_ptr<InstanceMetadataProvider> provider() const {
    return std::make_unique<InstanceMetadataProvider>(context());
  }

  // get() must fail with `kind` within `bound`, with a printable message free of the secret.
  std::string expect_error(InstanceMetadataProvider& p, ErrorKind kind,
                           std::chrono::milliseconds bound) {
    auto message = test::expect_error_within(p, kind, bound, "iam-role", "s3cr3t");
    test::expect_printable_message(message);
    test::expect_no_injected_header(server);
    return message;
  }
  std::string expect_error(ErrorKind kind, std::chrono::milliseconds bound) {
    return expect_error(*provider(), kind, bound);
  }

  std::size_t requests_for(std::string_view path) const {
    std::size_t n = 0;
    for (const auto& r : server.requests()) n += r.path == path ? 1 : 0;
    return n;
  }
};

// --- connection refused, connect timeout --------------------------------------------------------

TEST_F(InstanceMetadataFaults, ConnectionRefusedIsNotConfiguredAtOnceEvenWithThreeAttempts) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3");
  env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT",
           "http://127.0.0.1:" + std::to_string(test::closed_port()));
  const auto message = expect_error(ErrorKind::NotConfigured, 1500ms);
  EXPECT_THAT(message, HasSubstr("did not answer"));
  EXPECT_THAT(message, HasSubstr("after 3 attempts"));
}

TEST_F(InstanceMetadataFaults, ConnectTimeoutCostsTheTimeoutForTheTokenAndTheListingOnly) {
  test::UnacceptingPort port;
  env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", port.url("/"));
  const Stopwatch watch;
  // The PUT times out and falls back to IMDSv1 at once; the listing GET times out: not on EC2.
  const auto message = expect_error(ErrorKind::NotConfigured, 2 * kTimeout + kSlack);
  EXPECT_GE(watch.elapsed(), 2 * kTimeout - 50ms);
  EXPECT_THAT(message, HasSubstr("timed out"));
  EXPECT_THAT(message, HasSubstr(kListingPath));
}

TEST_F(InstanceMetadataFaults, ConnectTimeoutAfterCredentialsWereSuppliedIsAProviderFailure) {
  auto p = provider();
  (void)p->get();
  test::UnacceptingPort port;
  env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", port.url("/"));
  (void)expect_error(*p, ErrorKind::ProviderFailure, 2 * kTimeout + kSlack);
}

// --- silence, slow answers, trickles -----------------------------------------------------------

TEST_F(InstanceMetadataFaults, TokenNeverAnsweredFallsBackToImdsV1AfterOneTimeout) {
  imds.fault = on(kTokenPath, {.never_answer = true});
  auto p = provider();
  const Stopwatch watch;
  EXPECT_EQ(p->get()->access_key_id(), "ASIALOOP");
  EXPECT_LT(watch.elapsed(), kTimeout + kSlack);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].header("X-aws-ec2-metadata-token"), nullptr);
}

TEST_F(InstanceMetadataFaults, ListingHeadersLateIsTimeoutAndRetriedPerAttempt) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
  imds.fault = on(kListingPath, {.body = "web-role", .delay_before_headers = 3s});
  const auto message = expect_error(ErrorKind::ProviderFailure, 2 * kTimeout + kSlack);
  EXPECT_THAT(message, HasSubstr(kListingPath));
  EXPECT_THAT(message, HasSubstr("after 2 attempts"));
  EXPECT_EQ(requests_for(kListingPath), 2u);
  EXPECT_EQ(requests_for(kDocumentPath), 0u);
}

TEST_F(InstanceMetadataFaults, DocumentNeverAnsweredIsAProviderFailureAfterTheTimeout) {
  imds.fault = on(kDocumentPath, {.never_answer = true});
  const auto message = expect_error(ErrorKind::ProviderFailure, kTimeout + kSlack);
  EXPECT_THAT(message, HasSubstr(kDocumentPath));
}

TEST_F(InstanceMetadataFaults, DocumentTrickledMidBodyIsCutOffAtTheTimeout) {
  imds.fault =
      on(kDocumentPath, {.body = imds_document(), .trickle_interval = 40ms});  // ~6 s whole
  const auto message = expect_error(ErrorKind::ProviderFailure, kTimeout + kSlack);
  EXPECT_THAT(message, HasSubstr(kDocumentPath));
  EXPECT_THAT(message, HasSubstr("500 ms"));
}

TEST_F(InstanceMetadataFaults, TokenTrickledHeadersFallBackToImdsV1) {
  imds.fault =
      on(kTokenPath, {.body = "token-x", .trickle_interval = 40ms, .trickle_headers = true});
  auto p = provider();
  const Stopwatch watch;
  EXPECT_EQ(p->get()->access_key_id(), "ASIALOOP");
  EXPECT_LT(watch.elapsed(), kTimeout + kSlack);
}

// --- 5xx storms and throttling -----------------------------------------------------------------

class InstanceMetadataStorm : public InstanceMetadataFaults,
                              public ::testing::WithParamInterface<int> {};

TEST_P(InstanceMetadataStorm, EveryAnswerAnErrorExhaustsTheAttemptsOfEachStepOnce) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3");
  imds.fault = on("", {.status = GetParam()});
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("HTTP " + std::to_string(GetParam())));
  EXPECT_THAT(message, HasSubstr(kListingPath));
  EXPECT_THAT(message, HasSubstr("after 3 attempts"));
  // Three token PUTs (then IMDSv1), three listing GETs, nothing more.
  EXPECT_EQ(requests_for(kTokenPath), 3u);
  EXPECT_EQ(requests_for(kListingPath), 3u);
  EXPECT_EQ(server.request_count(), 6u);
}

INSTANTIATE_TEST_SUITE_P(Statuses, InstanceMetadataStorm, ::testing::Values(500, 503, 429));

TEST_F(InstanceMetadataFaults, DocumentThrottledOnEveryAttemptNamesTheStatus) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
  imds.fault = on(kDocumentPath, {.status = 429});
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("HTTP 429 Too Many Requests"));
  EXPECT_EQ(requests_for(kDocumentPath), 2u);
}

// --- cut-off and oversized bodies --------------------------------------------------------------

TEST_F(InstanceMetadataFaults, ListingCutOffIsRetriedThenAProviderFailure) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
  imds.fault = on(kListingPath, {.body = "web-", .content_length = 8});
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("connection closed after 4 of 8 body bytes"));
  EXPECT_EQ(requests_for(kListingPath), 2u);
}

TEST_F(InstanceMetadataFaults, TokenCutOffFallsBackToImdsV1) {
  imds.fault = on(kTokenPath, {.body = "tok", .content_length = 50});
  auto p = provider();
  EXPECT_EQ(p->get()->access_key_id(), "ASIALOOP");
  EXPECT_EQ(server.requests()[1].header("X-aws-ec2-metadata-token"), nullptr);
}

TEST_F(InstanceMetadataFaults, OversizedDocumentIsRefusedAtOnceWithoutRetrying) {
  env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3");
  imds.fault = on(kDocumentPath, {.body = std::string(64 * 1024 + 1, ' ') + imds_document()});
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("exceeds the limit of 65536"));
  EXPECT_EQ(requests_for(kDocumentPath), 1u);
}

// A too-large answer is an answer: the service is there (and broken), so the chain must not
// move on as if this were not EC2.
TEST_F(InstanceMetadataFaults, OversizedTokenIsRefusedAtOnceAsAProviderFailure) {
  imds.fault = on(kTokenPath, {.body = std::string(64 * 1024 + 1, 'A')});
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("exceeds the limit"));
  EXPECT_EQ(server.request_count(), 1u);
}

// --- redirects ---------------------------------------------------------------------------------

class InstanceMetadataRedirect : public InstanceMetadataFaults,
                                 public ::testing::WithParamInterface<int> {};

TEST_P(InstanceMetadataRedirect, OnTheListingIsNeverFollowed) {
  LoopbackServer elsewhere;
  elsewhere.enqueue({.body = "web-role"});
  imds.fault = on(kListingPath,
                  {.status = GetParam(), .headers = {{"Location", elsewhere.url(kListingPath)}}});
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("HTTP " + std::to_string(GetParam())));
  EXPECT_THAT(message, HasSubstr(kListingPath));
  EXPECT_EQ(elsewhere.connection_count(), 0u);
  EXPECT_EQ(requests_for(kDocumentPath), 0u);
}

TEST_P(InstanceMetadataRedirect, OnTheDocumentIsNeverFollowed) {
  LoopbackServer elsewhere;
  elsewhere.enqueue({.body = imds_document()});
  imds.fault = on(kDocumentPath,
                  {.status = GetParam(), .headers = {{"Location", elsewhere.url(kDocumentPath)}}});
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("HTTP " + std::to_string(GetParam())));
  EXPECT_EQ(elsewhere.connection_count(), 0u);
}

TEST_P(InstanceMetadataRedirect, OnTheTokenFallsBackToImdsV1WithoutFollowing) {
  LoopbackServer elsewhere;
  elsewhere.enqueue({.body = "token-elsewhere"});
  imds.fault =
      on(kTokenPath, {.status = GetParam(), .headers = {{"Location", elsewhere.url(kTokenPath)}}});
  EXPECT_EQ(provider()->get()->access_key_id(), "ASIALOOP");
  EXPECT_EQ(elsewhere.connection_count(), 0u);
  EXPECT_EQ(server.requests()[1].header("X-aws-ec2-metadata-token"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Statuses, InstanceMetadataRedirect, ::testing::Values(301, 302, 307));

// --- hostile text in every field the provider reads ---------------------------------------------

class InstanceMetadataHostileText : public InstanceMetadataFaults,
                                    public ::testing::WithParamInterface<std::string> {};

TEST_P(InstanceMetadataHostileText, InTheTokenIsRefusedAndNeverSent) {
  imds.fault = on(kTokenPath, {.body = "tok" + GetParam()});
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("not visible ASCII"));
  EXPECT_EQ(server.request_count(), 1u);  // no GET carried it
}

TEST_P(InstanceMetadataHostileText, InTheRoleListingNeverReachesARequestOrTheMessageRaw) {
  imds.fault = on(kListingPath, {.body = "web-role" + GetParam()});
  (void)expect_error(ErrorKind::ProviderFailure, kSlack);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  // Only the first line names the role; what is left of it is percent-encoded into the path.
  EXPECT_THAT(requests[2].path, HasSubstr(std::string(kListingPath) + "web-role"));
  if (GetParam().front() == '\x1b') {
    EXPECT_THAT(requests[2].path, HasSubstr("web-role%1B%5B2J"));
  }
}

TEST_P(InstanceMetadataHostileText, InTheDocumentCodeAndMessageIsEscapedInTheMessage) {
  imds.document_body = [] {
    return R"({"Code":)" + json_string(GetParam()) + R"(,"Message":)" + json_string(GetParam()) +
           "}";
  };
  const auto message = expect_error(ErrorKind::NonRecoverable, kSlack);
  EXPECT_THAT(message, HasSubstr("Code '" + printable(GetParam()) + "'"));
}

TEST_P(InstanceMetadataHostileText, InTheDocumentExpirationIsEscapedInTheMessage) {
  imds.document_body = [] {
    return R"({"Code":"Success","AccessKeyId":"ASIALOOP","SecretAccessKey":"s3cr3t",)"
           R"("Token":"sess","Expiration":)" +
           json_string("2031-02-03T04:05:06Z" + GetParam()) + "}";
  };
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("Expiration"));
}

TEST_P(InstanceMetadataHostileText, InTheDocumentAccessKeyIdIsRefused) {
  imds.document_body = [] {
    return R"({"Code":"Success","AccessKeyId":)" + json_string("ASIALOOP" + GetParam()) +
           R"(,"SecretAccessKey":"s3cr3t","Token":"sess","Expiration":"2031-02-03T04:05:06Z"})";
  };
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("AccessKeyId"));
}

TEST_P(InstanceMetadataHostileText, InTheDocumentSecretOrTokenIsRefusedWithoutQuotingIt) {
  for (const std::string field : {"SecretAccessKey", "Token"}) {
    imds.document_body = [field] {
      std::string secret = field == "SecretAccessKey" ? "s3cr3t" + GetParam() : "s3cr3t";
      std::string token = field == "Token" ? "s3cr3t" + GetParam() : "sess";
      return R"({"Code":"Success","AccessKeyId":"ASIALOOP","SecretAccessKey":)" +
             json_string(secret) + R"(,"Token":)" + json_string(token) +
             R"(,"Expiration":"2031-02-03T04:05:06Z"})";
    };
    const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
    EXPECT_THAT(message, HasSubstr(field));
  }
}

TEST_F(InstanceMetadataFaults, TerminalEscapesInTheReasonPhraseOfAnErrorAreNeverShownRaw) {
  // A reason phrase cannot hold CR or LF (they end the status line); ESC and BEL it can.
  imds.fault = on(kListingPath, {.status = 500, .reason = "Oops" + test::kTerminalEscapes});
  (void)expect_error(ErrorKind::ProviderFailure, kSlack);
}

INSTANTIATE_TEST_SUITE_P(Texts, InstanceMetadataHostileText,
                         ::testing::ValuesIn(test::kHostileTexts), test::hostile_text_name);

// --- the clock jumps ---------------------------------------------------------------------------

TEST_F(InstanceMetadataFaults, TokenIsKeptWhenTheClockJumpsBackAndRenewedOnceWhenItJumpsAhead) {
  clock = std::make_shared<ManualClock>(kStart);
  auto p = provider();
  (void)p->get();
  clock->set(kStart - 1h);
  (void)p->get();
  (void)p->get();
  EXPECT_EQ(imds.tokens_issued.load(), 1);
  clock->set(kStart + 24h);
  (void)p->get();
  (void)p->get();
  EXPECT_EQ(imds.tokens_issued.load(), 2);
  EXPECT_EQ(server.request_count(), 1u + 2u * 3u + 1u + 2u * 2u);
}

TEST_F(InstanceMetadataFaults, TokenKeptPastItsRealLifeAfterABackwardJumpIsReplacedOnceOn401) {
  clock = std::make_shared<ManualClock>(kStart + 24h);
  auto p = provider();
  (void)p->get();
  // The clock is corrected a day back: the token looks good for another 30 hours, but IMDS
  // has expired it. The 401 replaces it once; no storm.
  clock->set(kStart);
  imds.fault = [](const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    const std::string* token = r.header("X-aws-ec2-metadata-token");
    if (r.method == "GET" && token != nullptr && *token == "token-1") {
      return ScriptedResponse{.status = 401};
    }
    return std::nullopt;
  };
  EXPECT_EQ(p->get()->access_key_id(), "ASIALOOP");
  (void)p->get();
  EXPECT_EQ(imds.tokens_issued.load(), 2);
}

class InstanceMetadataCachedClock : public InstanceMetadataFaults {
 protected:
  InstanceMetadataCachedClock() {
    clock = std::make_shared<ManualClock>(kStart);
    // IMDS issues six-hour credentials by the clock in force when asked.
    imds.document_body = [this] {
      return imds_document(format_iso8601(clock->now() + 6h), "ASIA" + std::to_string(++issued));
    };
  }
  std::shared_ptr<CachingProvider> cache(RefreshPolicy policy = {}) {
    return std::make_shared<CachingProvider>(std::shared_ptr<CredentialsProvider>(provider()),
                                             std::move(policy), clock,
                                             std::make_shared<FixedRandom>(0.0));
  }
  std::atomic<int> issued{0};
};

TEST_F(InstanceMetadataCachedClock, BackwardJumpCausesNoRefreshAndForwardJumpExactlyOne) {
  auto c = cache();
  EXPECT_EQ(c->get()->access_key_id(), "ASIA1");
  clock->set(kStart - 1h);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c->get()->access_key_id(), "ASIA1");
  EXPECT_EQ(c->stats().source_calls, 1u);
  clock->set(kStart + 24h);
  for (int i = 0; i < 5; ++i) {
    const auto creds = c->get();
    EXPECT_EQ(creds->access_key_id(), "ASIA2");
    EXPECT_FALSE(creds->expired_at(clock->now()));
  }
  EXPECT_EQ(c->stats().source_calls, 2u);
  EXPECT_EQ(server.request_count(), 3u + 3u);  // a new token too: the old one is a day old
}

TEST_F(InstanceMetadataCachedClock,
       ForwardJumpWhileImdsIsDownServesNothingExpiredWithoutStability) {
  RefreshPolicy policy;
  policy.static_stability = {};
  auto c = cache(policy);
  (void)c->get();
  env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT",
           "http://127.0.0.1:" + std::to_string(test::closed_port()));
  clock->set(kStart + 24h);
  const Stopwatch watch;
  try {
    (void)c->get();
    ADD_FAILURE() << "expired credentials were served";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure) << e.what();
  }
  EXPECT_LT(watch.elapsed(), kSlack);
}

TEST_F(InstanceMetadataCachedClock, ForwardJumpWhileImdsIsDownRidesOutWithStabilityAndBacksOff) {
  auto c = cache();  // standard policy: every source statically stable
  (void)c->get();
  env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT",
           "http://127.0.0.1:" + std::to_string(test::closed_port()));
  clock->set(kStart + 24h);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(c->get()->access_key_id(), "ASIA1");
  EXPECT_EQ(c->stats().source_calls, 2u);  // one failed refresh, then the backoff holds
}

// --- keep-alive --------------------------------------------------------------------------------

TEST_F(InstanceMetadataFaults, TokenRoleAndDocumentShareOneConnectionAndTheNextGetReusesIt) {
  server.set_keep_alive(true);
  auto p = provider();
  const Stopwatch watch;
  (void)p->get();
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(server.connection_count(), 1u);
  (void)p->get();
  EXPECT_EQ(server.request_count(), 5u);
  EXPECT_EQ(server.connection_count(), 1u);
  EXPECT_LT(watch.elapsed(), kSlack);
}

TEST_F(InstanceMetadataFaults, IdleConnectionClosedByTheServerIsReplacedAndTheGetSucceeds) {
  server.set_keep_alive(true);
  auto p = provider();
  (void)p->get();
  server.close_idle_connections();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(p->get()->access_key_id(), "ASIALOOP");
  EXPECT_EQ(server.connection_count(), 2u);
  EXPECT_EQ(server.request_count(), 5u);
}

TEST_F(InstanceMetadataFaults, KeptConnectionDroppedAsTheRequestArrivesIsRetriedOnANewOne) {
  server.set_keep_alive(true);
  auto p = provider();
  (void)p->get();
  std::atomic<bool> dropped{false};
  imds.fault = [&](const RecordedRequest& r) -> std::optional<ScriptedResponse> {
    if (r.path == kListingPath && !dropped.exchange(true)) {
      return ScriptedResponse{.close_without_response = true};
    }
    return std::nullopt;
  };
  const Stopwatch watch;
  EXPECT_EQ(p->get()->access_key_id(), "ASIALOOP");
  EXPECT_LT(watch.elapsed(), kSlack);
  EXPECT_EQ(requests_for(kListingPath), 3u);  // first get, dropped, retried
  EXPECT_EQ(server.connection_count(), 2u);
}

}  // namespace
}  // namespace awsauth::providers
