// Role profiles resolved by botocore and by awsauth against the same moto_server (signature
// checking on), compared by the identity STS reports (GetCallerIdentity ARN). The cases are
// generated here: chains of 1-3 AssumeRole hops through source_profile with the base keys in
// either file, credential_source = Environment, static keys in a source profile that also has
// role_arn, external_id and role_session_name (present or generated), and keys split across
// the two files (both must refuse). botocore resolves every case in one python3 process
// (role_chain_oracle.py); awsauth through make_default_credentials_provider with the same
// files and environment. Nothing leaves 127.0.0.1 (AWS_EC2_METADATA_DISABLED=true).

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "awsauth/context.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/sts/sts_client.hpp"
#include "moto_server.hpp"
#include "paths.hpp"

namespace awsauth {
namespace {

namespace fs = std::filesystem;
using Env = std::map<std::string, std::string, std::less<>>;

struct Case {
  std::string id;
  std::string config;
  std::string credentials;
  Env env;
  std::optional<std::string> profile;  // explicit; otherwise AWS_PROFILE names it
};

struct TempDir {
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "awsauth-role-diff-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

// A generated session name carries the time: compare its shape only.
std::string normalized(std::string arn) {
  static const std::regex generated("botocore-session-[0-9]+");
  return std::regex_replace(arn, generated, "botocore-session-<time>");
}

std::vector<Case> generate(const test::MotoUser& user, const std::vector<std::string>& roles) {
  const std::string keys = "aws_access_key_id = " + user.access_key_id +
                           "\naws_secret_access_key = " + user.secret_access_key + "\n";
  std::vector<Case> cases;
  int n = 0;
  for (int hops = 1; hops <= 3; ++hops) {
    for (const bool base_in_credentials : {true, false}) {
      for (const bool named_session : {true, false}) {
        Case c;
        c.id = "chain-" + std::to_string(n);
        (base_in_credentials ? c.credentials : c.config) +=
            (base_in_credentials ? "[base]\n" : "[profile base]\n") + keys;
        std::string source = "base";
        for (int h = 1; h <= hops; ++h) {
          const std::string name = "hop" + std::to_string(h);
          c.config += "[profile " + name + "]\nrole_arn = " + roles[h - 1] +
                      "\nsource_profile = " + source + "\n";
          if (named_session)
            c.config += "role_session_name = s" + std::to_string(n) + "-" + name + "\n";
          if ((n + h) % 2 == 0) c.config += "external_id = ext-" + name + "\n";
          source = name;
        }
        if (n % 2 == 0) {
          c.profile = source;
        } else {
          c.env["AWS_PROFILE"] = source;
        }
        cases.push_back(std::move(c));
        ++n;
      }
    }
  }
  // credential_source = Environment: the environment keys feed the role even though an
  // explicit profile leaves the environment provider out of the chain.
  for (const bool two_hops : {false, true}) {
    Case c;
    c.id = "env-source-" + std::to_string(two_hops);
    c.config = "[profile first]\nrole_arn = " + roles[0] +
               "\ncredential_source = Environment\nrole_session_name = from-env\n";
    if (two_hops) {
      c.config += "[profile second]\nrole_arn = " + roles[1] +
                  "\nsource_profile = first\nexternal_id = outer\n";
    }
    c.env["AWS_ACCESS_KEY_ID"] = user.access_key_id;
    c.env["AWS_SECRET_ACCESS_KEY"] = user.secret_access_key;
    c.profile = two_hops ? "second" : "first";
    cases.push_back(std::move(c));
  }
  // Static keys in a source profile win over its own role_arn.
  {
    Case c;
    c.id = "source-keys-win";
    c.credentials = "[mid]\n" + keys;
    c.config = "[profile mid]\nrole_arn = " + roles[2] +
               "\nsource_profile = mid\n[profile top]\nrole_arn = " + roles[0] +
               "\nsource_profile = mid\nrole_session_name = keys-win\n";
    c.profile = "top";
    cases.push_back(std::move(c));
  }
  // Self-reference with static keys: assume the role with the profile's own keys.
  {
    Case c;
    c.id = "self-source";
    c.credentials = "[self]\n" + keys;
    c.config = "[profile self]\nrole_arn = " + roles[1] +
               "\nsource_profile = self\nrole_session_name = me\n";
    c.env["AWS_PROFILE"] = "self";
    cases.push_back(std::move(c));
  }
  // A source profile's key id and secret in different files do not combine.
  {
    Case c;
    c.id = "split-keys";
    c.credentials = "[base]\naws_access_key_id = " + user.access_key_id + "\n";
    c.config = "[profile base]\naws_secret_access_key = " + user.secret_access_key +
               "\n[profile top]\nrole_arn = " + roles[0] + "\nsource_profile = base\n";
    c.profile = "top";
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(RoleChainDifferential, AwsauthAssumesTheSameRolesAsBotocore) {
  test::MotoServer moto;
  const auto user = moto.create_user("diff-user");
  const std::vector<std::string> roles = {moto.create_role("diff-r1"), moto.create_role("diff-r2"),
                                          moto.create_role("diff-r3")};
  moto.require_signatures(true);

  TempDir root;
  auto cases = generate(user, roles);
  Poco::JSON::Array input;
  for (auto& c : cases) {
    const fs::path home = root.path / c.id;
    fs::create_directories(home / ".aws");
    std::ofstream(home / ".aws" / "config") << c.config;
    std::ofstream(home / ".aws" / "credentials") << c.credentials;
    c.env["HOME"] = home.string();
    c.env["AWS_EC2_METADATA_DISABLED"] = "true";
    c.env["AWS_ENDPOINT_URL_STS"] = moto.url();
    c.env["AWS_DEFAULT_REGION"] = "us-east-1";
    Poco::JSON::Object o;
    o.set("id", c.id);
    Poco::JSON::Object env;
    for (const auto& [k, v] : c.env) env.set(k, v);
    o.set("env", env);
    if (c.profile) o.set("profile", *c.profile);
    input.add(o);
  }
  {
    std::ofstream out(root.path / "cases.json");
    input.stringify(out);
  }

  ProcessRequest oracle;
  oracle.argv = {"python3", test::source_dir() + "/tests/differential/role_chain_oracle.py",
                 (root.path / "cases.json").string(), (root.path / "results.json").string()};
  oracle.timeout = std::chrono::minutes(3);
  oracle.pass_through_stderr = false;
  const auto ran = make_system_process_runner()->run(oracle);
  ASSERT_EQ(ran.exit_code, 0) << "the botocore oracle failed (botocore must be importable):\n"
                              << ran.stderr_data;
  std::ifstream in(root.path / "results.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto results = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();

  int arns = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id + "\n[config]\n" + c.config + "[credentials]\n" + c.credentials);
    ASSERT_TRUE(results->has(c.id));
    const auto expected = results->getObject(c.id);

    Context ctx;
    ctx.environment = std::make_shared<MapEnvironment>(c.env);
    ctx.files = std::make_shared<RealFileSystem>();
    ctx.clock = std::make_shared<SystemClock>();
    ctx.random = std::make_shared<SystemRandom>();
    ctx.http = make_poco_http_client();
    ctx.processes = make_system_process_runner();
    ctx.resolver = make_system_resolver();
    std::string actual;
    try {
      const auto credentials =
          providers::make_default_credentials_provider(ctx, {.profile = c.profile})->get();
      providers::StsClientSettings settings;
      settings.endpoint = {moto.url(), "us-east-1"};
      actual = providers::StsClient(ctx, settings).caller_identity_arn(*credentials);
    } catch (const CredentialsError& e) {
      EXPECT_TRUE(expected->has("error"))
          << "awsauth failed where botocore found " << expected->getValue<std::string>("arn")
          << ": " << e.what();
      continue;
    }
    ASSERT_TRUE(expected->has("arn"))
        << "awsauth found " << actual
        << " where botocore failed: " << expected->getValue<std::string>("error");
    EXPECT_EQ(normalized(actual), normalized(expected->getValue<std::string>("arn")));
    ++arns;
  }
  // Every case but the split-keys one resolves to a role.
  EXPECT_EQ(arns, static_cast<int>(cases.size()) - 1);
}

}  // namespace
}  // namespace awsauth
