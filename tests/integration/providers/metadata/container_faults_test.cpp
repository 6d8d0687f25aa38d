// Faults at the container credentials endpoint (ECS task roles, EKS Pod Identity), with the
// real Poco client against a loopback endpoint: refused and timed-out connects, silence,
// trickles, 5xx storms, throttling, cut-off and oversized bodies, redirects, hostile text in
// every field the provider reads, and keep-alive. Each test checks the error kind, the message,
// what reached the server, and an upper bound on the time taken.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "awsauth/context.hpp"
#include "awsauth/detail/json.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/metadata/container.hpp"
#include "expect_credentials_error.hpp"
#include "fault_checks.hpp"
#include "loopback_server.hpp"
#include "test_context.hpp"
#include "unaccepting_port.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::RecordedRequest;
using test::ScriptedResponse;
using test::Stopwatch;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto kTimeout = 400ms;  // per exchange
constexpr int kAttempts = 3;
constexpr auto kBackoff = 20ms;  // then 40 ms
constexpr auto kSlack = 2s;

using awsauth::detail::json_string;

struct Fields {
  std::string key = "\"ASIAECS\"";
  std::string secret = "\"s3cr3t\"";
  std::string token = "\"sess\"";
  std::string account = "\"210987654321\"";
  std::string expiration = "\"2031-02-03T04:05:06Z\"";
};

std::string document(const Fields& f = {}) {
  return R"({"AccessKeyId":)" + f.key + R"(,"SecretAccessKey":)" + f.secret + R"(,"Token":)" +
         f.token + R"(,"AccountId":)" + f.account + R"(,"Expiration":)" + f.expiration + "}";
}

class ContainerFaults : public ::testing::Test {
 protected:
  LoopbackServer server;
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();
  ContainerProviderOptions options{.timeout = kTimeout, .attempts = kAttempts, .backoff = kBackoff};

  ContainerFaults() {
    env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url("/v1/credentials"));
    env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "pod-token");
    env->set("HTTP_PROXY", "http://127.0.0.1:9");  // must be ignored
  }

  ContainerProvider provider() const {
    return ContainerProvider(test::loopback_context(env, std::make_shared<MapFileSystem>(), 0.0),
                             options);
  }

  // The whole of `attempts` attempts that each take up to `each`, plus the pauses between them.
  static std::chrono::milliseconds all_attempts(std::chrono::milliseconds each) {
    return kAttempts * each + 3 * kBackoff + kSlack;
  }

  std::string expect_error(ErrorKind kind, std::chrono::milliseconds bound) {
    auto p = provider();
    auto message = test::expect_error_within(p, kind, bound, "container-role", "s3cr3t");
    EXPECT_THAT(message, Not(HasSubstr("pod-token")));
    test::expect_printable_message(message);
    test::expect_no_injected_header(server);
    return message;
  }
};

// --- connection refused, connect timeout --------------------------------------------------------

TEST_F(ContainerFaults, ConnectionRefusedIsRetriedThenAProviderFailureAtOnce) {
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
           "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/v1/credentials");
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(0ms));
  EXPECT_THAT(message, HasSubstr("cannot connect"));
  EXPECT_THAT(message, HasSubstr("after 3 attempts"));
}

TEST_F(ContainerFaults, ConnectTimeoutCostsTheTimeoutPerAttempt) {
  test::UnacceptingPort port;
  env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", port.url("/v1/credentials"));
  const Stopwatch watch;
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(kTimeout));
  EXPECT_GE(watch.elapsed(), kAttempts * kTimeout - 50ms);
  EXPECT_THAT(message, HasSubstr("connect timed out"));
  EXPECT_THAT(message, HasSubstr("after 3 attempts"));
}

// --- silence, slow answers, trickles -----------------------------------------------------------

TEST_F(ContainerFaults, NeverAnsweredCostsTheTimeoutPerAttempt) {
  for (int i = 0; i < kAttempts; ++i) server.enqueue({.never_answer = true});
  (void)expect_error(ErrorKind::ProviderFailure, all_attempts(kTimeout));
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(ContainerFaults, LateHeadersThenAnAnswerInTimeSupplies) {
  server.enqueue({.body = document(), .delay_before_headers = 2s});
  server.enqueue({.body = document()});
  auto p = provider();
  const Stopwatch watch;
  EXPECT_EQ(p.get()->access_key_id(), "ASIAECS");
  EXPECT_LT(watch.elapsed(), kTimeout + kBackoff + kSlack);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(ContainerFaults, TrickledBodyIsCutOffAtTheTimeoutOfEachAttempt) {
  for (int i = 0; i < kAttempts; ++i) {
    server.enqueue({.body = document(), .trickle_interval = 50ms});  // ~7 s whole
  }
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(kTimeout));
  EXPECT_THAT(message, HasSubstr("400 ms"));
  EXPECT_EQ(server.request_count(), 3u);
}

// --- 5xx storms and throttling -----------------------------------------------------------------

class ContainerStorm : public ContainerFaults, public ::testing::WithParamInterface<int> {};

TEST_P(ContainerStorm, EveryAttemptAServerErrorIsAProviderFailureNamingTheStatus) {
  server.set_handler([](const RecordedRequest&) { return ScriptedResponse{.status = GetParam()}; });
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(0ms));
  EXPECT_THAT(message, HasSubstr("HTTP " + std::to_string(GetParam())));
  EXPECT_THAT(message, HasSubstr(server.url("/v1/credentials")));
  EXPECT_EQ(server.request_count(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Statuses, ContainerStorm, ::testing::Values(500, 502, 503));

TEST_F(ContainerFaults, ThrottlingIsAProviderFailureAtOnceWithoutHammering) {
  server.set_handler([](const RecordedRequest&) { return ScriptedResponse{.status = 429}; });
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("HTTP 429 Too Many Requests"));
  EXPECT_EQ(server.request_count(), 1u);
}

// --- cut-off and oversized bodies --------------------------------------------------------------

TEST_F(ContainerFaults, CutOffBodyOnEveryAttemptIsAProviderFailure) {
  const std::string whole = document();
  server.set_handler([&](const RecordedRequest&) {
    return ScriptedResponse{.body = whole.substr(0, 30), .content_length = whole.size()};
  });
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(0ms));
  EXPECT_THAT(message, HasSubstr("connection closed after 30 of"));
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(ContainerFaults, OversizedBodyIsRefusedAtOnce) {
  server.set_handler([](const RecordedRequest&) {
    return ScriptedResponse{.body = std::string(64 * 1024 + 1, ' ') + document()};
  });
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("exceeds the limit of 65536"));
  EXPECT_EQ(server.request_count(), 1u);
}

