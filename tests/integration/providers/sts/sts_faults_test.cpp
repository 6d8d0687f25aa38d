// Faults at STS for AssumeRole (StsClient + AssumeRoleProvider) and AssumeRoleWithWebIdentity,
// with the real Poco client against a scripted STS on 127.0.0.1: refused and timed-out
// connects, silence, trickles, 5xx storms, throttling, cut-off and oversized bodies, redirects,
// hostile text in the error Code/Message, the reason phrase and the credentials, clock jumps,
// and keep-alive. Each test checks the error kind, the message, what reached the server, and an
// upper bound on the time taken.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "awsauth/caching.hpp"
#include "awsauth/context.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/sts/assume_role.hpp"
#include "awsauth/providers/sts/sts_client.hpp"
#include "awsauth/providers/sts/web_identity.hpp"
#include "awsauth/static_provider.hpp"
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

constexpr auto kTimeout = 400ms;  // connect and whole-exchange deadline of each attempt
constexpr int kAttempts = 3;
constexpr auto kSlack = 2s;
const std::string kRole = "arn:aws:iam::111111111111:role/faults";
const std::string kSourceToken = "source-session-token";
const TimePoint kStart = TimePoint{} + std::chrono::seconds(1'900'000'000);

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20) {
      out += "&#" + std::to_string(c) + ";";  // how an XML writer keeps CR/LF/ESC... as text
    } else if (ch == '<') {
      out += "&lt;";
    } else if (ch == '&') {
      out += "&amp;";
    } else {
      out += ch;
    }
  }
  return out;
}

std::string credentials_xml(const std::string& action, const std::string& key,
                            const std::string& expiration, const std::string& secret = "s3cr3t",
                            const std::string& token = "role-token") {
  return "<" + action + "Response><" + action +
         "Result><AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/faults/s</Arn>"
         "</AssumedRoleUser><Credentials><AccessKeyId>" +
         key + "</AccessKeyId><SecretAccessKey>" + secret + "</SecretAccessKey><SessionToken>" +
         token + "</SessionToken><Expiration>" + expiration + "</Expiration></Credentials></" +
         action + "Result></" + action + "Response>";
}

ScriptedResponse sts_error(int status, const std::string& code, const std::string& message) {
  return {.status = status,
          .body = "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" +
                  message + "</Message></Error><RequestId>r</RequestId></ErrorResponse>"};
}

std::shared_ptr<StaticCredentialsProvider> static_source() {
  return std::make_shared<StaticCredentialsProvider>(
      make_credentials({.access_key_id = "AKIDSOURCE",
                        .secret_access_key = SecretString("source-secret"),
                        .session_token = SecretString(kSourceToken)}));
}

class StsFaults : public ::testing::Test {
 protected:
  LoopbackServer sts;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStart);
  std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();
  std::shared_ptr<MapFileSystem> files = std::make_shared<MapFileSystem>();
  std::string endpoint = sts.url("");

  StsFaults() { files->put("/var/run/oidc/token", "eyJ.web.identity"); }

  Context context() const {
    Context c = test::loopback_context(env, files, 0.5);
    c.clock = clock;
    return c;
  }
  std::shared_ptr<StsClient> client() const {
    StsClientSettings s;
    s.endpoint = {endpoint, "us-east-1"};
    s.http.connect_timeout = kTimeout;
    s.http.total_timeout = kTimeout;
    s.max_attempts = kAttempts;
    s.base_backoff = 10ms;  // real sleeps, short: at most 10 + 20 ms
    s.max_backoff = 20ms;
    return std::make_shared<StsClient>(context(), s);
  }
  std::shared_ptr<AssumeRoleProvider> assume_role() const {
    return std::make_shared<AssumeRoleProvider>(
        context(), client(), static_source(),
        AssumeRoleHop{.profile = "faults", .role_arn = kRole, .role_session_name = "s"});
  }
  std::shared_ptr<WebIdentityProvider> web_identity() const {
    return std::make_shared<WebIdentityProvider>(
        context(), client(),
        WebIdentityConfig{
            .role_arn = kRole, .token_file = "/var/run/oidc/token", .role_session_name = "s"});
  }

  static std::chrono::milliseconds all_attempts(std::chrono::milliseconds each) {
    return kAttempts * each + 30ms + kSlack;
  }

  // get() fails with `kind` within `bound`; the message is printable, free of secrets and of
  // the signing session token; no injected header reached STS.
  std::string expect_error(CredentialsProvider& p, ErrorKind kind,
                           std::chrono::milliseconds bound) {
    const Stopwatch watch;
    try {
      (void)p.get();
    } catch (const CredentialsError& e) {
      EXPECT_LT(watch.elapsed(), bound) << e.what();
      EXPECT_EQ(to_string(e.kind()), std::string(to_string(kind))) << e.what();
      const std::string message = e.what();
      EXPECT_THAT(message, Not(HasSubstr("s3cr3t")));
      EXPECT_THAT(message, Not(HasSubstr(kSourceToken)));
      EXPECT_THAT(message, Not(HasSubstr("source-secret")));
      EXPECT_THAT(message, Not(HasSubstr("eyJ.web.identity")));
      test::expect_printable_message(message);
      test::expect_no_injected_header(sts);
      return message;
    }
    ADD_FAILURE() << "expected a CredentialsError";
    return {};
  }
};

