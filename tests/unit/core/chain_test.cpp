#include "awsauth/chain.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mock_provider.hpp"

namespace awsauth {
namespace {

using test::MockProvider;
using test::test_credentials;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;
using ::testing::Throw;

std::shared_ptr<NiceMock<MockProvider>> named(const std::string& name) {
  auto p = std::make_shared<NiceMock<MockProvider>>();
  ON_CALL(*p, name()).WillByDefault(Return(name));
  return p;
}

CredentialsError not_configured(const std::string& who, const std::string& why) {
  return CredentialsError(ErrorKind::NotConfigured, who, why);
}

TEST(ChainProvider, UserProviderAheadOfBuiltInsWinsAndIsRemembered) {
  auto mine = named("my-vault");
  auto env = named("env");
  EXPECT_CALL(*mine, get()).Times(3).WillRepeatedly(Return(test_credentials("AKIDVAULT")));
  EXPECT_CALL(*env, get()).Times(0);
  ChainProvider chain({mine, env});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(chain.get()->access_key_id(), "AKIDVAULT");
  }
  EXPECT_EQ(chain.winner_name(), "my-vault");
}

TEST(ChainProvider, SkipsNotConfiguredProvidersAndStampsTheWinnersName) {
  auto env = named("env");
  auto file = named("shared-credentials-file");
  EXPECT_CALL(*env, get()).WillOnce(Throw(not_configured("env", "AWS_ACCESS_KEY_ID not set")));
  EXPECT_CALL(*file, get()).WillOnce(Return(test_credentials("AKIDFILE")));
  ChainProvider chain({env, file});
  EXPECT_FALSE(chain.winner_name());
  const auto creds = chain.get();
  EXPECT_EQ(creds->access_key_id(), "AKIDFILE");
  EXPECT_EQ(creds->provider_name(), "shared-credentials-file");
  EXPECT_EQ(chain.winner_name(), "shared-credentials-file");
}

TEST(ChainProvider, KeepsTheProviderNameTheSourceSet) {
  auto p = named("wrapper");
  EXPECT_CALL(*p, get()).WillOnce(Return(test_credentials("AKID", "assume-role")));
  ChainProvider chain({p});
  EXPECT_EQ(chain.get()->provider_name(), "assume-role");
}

TEST(ChainProvider, AfterWinningOnlyTheWinnerIsAskedEvenWhenItFails) {
  auto env = named("env");
  auto imds = named("iam-role");
  EXPECT_CALL(*env, get()).WillOnce(Throw(not_configured("env", "not set")));
  EXPECT_CALL(*imds, get())
      .WillOnce(Return(test_credentials("AKID1")))
      .WillOnce(Throw(CredentialsError(ErrorKind::ProviderFailure, "iam-role", "timeout")));
  ChainProvider chain({env, imds});
  EXPECT_EQ(chain.get()->access_key_id(), "AKID1");
  try {
    (void)chain.get();
    FAIL() << "expected the winner's error";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
    EXPECT_EQ(e.provider(), "iam-role");
  }
}

TEST(ChainProvider, ResetScansAgainFromTheFirstProvider) {
  auto env = named("env");
  auto file = named("shared-credentials-file");
  EXPECT_CALL(*env, get())
      .WillOnce(Throw(not_configured("env", "not set")))
      .WillOnce(Return(test_credentials("AKIDENV")));
  EXPECT_CALL(*file, get()).WillOnce(Return(test_credentials("AKIDFILE")));
  ChainProvider chain({env, file});
  EXPECT_EQ(chain.get()->access_key_id(), "AKIDFILE");
  chain.reset();
  EXPECT_FALSE(chain.winner_name());
  EXPECT_EQ(chain.get()->access_key_id(), "AKIDENV");
  EXPECT_EQ(chain.winner_name(), "env");
}

TEST(ChainProvider, ErrorReportNamesEveryProviderTriedWithItsReasonInOrder) {
  auto mine = named("my-vault");
  auto env = named("env");
  auto imds = named("iam-role");
  EXPECT_CALL(*mine, get()).WillOnce(Throw(not_configured("my-vault", "VAULT_ADDR not set")));
  EXPECT_CALL(*env, get()).WillOnce(Throw(not_configured("env", "AWS_ACCESS_KEY_ID not set")));
  EXPECT_CALL(*imds, get())
      .WillOnce(Throw(not_configured("iam-role", "AWS_EC2_METADATA_DISABLED is true")));
  ChainProvider chain({mine, env, imds}, "default-chain");
  try {
    (void)chain.get();
    FAIL() << "expected NoCredentialsError";
  } catch (const NoCredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotConfigured);
    EXPECT_EQ(e.provider(), "default-chain");
    ASSERT_EQ(e.attempts().size(), 3u);
    EXPECT_EQ(e.attempts()[0].provider, "my-vault");
    EXPECT_EQ(e.attempts()[0].reason, "VAULT_ADDR not set");
    EXPECT_EQ(e.attempts()[1].provider, "env");
    EXPECT_EQ(e.attempts()[2].provider, "iam-role");
    const std::string message = e.what();
    EXPECT_THAT(message, HasSubstr("my-vault: VAULT_ADDR not set"));
    EXPECT_THAT(message, HasSubstr("environment variables (env): AWS_ACCESS_KEY_ID not set"));
    EXPECT_THAT(message,
                HasSubstr("EC2 instance metadata (iam-role): AWS_EC2_METADATA_DISABLED is true"));
    EXPECT_LT(message.find("my-vault"), message.find("(env):"));
    EXPECT_LT(message.find("(env):"), message.find("iam-role"));
  }
  EXPECT_FALSE(chain.winner_name());
}

