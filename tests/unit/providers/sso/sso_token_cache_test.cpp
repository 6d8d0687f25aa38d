// The AWS CLI's SSO token cache: key, path, parsing and its messages, writing back.
#include "awsauth/providers/sso/sso_token_cache.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "awsauth/errors.hpp"
#include "temp_dir.hpp"

namespace awsauth::providers {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(SsoTokenCacheKey, IsTheSha1OfTheSessionNameOrElseOfTheStartUrl) {
  // python3 -c 'import hashlib; print(hashlib.sha1(b"my-sso").hexdigest())'
  EXPECT_EQ(sso_token_cache_key("https://ignored", std::string("my-sso")),
            "0ad374308c5a4e22f723adf10145eafad7c4031c");
  EXPECT_EQ(sso_token_cache_key("https://d-abc123.awsapps.com/start", std::nullopt),
            "40a89917e3175433e361b710a9d43528d7f1890a");
}

TEST(SsoTokenCachePath, IsUnderHomeDotAwsSsoCache) {
  MapEnvironment env;
  env.set("HOME", "/home/u");
  EXPECT_EQ(default_sso_cache_directory(env), "/home/u/.aws/sso/cache");
  SsoTokenCache cache(std::make_shared<MapFileSystem>(), default_sso_cache_directory(env) + "/");
  EXPECT_EQ(cache.path_for("x", std::string("dev")),
            "/home/u/.aws/sso/cache/34c6fceca75e456f25e7e99531e2425c6c1de443.json");
}

TEST(SsoCacheTime, ReadsZOffsetsAndTheOlderCliUtcSuffix) {
  const auto z = parse_sso_cache_time("2030-01-02T03:04:05Z");
  ASSERT_TRUE(z);
  EXPECT_EQ(parse_sso_cache_time("2030-01-02T03:04:05UTC"), z);
  EXPECT_EQ(parse_sso_cache_time("2030-01-02T05:04:05+02:00"), z);
  EXPECT_EQ(parse_sso_cache_time("2030-01-02T03:04:05.000Z"), z);
  EXPECT_EQ(parse_sso_cache_time("2030-01-02T03:04:05"), std::nullopt);
  EXPECT_EQ(format_sso_cache_time(*z), "2030-01-02T03:04:05Z");
}

constexpr const char* kFull =
    R"({"startUrl": "https://d-1.awsapps.com/start", "region": "us-east-1", )"
    R"("accessToken": "tok", "expiresAt": "2030-01-02T03:04:05Z", "clientId": "cid", )"
    R"("clientSecret": "csecret", "registrationExpiresAt": "2031-01-01T00:00:00Z", )"
    R"("refreshToken": "rtok", "futureField": [1, 2]})";

class SsoTokenCacheLoad : public ::testing::Test {
 protected:
  std::shared_ptr<MapFileSystem> files = std::make_shared<MapFileSystem>();
  SsoTokenCache cache{files, "/c"};
  std::string path = cache.path_for("", std::string("dev"));

  // The message of the error load() throws for `text`.
  std::string error_for(const std::string& text) {
    files->put(path, text);
    try {
      (void)cache.load("", std::string("dev"));
    } catch (const CredentialsError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
      EXPECT_EQ(e.provider(), "sso");
      EXPECT_THAT(e.what(), HasSubstr(path));
      return e.what();
    }
    ADD_FAILURE() << "accepted: " << text;
    return {};
  }
};

TEST_F(SsoTokenCacheLoad, NoFileIsNoEntry) {
  EXPECT_EQ(cache.load("", std::string("dev")), std::nullopt);
}

TEST_F(SsoTokenCacheLoad, ReadsEveryFieldTheCliWrites) {
  files->put(path, kFull);
  const auto entry = cache.load("", std::string("dev"));
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->path, path);
  const SsoToken& t = entry->token;
  EXPECT_EQ(t.access_token.reveal(), "tok");
  EXPECT_EQ(t.expires_at, *parse_iso8601("2030-01-02T03:04:05Z"));
  EXPECT_EQ(t.start_url, "https://d-1.awsapps.com/start");
  EXPECT_EQ(t.region, "us-east-1");
  EXPECT_EQ(t.client_id, "cid");
  ASSERT_TRUE(t.client_secret);
  EXPECT_EQ(t.client_secret->reveal(), "csecret");
  ASSERT_TRUE(t.refresh_token);
  EXPECT_EQ(t.refresh_token->reveal(), "rtok");
  EXPECT_EQ(t.registration_expires_at, parse_iso8601("2031-01-01T00:00:00Z"));
  EXPECT_EQ(entry->document.raw("futureField"), "[1, 2]");
}