// Every fault is tried on both calls: AssumeRole (signed) and web identity (unsigned).
class StsFaultsBoth : public StsFaults, public ::testing::WithParamInterface<bool> {
 protected:
  std::shared_ptr<CredentialsProvider> provider() const {
    if (GetParam()) return web_identity();
    return assume_role();
  }
  std::string action() const { return GetParam() ? "AssumeRoleWithWebIdentity" : "AssumeRole"; }
  std::string expect_error(ErrorKind kind, std::chrono::milliseconds bound) {
    return StsFaults::expect_error(*provider(), kind, bound);
  }
};

// --- connection refused, connect timeout --------------------------------------------------------

TEST_P(StsFaultsBoth, ConnectionRefusedIsRetriedThenAProviderFailureAtOnce) {
  endpoint = "http://127.0.0.1:" + std::to_string(test::closed_port());
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(0ms));
  EXPECT_THAT(message, HasSubstr("STS " + action() + " at " + endpoint));
  EXPECT_THAT(message, HasSubstr("cannot connect"));
  EXPECT_THAT(message, HasSubstr("after 3 attempts"));
}

TEST_P(StsFaultsBoth, ConnectTimeoutCostsTheTimeoutPerAttempt) {
  test::UnacceptingPort port;
  endpoint = port.url("");
  const Stopwatch watch;
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(kTimeout));
  EXPECT_GE(watch.elapsed(), kAttempts * kTimeout - 50ms);
  EXPECT_THAT(message, HasSubstr("connect timed out"));
  EXPECT_THAT(message, HasSubstr("after 3 attempts"));
}

// --- silence, trickles -------------------------------------------------------------------------

TEST_P(StsFaultsBoth, NeverAnsweredCostsTheTimeoutPerAttempt) {
  sts.set_handler([](const RecordedRequest&) { return ScriptedResponse{.never_answer = true}; });
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(kTimeout));
  EXPECT_THAT(message, HasSubstr("after 3 attempts"));
  EXPECT_EQ(sts.request_count(), 3u);
}

TEST_P(StsFaultsBoth, LateHeadersAreATimeoutAndRetried) {
  sts.enqueue({.body = "late", .delay_before_headers = 3s});
  sts.enqueue({.body = credentials_xml(action(), "ASIAOK", "2031-01-01T00:00:00Z")});
  const Stopwatch watch;
  EXPECT_EQ(provider()->get()->access_key_id(), "ASIAOK");
  EXPECT_LT(watch.elapsed(), kTimeout + kSlack);
  EXPECT_EQ(sts.request_count(), 2u);
}

TEST_P(StsFaultsBoth, TrickledBodyIsCutOffAtTheTimeoutOfEachAttempt) {
  const std::string body = credentials_xml(action(), "ASIASLOW", "2031-01-01T00:00:00Z");
  sts.set_handler([body](const RecordedRequest&) {
    return ScriptedResponse{.body = body, .trickle_interval = 20ms};  // ~8 s whole
  });
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(kTimeout));
  EXPECT_THAT(message, HasSubstr("400 ms"));
  EXPECT_EQ(sts.request_count(), 3u);
}