TEST(ChainProvider, ConfiguredButBrokenProviderStopsTheChainWithItsKind) {
  auto env = named("env");
  auto file = named("shared-credentials-file");
  auto imds = named("iam-role");
  EXPECT_CALL(*env, get()).WillOnce(Throw(not_configured("env", "not set")));
  EXPECT_CALL(*file, get())
      .WillOnce(Throw(CredentialsError(ErrorKind::InvalidConfiguration, "shared-credentials-file",
                                       "~/.aws/credentials line 3: key without a secret")));
  EXPECT_CALL(*imds, get()).Times(0);
  ChainProvider chain({env, file, imds});
  try {
    (void)chain.get();
    FAIL() << "expected NoCredentialsError";
  } catch (const NoCredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
    ASSERT_EQ(e.attempts().size(), 2u);
    EXPECT_EQ(e.attempts()[1].kind, ErrorKind::InvalidConfiguration);
    EXPECT_THAT(std::string(e.what()), HasSubstr("line 3"));
  }
}

TEST(ChainProvider, ForeignExceptionFromAUserProviderStopsAsProviderFailure) {
  auto mine = named("my-vault");
  auto env = named("env");
  EXPECT_CALL(*mine, get()).WillOnce(Throw(std::runtime_error("vault sealed")));
  EXPECT_CALL(*env, get()).Times(0);
  ChainProvider chain({mine, env});
  try {
    (void)chain.get();
    FAIL() << "expected NoCredentialsError";
  } catch (const NoCredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
    ASSERT_EQ(e.attempts().size(), 1u);
    EXPECT_EQ(e.attempts()[0].reason, "vault sealed");
  }
}

TEST(ChainProvider, EmptyChainSaysNothingIsConfigured) {
  ChainProvider chain({});
  EXPECT_THROW((void)chain.get(), NoCredentialsError);
}

TEST(ChainProvider, RejectsNullProviders) {
  EXPECT_THROW(ChainProvider({nullptr}), std::invalid_argument);
}

// The trace as "name=outcome" strings.
std::vector<std::string> outcomes(const ChainTrace& trace) {
  std::vector<std::string> out;
  for (const auto& e : trace.entries) out.push_back(e.provider + "=" + to_string(e.outcome));
  return out;
}

TEST(ChainTrace, BeforeAnyResolutionEveryProviderIsNotTried) {
  ChainProvider chain({named("env"), named("iam-role")});
  EXPECT_EQ(outcomes(chain.trace()),
            (std::vector<std::string>{"env=not tried", "iam-role=not tried"}));
  EXPECT_EQ(chain.trace().winner(), nullptr);
}

TEST(ChainTrace, ASuccessKeepsTheReasonOfEveryProviderPassedOver) {
  auto env = named("env");
  auto file = named("shared-credentials-file");
  auto imds = named("iam-role");
  EXPECT_CALL(*env, get()).WillOnce(Throw(not_configured("env", "AWS_ACCESS_KEY_ID not set")));
  EXPECT_CALL(*file, get()).WillRepeatedly(Return(test_credentials("AKIDFILE")));
  EXPECT_CALL(*imds, get()).Times(0);
  ChainProvider chain({env, file, imds});
  (void)chain.get();
  const ChainTrace trace = chain.trace();
  EXPECT_EQ(outcomes(trace),
            (std::vector<std::string>{"env=not configured", "shared-credentials-file=won",
                                      "iam-role=not tried"}));
  EXPECT_EQ(trace.entries[0].reason, "AWS_ACCESS_KEY_ID not set");
  EXPECT_EQ(trace.entries[0].kind, ErrorKind::NotConfigured);
  EXPECT_EQ(trace.entries[1].reason, "");
  ASSERT_NE(trace.winner(), nullptr);
  EXPECT_EQ(trace.winner()->provider, "shared-credentials-file");
  // Later get() calls go to the winner and leave the trace of the resolution as it was.
  (void)chain.get();
  EXPECT_EQ(outcomes(chain.trace()), outcomes(trace));
}

