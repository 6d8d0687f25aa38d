// `awsauth creds --format json` against botocore on generated combinations of config file,
// credentials file, environment and --profile. creds_oracle.py generates the cases (fixed seed)
// and resolves them all with botocore in one Python process; each case is then run through the
// real awsauth binary with exactly that environment (env -i) and must agree: same access key,
// secret, token and method name, or both fail.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "awsauth/context.hpp"
#include "cli_run.hpp"
#include "paths.hpp"

namespace awsauth {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

constexpr int kSeed = 20261122;
constexpr int kCases = 400;

struct TempDir {
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "awsauth-creds-diff-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

std::string field(const Object::Ptr& o, const std::string& key) {
  return o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : "";
}

TEST(CredsDifferential, AgreesWithBotocoreOnEveryGeneratedCombination) {
  TempDir root;
  auto runner = make_system_process_runner();

  ProcessRequest oracle;
  oracle.argv = {"python3", test::source_dir() + "/tests/differential/creds_oracle.py",
                 root.path.string(), std::to_string(kSeed), std::to_string(kCases)};
  oracle.timeout = std::chrono::minutes(3);
  oracle.pass_through_stderr = false;
  const auto generated = runner->run(oracle);
  ASSERT_EQ(generated.exit_code, 0) << "the botocore oracle failed (botocore must be importable):\n"
                                    << generated.stderr_data;

  std::ifstream in(root.path / "manifest.json");
  std::stringstream text;
  text << in.rdbuf();
  Poco::JSON::Parser parser;
  const auto manifest = parser.parse(text.str()).extract<Object::Ptr>();
  const auto path_var = manifest->getValue<std::string>("path");
  const auto cases = manifest->getArray("cases");
  ASSERT_EQ(cases->size(), static_cast<std::size_t>(kCases));

  int found = 0;
  int agreed = 0;
  for (std::size_t i = 0; i < cases->size(); ++i) {
    const auto c = cases->getObject(static_cast<unsigned>(i));
    const auto env = c->getObject("env");
    const auto expected = c->getObject("expected");

    std::map<std::string, std::string> vars = {{"PATH", path_var}};
    std::string described = "env:";
    for (const auto& name : env->getNames()) {
      vars[name] = env->getValue<std::string>(name);
      described += " " + name + "=" + env->getValue<std::string>(name);
    }
    std::vector<std::string> args = {"creds", "--format", "json"};
    if (!c->isNull("profile")) {
      args.insert(args.end(), {"--profile", c->getValue<std::string>("profile")});
      described += " --profile " + c->getValue<std::string>("profile");
    }
    const auto ours = test::run_cli(args, vars, std::chrono::seconds(20));
    SCOPED_TRACE("case " + c->getValue<std::string>("dir") + " " + described +
                 "\nawsauth stderr: " + ours.err);

    const bool botocore_ok = expected->getValue<bool>("ok");
    if (!botocore_ok) {
      EXPECT_EQ(ours.exit_code, 1)
          << "botocore failed (" << field(expected, "error") << ") but awsauth found credentials";
      agreed += ours.exit_code == 1 ? 1 : 0;
      continue;
    }
    ++found;
    ASSERT_EQ(ours.exit_code, 0) << "botocore found credentials via " << field(expected, "method");
    const auto got = Poco::JSON::Parser().parse(ours.out).extract<Object::Ptr>();
    const bool same = field(got, "AccessKeyId") == field(expected, "access_key") &&
                      field(got, "SecretAccessKey") == field(expected, "secret_key") &&
                      field(got, "SessionToken") == field(expected, "token") &&
                      field(got, "ProviderName") == field(expected, "method");
    EXPECT_EQ(field(got, "AccessKeyId"), field(expected, "access_key"));
    EXPECT_EQ(field(got, "SecretAccessKey"), field(expected, "secret_key"));
    EXPECT_EQ(field(got, "SessionToken"), field(expected, "token"));
    EXPECT_EQ(field(got, "ProviderName"), field(expected, "method"));
    agreed += same ? 1 : 0;
  }
  EXPECT_EQ(agreed, kCases);
  // The generator must exercise both outcomes meaningfully, or the test proves little.
  EXPECT_GE(found, kCases / 4);
  EXPECT_GE(kCases - found, kCases / 4);
}

}  // namespace
}  // namespace awsauth