// --- 5xx storms and throttling -----------------------------------------------------------------

TEST_P(StsFaultsBoth, ServerErrorOnEveryAttemptExhaustsTheAttempts) {
  std::atomic<int> n{0};
  sts.set_handler([&](const RecordedRequest&) {
    return ScriptedResponse{.status = ++n % 2 == 0 ? 503 : 500, .body = "Service Unavailable"};
  });
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(0ms));
  EXPECT_THAT(message, HasSubstr("answered HTTP 500"));
  EXPECT_THAT(message, HasSubstr("after 3 attempts"));
  EXPECT_EQ(sts.request_count(), 3u);
}

TEST_P(StsFaultsBoth, ThrottlingOnEveryAttemptExhaustsTheAttemptsAndNamesTheCode) {
  std::atomic<int> n{0};
  sts.set_handler([&](const RecordedRequest&) {
    return ++n % 2 == 0 ? sts_error(400, "Throttling", "Rate exceeded")
                        : sts_error(429, "TooManyRequestsException", "slow down");
  });
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(0ms));
  EXPECT_THAT(message, HasSubstr("HTTP 429: TooManyRequestsException: slow down"));
  EXPECT_EQ(sts.request_count(), 3u);
}

// --- cut-off and oversized bodies --------------------------------------------------------------

TEST_P(StsFaultsBoth, CutOffBodyIsRetriedThenAProviderFailure) {
  const std::string body = credentials_xml(action(), "ASIACUT", "2031-01-01T00:00:00Z");
  sts.set_handler([body](const RecordedRequest&) {
    return ScriptedResponse{.body = body.substr(0, 60), .content_length = body.size()};
  });
  const auto message = expect_error(ErrorKind::ProviderFailure, all_attempts(0ms));
  EXPECT_THAT(message, HasSubstr("connection closed after 60 of"));
  EXPECT_EQ(sts.request_count(), 3u);
}

TEST_P(StsFaultsBoth, OversizedBodyIsRefusedAtOnce) {
  // StsClientSettings::http.max_response_bytes: 1 MiB by default.
  const std::string body = credentials_xml(action(), "ASIABIG", "2031-01-01T00:00:00Z") +
                           std::string((1 << 20) + 1, ' ');
  sts.set_handler([body](const RecordedRequest&) { return ScriptedResponse{.body = body}; });
  const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("exceeds the limit of 1048576"));
  EXPECT_EQ(sts.request_count(), 1u);
}

// --- redirects ---------------------------------------------------------------------------------

TEST_P(StsFaultsBoth, RedirectsAreNeverFollowed) {
  for (const int status : {301, 302, 307}) {
    LoopbackServer elsewhere;
    elsewhere.set_handler([&](const RecordedRequest&) {
      return ScriptedResponse{.body =
                                  credentials_xml(action(), "ASIASTOLEN", "2031-01-01T00:00:00Z")};
    });
    sts.set_handler([&](const RecordedRequest&) {
      return ScriptedResponse{.status = status, .headers = {{"Location", elsewhere.url("/")}}};
    });
    const auto before = sts.request_count();
    const auto message = expect_error(ErrorKind::ProviderFailure, kSlack);
    EXPECT_THAT(message, HasSubstr("answered HTTP " + std::to_string(status))) << status;
    EXPECT_EQ(sts.request_count() - before, 1u) << status;
    EXPECT_EQ(elsewhere.connection_count(), 0u) << status;  // the signed request stayed put
  }
}

// --- hostile text ------------------------------------------------------------------------------

// XML 1.0 cannot carry ESC or BEL at all (not even as &#27;): an answer holding them is not
// well-formed and is refused as a whole. CR and LF it can carry, as character references.
class StsHostileText : public StsFaults, public ::testing::WithParamInterface<std::string> {
 protected:
  static bool xml_can_carry_it() {
    return GetParam().find_first_of("\x1b\x07") == std::string::npos;
  }
};