TEST(ChainTrace, AFailureIsFailedWithItsKindAndTheRestNotTried) {
  auto env = named("env");
  auto role = named("assume-role");
  auto file = named("shared-credentials-file");
  EXPECT_CALL(*env, get()).WillOnce(Throw(not_configured("env", "no keys")));
  EXPECT_CALL(*role, get())
      .WillOnce(Throw(CredentialsError::non_recoverable("assume-role", "AccessDenied")));
  ChainProvider chain({env, role, file});
  EXPECT_THROW((void)chain.get(), NoCredentialsError);
  const ChainTrace trace = chain.trace();
  EXPECT_EQ(outcomes(trace), (std::vector<std::string>{"env=not configured", "assume-role=failed",
                                                       "shared-credentials-file=not tried"}));
  EXPECT_EQ(trace.entries[1].kind, ErrorKind::NonRecoverable);
  EXPECT_EQ(trace.entries[1].reason, "AccessDenied");
  EXPECT_EQ(trace.winner(), nullptr);
}

TEST(ChainTrace, AForeignExceptionIsFailedAsProviderFailureWithItsWhat) {
  auto mine = named("my-vault");
  EXPECT_CALL(*mine, get()).WillOnce(Throw(std::runtime_error("vault sealed")));
  ChainProvider chain({mine});
  EXPECT_THROW((void)chain.get(), NoCredentialsError);
  ASSERT_EQ(chain.trace().entries.size(), 1U);
  EXPECT_EQ(chain.trace().entries[0].outcome, ChainOutcome::Failed);
  EXPECT_EQ(chain.trace().entries[0].kind, ErrorKind::ProviderFailure);
  EXPECT_EQ(chain.trace().entries[0].reason, "vault sealed");
}

TEST(ChainTrace, EveryProviderPassedOverListsTheSameReasonsAsTheError) {
  auto a = named("a");
  auto b = named("b");
  EXPECT_CALL(*a, get()).WillOnce(Throw(not_configured("a", "no a")));
  EXPECT_CALL(*b, get()).WillOnce(Throw(not_configured("b", "no b")));
  ChainProvider chain({a, b});
  try {
    (void)chain.get();
    FAIL() << "expected NoCredentialsError";
  } catch (const NoCredentialsError& e) {
    const ChainTrace trace = chain.trace();
    ASSERT_EQ(trace.entries.size(), e.attempts().size());
    for (std::size_t i = 0; i < trace.entries.size(); ++i) {
      EXPECT_EQ(trace.entries[i].provider, e.attempts()[i].provider);
      EXPECT_EQ(trace.entries[i].reason, e.attempts()[i].reason);
      EXPECT_EQ(trace.entries[i].outcome, ChainOutcome::NotConfigured);
    }
  }
}

TEST(ChainTrace, ResetAndANewScanRecordTheNewResolution) {
  auto env = named("env");
  auto file = named("file");
  EXPECT_CALL(*env, get())
      .WillOnce(Return(test_credentials("AKIDENV")))
      .WillOnce(Throw(not_configured("env", "unset now")));
  EXPECT_CALL(*file, get()).WillOnce(Return(test_credentials("AKIDFILE")));
  ChainProvider chain({env, file});
  (void)chain.get();
  EXPECT_EQ(outcomes(chain.trace()), (std::vector<std::string>{"env=won", "file=not tried"}));
  chain.reset();
  EXPECT_EQ(outcomes(chain.trace()), (std::vector<std::string>{"env=won", "file=not tried"}));
  (void)chain.get();
  EXPECT_EQ(outcomes(chain.trace()), (std::vector<std::string>{"env=not configured", "file=won"}));
}

TEST(ChainOutcome, NamesAreTheWordsTheCliPrints) {
  EXPECT_STREQ(to_string(ChainOutcome::Won), "won");
  EXPECT_STREQ(to_string(ChainOutcome::NotConfigured), "not configured");
  EXPECT_STREQ(to_string(ChainOutcome::Failed), "failed");
  EXPECT_STREQ(to_string(ChainOutcome::NotTried), "not tried");
}

}  // namespace
}  // namespace awsauth