// --- redirects ---------------------------------------------------------------------------------

class ContainerRedirect : public ContainerFaults, public ::testing::WithParamInterface<int> {};

TEST_P(ContainerRedirect, IsNeverFollowedAndNamesTheStatus) {
  LoopbackServer elsewhere;
  elsewhere.enqueue({.body = document()});
  server.enqueue(
      {.status = GetParam(), .headers = {{"Location", elsewhere.url("/v1/credentials")}}});
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("HTTP " + std::to_string(GetParam())));
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(elsewhere.connection_count(), 0u);  // the token never went elsewhere
}

INSTANTIATE_TEST_SUITE_P(Statuses, ContainerRedirect, ::testing::Values(301, 302, 307));

// --- hostile text in every field the provider reads ---------------------------------------------

class ContainerHostileText : public ContainerFaults,
                             public ::testing::WithParamInterface<std::string> {
 protected:
  void serve(const Fields& f) {
    server.set_handler(
        [body = document(f)](const RecordedRequest&) { return ScriptedResponse{.body = body}; });
  }
};

TEST_P(ContainerHostileText, InTheAccessKeyIdIsRefused) {
  serve({.key = json_string("ASIAECS" + GetParam())});
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(0ms));
  EXPECT_THAT(message, HasSubstr("AccessKeyId"));
}

TEST_P(ContainerHostileText, InTheSecretOrTokenIsRefusedWithoutQuotingIt) {
  serve({.secret = json_string("s3cr3t" + GetParam())});
  EXPECT_THAT(expect_error(ErrorKind::ProviderFailure, all_attempts(0ms)),
              HasSubstr("SecretAccessKey"));
  serve({.token = json_string("s3cr3t" + GetParam())});
  EXPECT_THAT(expect_error(ErrorKind::ProviderFailure, all_attempts(0ms)), HasSubstr("Token"));
}

TEST_P(ContainerHostileText, InTheExpirationIsEscapedInTheMessage) {
  serve({.expiration = json_string("2031-02-03T04:05:06Z" + GetParam())});
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(0ms));
  EXPECT_THAT(message, HasSubstr("Expiration"));
}

TEST_P(ContainerHostileText, InTheAccountIdNeverReachesAMessageRaw) {
  serve({.account = json_string("2109" + GetParam())});
  auto p = provider();
  try {
    const auto credentials = p.get();
    // Accepted: the account id is not sent anywhere by awsauth; printing it goes through
    // the caller. It must at least arrive unchanged, not half-parsed.
    EXPECT_EQ(credentials->account_id(), "2109" + GetParam());
  } catch (const CredentialsError& e) {
    test::expect_printable_message(e.what());
  }
}

TEST_P(ContainerHostileText, InAnErrorDocumentIsNeverQuoted) {
  server.set_handler([](const RecordedRequest&) {
    return ScriptedResponse{.status = 403,
                            .body = R"({"code":)" + json_string(GetParam()) + R"(,"message":)" +
                                    json_string(GetParam()) + "}"};
  });
  (void)expect_error(ErrorKind::NonRecoverable, kSlack);
}

INSTANTIATE_TEST_SUITE_P(Texts, ContainerHostileText, ::testing::ValuesIn(test::kHostileTexts),
                         test::hostile_text_name);

TEST_F(ContainerFaults, TerminalEscapesInTheReasonPhraseAreNeverShownRaw) {
  server.set_handler([](const RecordedRequest&) {
    return ScriptedResponse{.status = 500, .reason = "Oops" + test::kTerminalEscapes};
  });
  (void)expect_error(ErrorKind::ProviderFailure, all_attempts(0ms));
}

// --- keep-alive --------------------------------------------------------------------------------

TEST_F(ContainerFaults, ConsecutiveFetchesShareOneConnection) {
  server.set_keep_alive(true);
  server.set_handler([](const RecordedRequest&) { return ScriptedResponse{.body = document()}; });
  auto p = provider();
  (void)p.get();
  (void)p.get();
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(server.connection_count(), 1u);
  server.close_idle_connections();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(p.get()->access_key_id(), "ASIAECS");
  EXPECT_EQ(server.connection_count(), 2u);
}

}  // namespace
}  // namespace awsauth::providers