TEST_P(StsHostileText, InTheErrorCodeAndMessageIsEscaped) {
  sts.set_handler([](const RecordedRequest&) {
    return sts_error(400, xml_escaped("Bad" + GetParam()), xml_escaped("says" + GetParam()));
  });
  const auto message = expect_error(*assume_role(), ErrorKind::ProviderFailure, kSlack);
  if (xml_can_carry_it()) {
    EXPECT_THAT(message,
                HasSubstr(printable("Bad" + GetParam()) + ": " + printable("says" + GetParam())));
  } else {
    EXPECT_THAT(message, HasSubstr("answered HTTP 400 Bad Request"));
  }
  EXPECT_EQ(sts.request_count(), 1u);
}

TEST_P(StsHostileText, AsRawBytesInTheErrorMessageNeverReachTheMessageRaw) {
  sts.set_handler(
      [](const RecordedRequest&) { return sts_error(400, "Bad", "says" + GetParam()); });
  const auto message = expect_error(*assume_role(), ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr("answered HTTP 400"));
}

TEST_P(StsHostileText, InANonRecoverableWebIdentityErrorIsEscaped) {
  sts.set_handler([](const RecordedRequest&) {
    return sts_error(400, "InvalidIdentityToken", xml_escaped("token is bad" + GetParam()));
  });
  const auto message = expect_error(
      *web_identity(), xml_can_carry_it() ? ErrorKind::NonRecoverable : ErrorKind::ProviderFailure,
      kSlack);
  if (xml_can_carry_it()) {
    EXPECT_THAT(message, HasSubstr("InvalidIdentityToken: token is bad"));
  }
}

TEST_P(StsHostileText, EchoOfTheSigningTokenInAHostileMessageIsRedacted) {
  sts.set_handler([](const RecordedRequest&) {
    return sts_error(403, "AccessDenied", xml_escaped(GetParam() + " token " + kSourceToken));
  });
  const auto message = expect_error(
      *assume_role(), xml_can_carry_it() ? ErrorKind::NonRecoverable : ErrorKind::ProviderFailure,
      kSlack);
  if (xml_can_carry_it()) {
    EXPECT_THAT(message, HasSubstr("<redacted>"));
  }
}

TEST_P(StsHostileText, InTheCredentialsIsRefused) {
  for (const std::string field : {"AccessKeyId", "SecretAccessKey", "SessionToken"}) {
    const std::string bad = xml_escaped("X" + GetParam());
    const std::string body = credentials_xml(
        "AssumeRole", field == "AccessKeyId" ? bad : "ASIAOK", "2031-01-01T00:00:00Z",
        field == "SecretAccessKey" ? "s3cr3t" + bad : "s3cr3t",
        field == "SessionToken" ? "s3cr3t" + bad : "role-token");
    sts.set_handler([body](const RecordedRequest&) { return ScriptedResponse{.body = body}; });
    const auto message = expect_error(*assume_role(), ErrorKind::ProviderFailure, kSlack);
    EXPECT_THAT(message, HasSubstr(xml_can_carry_it() ? field : "not well-formed XML")) << field;
  }
}

TEST_P(StsHostileText, InTheExpirationIsEscaped) {
  sts.set_handler([](const RecordedRequest&) {
    return ScriptedResponse{.body =
                                credentials_xml("AssumeRole", "ASIAOK",
                                                xml_escaped("2031-01-01T00:00:00Z" + GetParam()))};
  });
  const auto message = expect_error(*assume_role(), ErrorKind::ProviderFailure, kSlack);
  EXPECT_THAT(message, HasSubstr(xml_can_carry_it() ? "Expiration" : "not well-formed XML"));
}

TEST_P(StsHostileText, InAnErrorBodyThatIsNotXmlIsNeverQuotedRaw) {
  sts.set_handler(
      [](const RecordedRequest&) { return ScriptedResponse{.status = 400, .body = GetParam()}; });
  (void)expect_error(*assume_role(), ErrorKind::ProviderFailure, kSlack);
}

INSTANTIATE_TEST_SUITE_P(Texts, StsHostileText, ::testing::ValuesIn(test::kHostileTexts),
                         test::hostile_text_name);

TEST_F(StsFaults, TerminalEscapesInTheReasonPhraseAreNeverShownRaw) {
  sts.set_handler([](const RecordedRequest&) {
    return ScriptedResponse{.status = 400, .reason = "Oops" + test::kTerminalEscapes};
  });
  (void)expect_error(*assume_role(), ErrorKind::ProviderFailure, all_attempts(0ms));
}