TEST_F(SsoTokenCacheLoad, ALegacyTokenNeedsOnlyTheAccessTokenAndItsExpiry) {
  files->put(cache.path_for("https://s", std::nullopt),
             R"({"accessToken": "tok", "expiresAt": "2030-01-02T03:04:05UTC"})");
  const auto entry = cache.load("https://s", std::nullopt);
  ASSERT_TRUE(entry);
  EXPECT_FALSE(entry->token.refresh_token);
  EXPECT_FALSE(entry->token.client_id);
}

TEST_F(SsoTokenCacheLoad, MalformedFilesAreErrorsNamingTheFileAndTheProblemNeverAValue) {
  EXPECT_THAT(error_for(R"({"accessToken": "sekrit1" "expiresAt"})"),
              AllOf(HasSubstr("is not a JSON object"), Not(HasSubstr("sekrit1"))));
  EXPECT_THAT(error_for(R"({"expiresAt": "2030-01-02T03:04:05Z"})"),
              HasSubstr("has no \"accessToken\""));
  EXPECT_THAT(error_for(R"({"accessToken": "sekrit2"})"),
              AllOf(HasSubstr("has no \"expiresAt\""), Not(HasSubstr("sekrit2"))));
  EXPECT_THAT(error_for(R"({})"), HasSubstr("has no \"accessToken\" and \"expiresAt\""));
  EXPECT_THAT(error_for(R"({"accessToken": 5, "expiresAt": "2030-01-02T03:04:05Z"})"),
              HasSubstr("\"accessToken\" is not a string"));
  EXPECT_THAT(error_for(R"({"accessToken": "sekrit3", "expiresAt": "tomorrow"})"),
              AllOf(HasSubstr("\"expiresAt\""), HasSubstr("tomorrow"), Not(HasSubstr("sekrit3"))));
  EXPECT_THAT(error_for("[]"), HasSubstr("aws sso login"));
}

TEST(SsoTokenCacheStore, WritesTheDocumentBackKeepingUnknownMembers) {
  test::TempDir tmp;
  SsoTokenCache cache(std::make_shared<RealFileSystem>(), tmp.path() + "/sso/cache");
  auto entry = SsoTokenCache::parse(cache.path_for("", std::string("dev")), kFull);
  entry.document.set_string("accessToken", "tok2");
  SsoTokenCache::store(entry);
  const auto again = cache.load("", std::string("dev"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->token.access_token.reveal(), "tok2");
  EXPECT_EQ(again->document.raw("futureField"), "[1, 2]");
  EXPECT_EQ(test::slurp(entry.path),
            R"({"startUrl": "https://d-1.awsapps.com/start", "region": "us-east-1", )"
            R"("accessToken": "tok2", "expiresAt": "2030-01-02T03:04:05Z", "clientId": "cid", )"
            R"("clientSecret": "csecret", "registrationExpiresAt": "2031-01-01T00:00:00Z", )"
            R"("refreshToken": "rtok", "futureField": [1, 2]})");
}

TEST(SsoTokenCacheStore, AFailedWriteIsAProviderFailureNamingTheFile) {
  test::TempDir tmp;
  test::spit(tmp.path() + "/file", "x");
  SsoTokenCacheEntry entry;
  entry.path = tmp.path() + "/file/k.json";
  entry.document.set_string("accessToken", "sekrit");
  try {
    SsoTokenCache::store(entry);
    ADD_FAILURE();
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
    EXPECT_THAT(e.what(), HasSubstr(entry.path));
    EXPECT_THAT(e.what(), Not(HasSubstr("sekrit")));
  }
}

}  // namespace
}  // namespace awsauth::providers
