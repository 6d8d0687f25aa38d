// The aws login token cache: file names, the directory, parsing and the atomic write-back.
#include "awsauth/providers/login/login_token.hpp"

#include <dirent.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "awsauth/errors.hpp"
#include "dpop_check.hpp"
#include "fake_signin.hpp"

namespace awsauth::providers {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const LoginTokenOrigin kOrigin{.path = "/home/test/.aws/login/cache/abc.json", .profile = "dev"};

CredentialsError parse_error(const std::string& text) {
  try {
    (void)parse_login_token(text, kOrigin);
  } catch (const CredentialsError& e) {
    return e;
  }
  ADD_FAILURE() << "parsed: " << text;
  return CredentialsError::not_configured("none", "none");
}

std::string secret_free_pem() { return test::generate_ec_pem(); }

TEST(LoginCacheFileName, IsTheLowercaseHexSha256OfTheSessionNameAsBotocoreNamesIt) {
  // hashlib.sha256(name.encode('utf-8')).hexdigest() + '.json'
  EXPECT_EQ(login_cache_file_name("arn:aws:iam::0123456789012:user/Admin"),
            "36db1d138ff460920374e4c3d8e01f53f9f73537e89c88d639f68393df0e2726.json");
  EXPECT_EQ(login_cache_file_name(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.json");
  EXPECT_EQ(login_cache_file_name("sessi\xc3\xb3n"),
            "deaa63a19fc7cd26615c063ca0b09c7012f9ab2fcef9dbbb185b18a451b25da5.json");
}

TEST(LoginCacheDirectory, DefaultsToAwsLoginCacheUnderHome) {
  MapEnvironment env;
  env.set("HOME", "/home/u");
  EXPECT_EQ(login_cache_directory(env), "/home/u/.aws/login/cache");
  EXPECT_EQ(login_cache_path(env, ""),
            "/home/u/.aws/login/cache/"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.json");
}

TEST(LoginCacheDirectory, AwsLoginCacheDirectoryExpandsVariablesThenTilde) {
  MapEnvironment env;
  env.set("HOME", "/home/u");
  env.set("AWS_LOGIN_CACHE_DIRECTORY", "~/x/$SUB/${SUB}y/$UNSET/${UNSET}/$");
  env.set("SUB", "s");
  // os.path.expanduser(os.path.expandvars(value)): unset variables stay as written.
  EXPECT_EQ(login_cache_directory(env), "/home/u/x/s/sy/$UNSET/${UNSET}/$");
  env.set("AWS_LOGIN_CACHE_DIRECTORY", "/tmp/c/");
  EXPECT_EQ(login_cache_path(env, ""),
            "/tmp/c/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.json");
  // A variable's value is not expanded again.
  env.set("AWS_LOGIN_CACHE_DIRECTORY", "$A");
  env.set("A", "$SUB~");
  EXPECT_EQ(login_cache_directory(env), "$SUB~");
}

TEST(LoginCacheDirectory, EmptyVariableMeansTheWorkingDirectoryAsOsPathJoin) {
  MapEnvironment env;
  env.set("HOME", "/home/u");
  env.set("AWS_LOGIN_CACHE_DIRECTORY", "");
  EXPECT_EQ(login_cache_path(env, ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.json");
}

TEST(ParseLoginToken, ReadsEveryFieldBotocoreReads) {
  test::LoginCacheFile file;
  file.dpop_key = secret_free_pem();
  const LoginToken token = parse_login_token(test::login_cache_json(file), kOrigin);
  EXPECT_EQ(token.access_key_id, "ASIACACHED");
  EXPECT_EQ(token.secret_access_key.reveal(), "cached-secret");
  EXPECT_EQ(token.session_token.reveal(), "cached-session");
  EXPECT_EQ(token.account_id, "123456789012");
  EXPECT_EQ(token.expires_at, parse_iso8601("2030-01-01T00:00:00Z"));
  EXPECT_EQ(token.refresh_token.reveal(), "refresh-1");
  EXPECT_EQ(token.dpop_key.reveal(), file.dpop_key);
  EXPECT_EQ(token.client_id, test::kSigninClientId);
}

TEST(ParseLoginToken, MalformedJsonNamesTheFileAndSaysToRunAwsLogin) {
  const auto e = parse_error(R"({"accessToken": {"secretAccessKey": "TOPSECRET")");
  EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
  EXPECT_EQ(e.provider(), "login");
  EXPECT_THAT(e.what(), HasSubstr(kOrigin.path));
  EXPECT_THAT(e.what(), HasSubstr("aws login --profile dev"));
  EXPECT_THAT(e.what(), HasSubstr("not a JSON object"));
  EXPECT_THAT(e.what(), Not(HasSubstr("TOPSECRET")));
  EXPECT_THAT(parse_error("[1, 2]").what(), HasSubstr("not a JSON object"));
}

TEST(ParseLoginToken, MissingTopLevelFieldsAreListedTogetherAsBotocoreDoes) {
  const auto e = parse_error(R"({"accessToken": {}, "dpopKey": "TOPSECRET"})");
  EXPECT_THAT(e.what(), HasSubstr("missing required fields: refreshToken, clientId"));
  EXPECT_THAT(e.what(), Not(HasSubstr("TOPSECRET")));
}

TEST(ParseLoginToken, MissingAccessTokenFieldsAreListed) {
  const auto e =
      parse_error(R"({"accessToken": {"accessKeyId": "A", "sessionToken": "TOPSECRET"}, )"
                  R"("refreshToken": "r", "dpopKey": "k", "clientId": "c"})");
  EXPECT_THAT(e.what(),
              HasSubstr("missing required fields in accessToken: secretAccessKey, accountId, "
                        "expiresAt"));
  EXPECT_THAT(e.what(), Not(HasSubstr("TOPSECRET")));
}

TEST(ParseLoginToken, FieldsOfTheWrongTypeAreNamedNotShown) {
  test::LoginCacheFile file;
  file.dpop_key = "k";
  std::string text = test::login_cache_json(file);
  text.replace(text.find(R"("refresh-1")"), 11, "12345");
  EXPECT_THAT(parse_error(text).what(), HasSubstr("refreshToken that is not a string"));
  EXPECT_THAT(parse_error(R"({"accessToken": "x", "refreshToken": "r", "dpopKey": "k", )"
                          R"("clientId": "c"})")
                  .what(),
              HasSubstr("accessToken that is not an object"));
}

TEST(ParseLoginToken, ExpiresAtMustBeAnIso8601TimeWithAnOffset) {
  test::LoginCacheFile file;
  file.dpop_key = "k";
  file.expires_at = "2030-01-01T00:00:00";
  const auto e = parse_error(test::login_cache_json(file));
  EXPECT_THAT(e.what(), HasSubstr("accessToken.expiresAt"));
  EXPECT_THAT(e.what(), HasSubstr("no UTC offset"));
  // Offsets and fractions as AWS writes them are fine.
  file.expires_at = "2030-01-01T00:00:00.123+00:00";
  EXPECT_EQ(parse_login_token(test::login_cache_json(file), kOrigin).expires_at,
            parse_iso8601("2030-01-01T00:00:00.123Z"));
}

TEST(ReadLoginToken, MissingFileSaysToRunAwsLoginForTheProfile) {
  MapFileSystem files;
  try {
    (void)read_login_token(files, kOrigin);
    FAIL() << "read a missing file";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
    EXPECT_THAT(e.what(), HasSubstr(kOrigin.path));
    EXPECT_THAT(e.what(), HasSubstr("does not exist"));
    EXPECT_THAT(e.what(), HasSubstr("run `aws login --profile dev`"));
  }
}

TEST(UpdatedLoginTokenDocument, ReplacesTheKeysAndRefreshTokenAndKeepsEverythingElseInOrder) {
  const SecretString before(
      R"({"zfirst": [1, 2.5, {"n": null}], "accessToken": {"accessKeyId": "OLD", )"
      R"("secretAccessKey": "oldsecret", "sessionToken": "oldsession", "accountId": "111122223333", )"
      R"("expiresAt": "2026-01-01T00:00:00Z", "extraInside": "dropped as botocore drops it"}, )"
      R"("refreshToken": "old-refresh", "dpopKey": "PEM\nLINES", "clientId": "c", )"
      R"("idToken": "id.token.sig", "unknown": {"deep": true, "s": "\u00e9\"q"}})");
  LoginTokenRefresh refresh{.access_key_id = "ASIANEW",
                            .secret_access_key = SecretString("newsecret"),
                            .session_token = SecretString("newsession"),
                            .expires_at = *parse_iso8601("2026-01-01T00:15:00Z"),
                            .refresh_token = SecretString("new-refresh")};
  const std::string after =
      updated_login_token_document(before, "111122223333", refresh, kOrigin).reveal();
  EXPECT_EQ(after, R"({"zfirst": [1, 2.5, {"n": null}], "accessToken": {"accessKeyId": "ASIANEW", )"
                   R"("secretAccessKey": "newsecret", "sessionToken": "newsession", )"
                   R"("accountId": "111122223333", "expiresAt": "2026-01-01T00:15:00Z"}, )"
                   "\"refreshToken\": \"new-refresh\", \"dpopKey\": \"PEM\\nLINES\", \"clientId\": "
                   "\"c\", \"idToken\": \"id.token.sig\", \"unknown\": {\"deep\": true, \"s\": "
                   "\"\\u00e9\\\"q\"}}");
  // And it reads back as the refreshed token.
  const auto reread = parse_login_token(after, kOrigin);
  EXPECT_EQ(reread.access_key_id, "ASIANEW");
  EXPECT_EQ(reread.refresh_token.reveal(), "new-refresh");
  EXPECT_EQ(reread.dpop_key.reveal(), "PEM\nLINES");
}

struct TempDir {
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "awsauth-login-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  [[nodiscard]] std::vector<std::string> entries(const std::string& dir) const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      out.push_back(e.path().filename().string());
    }
    return out;
  }
  std::string path;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WriteLoginTokenFile, ReplacesTheFileWithMode0600AndLeavesNoTemporaryFile) {
  TempDir tmp;
  const std::string dir = tmp.path + "/login/cache";  // created on the way
  const LoginTokenOrigin origin{.path = dir + "/x.json", .profile = "dev"};
  write_login_token_file(origin, SecretString("{\"v\": 1}"));
  write_login_token_file(origin, SecretString("{\"v\": 2}"));
  EXPECT_EQ(slurp(origin.path), "{\"v\": 2}");
  struct stat st {};
  ASSERT_EQ(::stat(origin.path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_THAT(tmp.entries(dir), ::testing::ElementsAre("x.json"));
}

TEST(WriteLoginTokenFile, AFailedWriteLeavesNoPartialFileAndNamesThePath) {
  TempDir tmp;
  // The target is a directory: the temporary file is written, the rename fails.
  const LoginTokenOrigin origin{.path = tmp.path + "/target.json", .profile = "dev"};
  ASSERT_EQ(::mkdir(origin.path.c_str(), 0700), 0);
  try {
    write_login_token_file(origin, SecretString("{\"secret\": \"TOPSECRET\"}"));
    FAIL() << "wrote over a directory";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ProviderFailure);
    EXPECT_THAT(e.what(), HasSubstr(origin.path));
    EXPECT_THAT(e.what(), HasSubstr("aws login --profile dev"));
    EXPECT_THAT(e.what(), Not(HasSubstr("TOPSECRET")));
  }
  EXPECT_THAT(tmp.entries(tmp.path), ::testing::ElementsAre("target.json"));
  // A directory that cannot be created (its parent is a file).
  std::ofstream(tmp.path + "/file") << "x";
  EXPECT_THROW(write_login_token_file({.path = tmp.path + "/file/sub/x.json", .profile = "dev"},
                                      SecretString("{}")),
               CredentialsError);
}

}  // namespace
}  // namespace awsauth::providers