// --- the clock jumps ---------------------------------------------------------------------------

TEST_F(StsFaults, CachedRoleIsNotRefreshedOnABackwardJumpAndRefreshedOnceOnAForwardJump) {
  std::atomic<int> issued{0};
  sts.set_handler([&](const RecordedRequest&) {
    return ScriptedResponse{.body = credentials_xml("AssumeRole", "ASIA" + std::to_string(++issued),
                                                    format_iso8601(clock->now() + 1h))};
  });
  auto cache = std::make_shared<CachingProvider>(assume_role(), RefreshPolicy{}, clock,
                                                 std::make_shared<FixedRandom>(0.0));
  EXPECT_EQ(cache->get()->access_key_id(), "ASIA1");
  clock->set(kStart - 1h);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(cache->get()->access_key_id(), "ASIA1");
  EXPECT_EQ(sts.request_count(), 1u);
  clock->set(kStart + 24h);
  for (int i = 0; i < 5; ++i) {
    const auto c = cache->get();
    EXPECT_EQ(c->access_key_id(), "ASIA2");
    EXPECT_FALSE(c->expired_at(clock->now()));
  }
  EXPECT_EQ(sts.request_count(), 2u);
  // The refresh was signed at the jumped clock: X-Amz-Date is what the signer was told.
  EXPECT_THAT(*sts.requests()[1].header("X-Amz-Date"),
              HasSubstr(format_iso8601(kStart + 24h).substr(0, 10).erase(4, 1).erase(6, 1)));
}

TEST_F(StsFaults, ForwardJumpWithStsAnsweringExpiredCredentialsServesNothingExpired) {
  // STS keeps real time; this host's clock ran a day ahead: every answer looks expired.
  sts.set_handler([&](const RecordedRequest&) {
    return ScriptedResponse{
        .body = credentials_xml("AssumeRole", "ASIAOLD", format_iso8601(kStart + 1h))};
  });
  RefreshPolicy policy;
  policy.static_stability = {};
  auto cache = std::make_shared<CachingProvider>(assume_role(), policy, clock,
                                                 std::make_shared<FixedRandom>(0.0));
  (void)cache->get();
  clock->set(kStart + 24h);
  try {
    (void)cache->get();
    ADD_FAILURE() << "expired credentials were served";
  } catch (const CredentialsError& e) {
    // Issue 14: the source in the user's words and the expiry, not "already expired".
    EXPECT_THAT(e.what(), HasSubstr("the credentials from the role in role_arn expired at " +
                                    format_iso8601(kStart + 1h)));
  }
}

// --- keep-alive --------------------------------------------------------------------------------

TEST_F(StsFaults, TwoCallsShareOneConnection) {
  sts.set_keep_alive(true);
  sts.set_handler([&](const RecordedRequest&) {
    return ScriptedResponse{.body =
                                credentials_xml("AssumeRole", "ASIAKEPT", "2031-01-01T00:00:00Z")};
  });
  auto p = assume_role();
  const Stopwatch watch;
  (void)p->get();
  (void)p->get();
  EXPECT_LT(watch.elapsed(), kSlack);
  EXPECT_EQ(sts.request_count(), 2u);
  EXPECT_EQ(sts.connection_count(), 1u);
}

TEST_F(StsFaults, KeptConnectionDroppedAsTheCallArrivesIsRetriedOnANewOneWithoutAnAttempt) {
  sts.set_keep_alive(true);
  std::atomic<int> n{0};
  sts.set_handler([&](const RecordedRequest&) {
    if (++n == 2) return ScriptedResponse{.close_without_response = true};
    return ScriptedResponse{.body =
                                credentials_xml("AssumeRole", "ASIAKEPT", "2031-01-01T00:00:00Z")};
  });
  auto p = assume_role();
  (void)p->get();
  EXPECT_EQ(p->get()->access_key_id(), "ASIAKEPT");
  EXPECT_EQ(sts.request_count(), 3u);
  EXPECT_EQ(sts.connection_count(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Calls, StsFaultsBoth, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return std::string(info.param ? "WebIdentity" : "AssumeRole");
                         });

}  // namespace
}  // namespace awsauth::providers
