// AssumeRoleProvider with a cross-process AssumeRoleCache: what is reused, what is not.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <map>

#include "awsauth/providers/sts/assume_role.hpp"
#include "awsauth/providers/sts/credentials_file_cache.hpp"
#include "awsauth/providers/sts/sts_client.hpp"
#include "awsauth/static_provider.hpp"
#include "queued_http_client.hpp"

namespace awsauth::providers {
namespace {

using namespace std::chrono_literals;

// What two processes sharing a cache directory see, kept in memory.
class MapCache final : public AssumeRoleCache {
 public:
  std::map<std::string, CredentialsPtr> entries;
  CredentialsPtr load(const std::string& key) noexcept override {
    auto it = entries.find(key);
    return it == entries.end() ? nullptr : it->second;
  }
  void store(const std::string& key, const Credentials& c) noexcept override {
    entries[key] = std::make_shared<const Credentials>(c);
  }
};

std::shared_ptr<StaticCredentialsProvider> static_source(const std::string& key) {
  return std::make_shared<StaticCredentialsProvider>(
      make_credentials({.access_key_id = key, .secret_access_key = SecretString("s")}));
}

std::string assume_role_xml(const std::string& key, const std::string& expiration) {
  return "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::1:"
         "assumed-role/r/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>" +
         key + "</AccessKeyId><SecretAccessKey>sec</SecretAccessKey><SessionToken>tok" +
         "</SessionToken><Expiration>" + expiration +
         "</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>";
}

// 2026-01-01T00:00:00Z
const TimePoint kNow = TimePoint{} + std::chrono::seconds(1767225600);

struct Fixture {
  std::shared_ptr<test::QueuedHttpClient> http = std::make_shared<test::QueuedHttpClient>();
  std::shared_ptr<MapCache> cache = std::make_shared<MapCache>();
  Context context;
  StsClientSettings settings;
  Fixture() {
    context.clock = std::make_shared<ManualClock>(kNow);
    context.random = std::make_shared<FixedRandom>(0.5);
    context.http = http;
    settings.endpoint = {"https://sts.us-east-1.amazonaws.com", "us-east-1"};
    settings.sleep = [](std::chrono::milliseconds) {};
  }
  // A provider as a fresh process would build it: nothing shared but the cache.
  AssumeRoleProvider provider(const std::string& source_key, AssumeRoleHop hop = {},
                              MfaTokenCallback mfa = {}) {
    if (hop.role_arn.empty()) hop = {.profile = "p", .role_arn = "arn:aws:iam::1:role/r"};
    return AssumeRoleProvider(context, std::make_shared<StsClient>(context, settings),
                              static_source(source_key), std::move(hop), std::move(mfa), {},
                              AssumeRoleCacheOptions{.cache = cache});
  }
};

TEST(AssumeRoleCache, SecondProviderReusesTheStoredResultWithoutCallingSts) {
  Fixture f;
  f.http->answers = {{.status = 200, .body = assume_role_xml("ASIA1", "2026-01-01T01:00:00Z")}};
  auto first = f.provider("AKIDUSER").get();
  auto second = f.provider("AKIDUSER").get();
  EXPECT_EQ(f.http->sent.size(), 1U);
  EXPECT_EQ(second->access_key_id(), "ASIA1");
  EXPECT_EQ(second->session_token().reveal(), "tok");
  EXPECT_EQ(second->expiration(), first->expiration());
}

TEST(AssumeRoleCache, DifferentSourceKeysGetDifferentEntries) {
  Fixture f;
  f.http->answers = {{.status = 200, .body = assume_role_xml("ASIA1", "2026-01-01T01:00:00Z")},
                     {.status = 200, .body = assume_role_xml("ASIA2", "2026-01-01T01:00:00Z")}};
  EXPECT_EQ(f.provider("AKIDALICE").get()->access_key_id(), "ASIA1");
  EXPECT_EQ(f.provider("AKIDBOB").get()->access_key_id(), "ASIA2");
  EXPECT_EQ(f.http->sent.size(), 2U);
  EXPECT_EQ(f.cache->entries.size(), 2U);
  EXPECT_EQ(f.provider("AKIDALICE").get()->access_key_id(), "ASIA1");
  EXPECT_EQ(f.http->sent.size(), 2U);
}

TEST(AssumeRoleCache, EntryInsideTheAdvisoryWindowIsNotUsed) {
  Fixture f;
  // A one-hour role gets the 15-minute advisory window (RefreshPolicy): 10 minutes left is
  // too close, so STS is called and the fresh result replaces the entry.
  f.http->answers = {{.status = 200, .body = assume_role_xml("ASIAOLD", "2026-01-01T00:10:00Z")},
                     {.status = 200, .body = assume_role_xml("ASIANEW", "2026-01-01T01:00:00Z")}};
  EXPECT_EQ(f.provider("AKID").get()->access_key_id(), "ASIAOLD");
  EXPECT_EQ(f.provider("AKID").get()->access_key_id(), "ASIANEW");
  EXPECT_EQ(f.http->sent.size(), 2U);
  EXPECT_EQ(f.provider("AKID").get()->access_key_id(), "ASIANEW");
  EXPECT_EQ(f.http->sent.size(), 2U);
}

TEST(AssumeRoleCache, ShortRoleSessionUsesTheShortAdvisoryWindow) {
  Fixture f;
  // DurationSeconds 900 (<= 20 min lifetime): a 5-minute window, so 10 minutes left is fine.
  AssumeRoleHop hop{.profile = "p", .role_arn = "arn:aws:iam::1:role/r", .duration_seconds = 900};
  f.http->answers = {{.status = 200, .body = assume_role_xml("ASIA1", "2026-01-01T00:10:00Z")}};
  (void)f.provider("AKID", hop).get();
  EXPECT_EQ(f.provider("AKID", hop).get()->access_key_id(), "ASIA1");
  EXPECT_EQ(f.http->sent.size(), 1U);
}

TEST(AssumeRoleCache, CachedResultSparesTheMfaPrompt) {
  Fixture f;
  AssumeRoleHop hop{.profile = "p", .role_arn = "arn:aws:iam::1:role/r", .mfa_serial = "arn:mfa"};
  int prompts = 0;
  auto mfa = [&](const std::string&) {
    ++prompts;
    return std::string("123456");
  };
  f.http->answers = {{.status = 200, .body = assume_role_xml("ASIA1", "2026-01-01T01:00:00Z")}};
  (void)f.provider("AKID", hop, mfa).get();
  (void)f.provider("AKID", hop, mfa).get();
  EXPECT_EQ(prompts, 1);
  EXPECT_EQ(f.http->sent.size(), 1U);
}

TEST(AssumeRoleCache, EnvironmentVariableSwitchesTheFileCacheOn) {
  Context context;
  context.clock = std::make_shared<ManualClock>(kNow);
  auto env = std::make_shared<MapEnvironment>(
      std::map<std::string, std::string, std::less<>>{{"HOME", "/home/test"}});
  context.environment = env;
  EXPECT_EQ(assume_role_cache_from_environment(context).cache, nullptr);
  env->set(kCredentialsCacheDirVariable, "");
  EXPECT_EQ(assume_role_cache_from_environment(context).cache, nullptr);

  const auto dir =
      std::filesystem::temp_directory_path() / ("awsauth-role-cache-" + std::to_string(::getpid()));
  env->set(kCredentialsCacheDirVariable, dir.string());
  auto options = assume_role_cache_from_environment(context);
  ASSERT_NE(options.cache, nullptr);
  const std::string key =
      make_assume_role_cache_key({.role_arn = "r", .source_access_key_id = "A"});
  options.cache->store(key, *make_credentials({.access_key_id = "ASIA1",
                                               .secret_access_key = SecretString("s"),
                                               .session_token = SecretString("t"),
                                               .expiration = kNow + 1h}));
  EXPECT_TRUE(std::filesystem::exists(dir / (key + ".json")));
  auto loaded = options.cache->load(key);
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->access_key_id(), "ASIA1");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace awsauth::providers
