// The docs/examples programs of the seed's four uses, run as a user runs them. Against
// moto_server with signature checking on where moto verifies the request (moto 5.2.1 checks
// SigV4 for STS, API Gateway, Lambda, OpenSearch and S3, but rejects every correctly signed
// GET of its REST services — botocore's own included — and does not check its `es` API at
// all): the API Gateway POST, the Lambda-style POST with environment session credentials and
// the STS role profile. The OpenSearch GET goes to a loopback server instead, and botocore
// computes the signature of the request it received.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "cli_run.hpp"
#include "loopback_server.hpp"
#include "moto_server.hpp"

namespace awsauth {
namespace {

namespace fs = std::filesystem;
using test::CliResult;
using test::MotoServer;
using test::MotoUser;
using ::testing::HasSubstr;
using Env = std::map<std::string, std::string>;

std::string example(const std::string& name) {
  return std::string(AWSAUTH_EXAMPLES_DIR) + "/" + name;
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class SeedExamples : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = fs::temp_directory_path() / ("awsauth-examples-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    moto = std::make_unique<MotoServer>();
    user = moto->create_user("example-user");
    role_arn = moto->create_role("example-role");
    // Session credentials (with a token) as Lambda puts them in the environment.
    std::istringstream lines(moto->python(
        "s = boto3.client('sts', endpoint_url='" + moto->url() +
        "', region_name='us-east-1', aws_access_key_id='" + user.access_key_id +
        "', aws_secret_access_key='" + user.secret_access_key + "')\nr = s.assume_role(RoleArn='" +
        role_arn +
        "', RoleSessionName='lambda-session')\nc = r['Credentials']\n"
        "print(c['AccessKeyId']); print(c['SecretAccessKey']); print(c['SessionToken'])\n"));
    std::getline(lines, session_key);
    std::getline(lines, session_secret);
    std::getline(lines, session_token);
    std::ofstream(dir / "credentials")
        << "[base]\naws_access_key_id = " << user.access_key_id
        << "\naws_secret_access_key = " << user.secret_access_key << "\n";
    std::ofstream(dir / "config") << "[profile app]\nrole_arn = " << role_arn
                                  << "\nsource_profile = base\nrole_session_name = app-session\n"
                                     "region = us-east-1\n";
    moto->require_signatures(true);
  }
  static void TearDownTestSuite() {
    moto.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  // `name args...` with only `env` (plus the test's files, no instance metadata).
  static CliResult run(const std::string& name, const std::vector<std::string>& args, Env env) {
    env.insert({{"HOME", dir.string()},
                {"AWS_CONFIG_FILE", (dir / "config").string()},
                {"AWS_SHARED_CREDENTIALS_FILE", (dir / "credentials").string()}});
    return test::run_program(example(name), args, env, std::chrono::seconds(60));
  }
  static Env user_keys() {
    return {{"AWS_REGION", "us-east-1"},
            {"AWS_ACCESS_KEY_ID", user.access_key_id},
            {"AWS_SECRET_ACCESS_KEY", user.secret_access_key}};
  }

  static std::unique_ptr<MotoServer> moto;
  static MotoUser user;
  static std::string role_arn, session_key, session_secret, session_token;
  static fs::path dir;
};
std::unique_ptr<MotoServer> SeedExamples::moto;
MotoUser SeedExamples::user;
std::string SeedExamples::role_arn, SeedExamples::session_key, SeedExamples::session_secret,
    SeedExamples::session_token;
fs::path SeedExamples::dir;

TEST_F(SeedExamples, ApiGatewayPostOfJsonIsAcceptedByMoto) {
  const CliResult r =
      run("api_gateway_post", {moto->url() + "/restapis", "apigateway"}, user_keys());
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("\"name\": \"awsauth-example\""));
}

TEST_F(SeedExamples, ApiGatewayPostWithAWrongSecretIsRejected) {
  Env env = user_keys();
  env["AWS_SECRET_ACCESS_KEY"] = "wrong";
  const CliResult r = run("api_gateway_post", {moto->url() + "/restapis", "apigateway"}, env);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("SignatureDoesNotMatch"));
}

TEST_F(SeedExamples, ApiGatewayPostTakesItsUrlFromTheEnvironmentAndSignsForExecuteApi) {
  test::LoopbackServer server;
  server.enqueue({.status = 200, .body = "{\"ok\": true}"});
  Env env = user_keys();
  env["API_URL"] = server.url("/prod/items");
  const CliResult r = run("api_gateway_post", {}, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(server.request_count(), 1U);
  const test::RecordedRequest sent = server.requests()[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.target, "/prod/items");
  EXPECT_EQ(sent.body, R"({"name": "awsauth-example"})");
  EXPECT_EQ(*sent.header("Content-Type"), "application/json");
  EXPECT_THAT(*sent.header("Authorization"), HasSubstr("/us-east-1/execute-api/aws4_request"));
  EXPECT_EQ(run("api_gateway_post", {}, user_keys()).exit_code, 2);  // no URL: usage
}

TEST_F(SeedExamples, StsRoleProfileCallsAsTheAssumedRole) {
  const CliResult r = run("sts_role_profile", {moto->url() + "/"},
                          {{"AWS_PROFILE", "app"}, {"AWS_ENDPOINT_URL_STS", moto->url()}});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_THAT(
      r.out,
      HasSubstr("<Arn>arn:aws:sts::123456789012:assumed-role/example-role/app-session</Arn>"));
}

TEST_F(SeedExamples, NoRegionIsAnErrorNamingEveryPlace) {
  const CliResult r = run("sts_role_profile", {moto->url() + "/"},
                          {{"AWS_ACCESS_KEY_ID", user.access_key_id},
                           {"AWS_SECRET_ACCESS_KEY", user.secret_access_key}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no AWS region: AWS_REGION and AWS_DEFAULT_REGION are not set, "
                               "profile `default` has no `region`"));
  EXPECT_EQ(r.err.find(user.secret_access_key), std::string::npos);
}

TEST_F(SeedExamples, LambdaWithEnvironmentSessionCredentialsIsAcceptedByMoto) {
  const CliResult r = run("lambda_environment", {moto->url() + "/restapis", "apigateway"},
                          {{"AWS_REGION", "us-east-1"},
                           {"AWS_ACCESS_KEY_ID", session_key},
                           {"AWS_SECRET_ACCESS_KEY", session_secret},
                           {"AWS_SESSION_TOKEN", session_token}});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("\"name\": \"awsauth-example\""));
}

TEST_F(SeedExamples, LambdaWithoutItsSessionTokenIsRejected) {
  const CliResult r = run("lambda_environment", {moto->url() + "/restapis", "apigateway"},
                          {{"AWS_REGION", "us-east-1"},
                           {"AWS_ACCESS_KEY_ID", session_key},
                           {"AWS_SECRET_ACCESS_KEY", session_secret}});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  // moto checks the token of session keys: without it they are unknown.
  EXPECT_THAT(r.out, HasSubstr("<Code>InvalidClientTokenId</Code>"));
}

// opensearch_get uses the libcurl adapter: built only when libcurl is found.
#ifdef AWSAUTH_HAVE_LIBCURL

TEST_F(SeedExamples, OpenSearchGetCarriesTheSignatureBotocoreComputes) {
  test::LoopbackServer server;
  server.enqueue({.status = 200, .body = "green open logs\n"});
  const std::string url = server.url("/_cat/indices?v=true");
  const CliResult r = run("opensearch_get", {url}, user_keys());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "green open logs\n");
  ASSERT_EQ(server.request_count(), 1U);
  const test::RecordedRequest sent = server.requests()[0];
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.target, "/_cat/indices?v=true");
  const std::string authorization = *sent.header("Authorization");
  const std::string amz_date = *sent.header("X-Amz-Date");
  EXPECT_THAT(authorization, HasSubstr("/us-east-1/es/aws4_request"));
  const std::string host = url.substr(7, url.find('/', 7) - 7);
  const std::string botocore = test::run_command(
      "python3 -c " +
      quote("import sys\n"
            "from botocore.auth import SigV4Auth\n"
            "from botocore.awsrequest import AWSRequest\n"
            "from botocore.credentials import Credentials\n"
            "url, host, date, key, secret = sys.argv[1:]\n"
            "req = AWSRequest(method='GET', url=url, headers={'host': host, 'X-Amz-Date': date})\n"
            "req.context['timestamp'] = date\n"
            "auth = SigV4Auth(Credentials(key, secret), 'es', 'us-east-1')\n"
            "print(auth.signature(auth.string_to_sign(req, auth.canonical_request(req)), req))\n") +
      " " + quote(url) + " " + host + " " + amz_date + " " + user.access_key_id + " " +
      quote(user.secret_access_key));
  EXPECT_EQ(authorization.substr(authorization.find("Signature=") + 10),
            botocore.substr(0, botocore.find('\n')));
  EXPECT_THAT(authorization, HasSubstr("SignedHeaders=host;x-amz-date,"));
}

TEST_F(SeedExamples, OpenSearchGetTakesItsUrlFromTheEnvironment) {
  test::LoopbackServer server;
  server.enqueue({.status = 200, .body = "{}"});
  Env env = user_keys();
  env["OPENSEARCH_URL"] = server.url("/");
  const CliResult r = run("opensearch_get", {}, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server.request_count(), 1U);
}

#endif  // AWSAUTH_HAVE_LIBCURL

}  // namespace
}  // namespace awsauth
