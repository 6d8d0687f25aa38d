// The command line of every awsauth command, on the built binary: one parser (`--flag=value`,
// `--` ends the options, repeated -H), one usage-error style with a typo suggestion and exit
// code 2, and help on stdout with exit 0 that lists every option of the command's table.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "args.hpp"
#include "cli_run.hpp"
#include "commands.hpp"
#include "loopback_server.hpp"

namespace awsauth {
namespace {

using test::CliResult;
using test::LoopbackServer;
using test::run_cli;
using Env = std::map<std::string, std::string>;

const Env kKeys = {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                   {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                   {"AWS_REGION", "us-east-1"},
                   {"AWS_CONFIG_FILE", "/nonexistent/config"},
                   {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}};

std::string usage_error(const std::string& command, const std::string& message) {
  const std::string program = command.empty() ? "awsauth" : "awsauth " + command;
  return program + ": " + message + "\nRun '" + program + " --help' for the " +
         (command.empty() ? "commands" : "options") + ".\n";
}

std::string header_of(const test::RecordedRequest& request, const std::string& name) {
  const std::string* value = request.header(name);
  return value != nullptr ? *value : "<absent>";
}

/// `text` with every run of spaces and newlines made one space: the help wraps at 100 columns.
std::string squeezed(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (space && !out.empty() && out.back() == ' ') continue;
    out += space ? ' ' : c;
  }
  return out;
}

/// A credentials file with profile `src` holding static keys.
class ProfileFiles {
 public:
  ProfileFiles() {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "credentials") << "[src]\naws_access_key_id = AKIDSRC\n"
                                           "aws_secret_access_key = srcsecret\n";
    std::ofstream(dir_ / "config") << "[profile src]\nregion = eu-west-1\n";
  }
  ~ProfileFiles() { std::filesystem::remove_all(dir_); }
  ProfileFiles(const ProfileFiles&) = delete;
  ProfileFiles& operator=(const ProfileFiles&) = delete;

  [[nodiscard]] Env env() const {
    return {{"AWS_CONFIG_FILE", (dir_ / "config").string()},
            {"AWS_SHARED_CREDENTIALS_FILE", (dir_ / "credentials").string()}};
  }

 private:
  std::filesystem::path dir_ =
      std::filesystem::temp_directory_path() / ("awsauth_cmdline_" + std::to_string(::getpid()));
};

// --- typo suggestions, missing values, exit code 2 -------------------------------------------

TEST(CommandLine, TypoInAnOptionIsSuggestedForEveryCommand) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"creds", "--profle", "x"}, "unknown option '--profle' (did you mean '--profile'?)"},
      {{"creds", "--fromat", "env"}, "unknown option '--fromat' (did you mean '--format'?)"},
      {{"sign", "--servce", "s3"}, "unknown option '--servce' (did you mean '--service'?)"},
      {{"sign", "--unsigned"}, "unknown option '--unsigned' (did you mean '--unsigned-payload'?)"},
      {{"curl", "--regoin", "r"}, "unknown option '--regoin' (did you mean '--region'?)"},
      {{"curl", "-x", "PUT"}, "unknown option '-x' (did you mean '-X'?)"},
      {{"curl", "-profile", "p"}, "unknown option '-profile' (did you mean '--profile'?)"},
      {{"curl", "--verbos"}, "unknown option '--verbos' (did you mean '--verbose'?)"},
      {{"which", "--fromat", "json"}, "unknown option '--fromat' (did you mean '--format'?)"},
  };
  for (const auto& [args, message] : cases) {
    const CliResult r = run_cli(args, kKeys);
    EXPECT_EQ(r.exit_code, 2) << args[1];
    EXPECT_EQ(r.err, usage_error(args[0], message));
    EXPECT_EQ(r.out, "");
  }
}

TEST(CommandLine, NothingCloseMeansNoSuggestion) {
  const CliResult r = run_cli({"curl", "--zzzzzz"}, kKeys);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, usage_error("curl", "unknown option '--zzzzzz'"));
}

TEST(CommandLine, MissingValueAndBadChoiceUseTheSameStyle) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"creds", "--profile"}, "option '--profile' needs a value (NAME)"},
      {{"creds", "--format", "yaml"},
       "invalid value 'yaml' for '--format' (expected process, env or json)"},
      {{"creds", "--format=yaml"},
       "invalid value 'yaml' for '--format' (expected process, env or json)"},
      {{"curl", "--service", "sts", "-H"}, "option '-H' needs a value ('Name: value')"},
      {{"curl", "--service", "sts"}, "missing URL"},
      {{"curl", "https://h.invalid/"}, "--service is required (e.g. --service sts)"},
      {{"curl", "--service", "s", "--service", "t", "https://h.invalid/"},
       "option '--service' given more than once"},
      {{"sign", "--format", "yaml"},
       "invalid value 'yaml' for '--format' (expected json, headers or curl)"},
  };
  for (const auto& [args, message] : cases) {
    const CliResult r = run_cli(args, kKeys);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_EQ(r.err, usage_error(args[0], message));
  }
}

TEST(CommandLine, UnknownOrMissingCommandIsAUsageErrorSuggestingTheCommand) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"sgin"}, "unknown command 'sgin' (did you mean 'sign'?)"},
      {{"cred"}, "unknown command 'cred' (did you mean 'creds'?)"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{}, "missing command"},
      {{"help", "crul"}, "unknown command 'crul' (did you mean 'curl'?)"},
      {{"--versoin"}, "unknown option '--versoin' (did you mean '--version'?)"},
  };
  for (const auto& [args, message] : cases) {
    const CliResult r = run_cli(args, {});
    EXPECT_EQ(r.exit_code, 2) << message;
    EXPECT_EQ(r.err, usage_error("", message));
    EXPECT_EQ(r.out, "");
  }
}

// --- --flag=value, --, repeated -H ---------------------------------------------------------

TEST(CommandLine, CredsTakesFlagEqualsValue) {
  const ProfileFiles files;
  const CliResult spaced = run_cli({"creds", "--profile", "src", "--format", "env"}, files.env());
  const CliResult equals = run_cli({"creds", "--profile=src", "--format=env"}, files.env());
  ASSERT_EQ(spaced.exit_code, 0) << spaced.err;
  EXPECT_EQ(equals.exit_code, 0) << equals.err;
  EXPECT_EQ(equals.out, spaced.out);
  EXPECT_EQ(equals.out,
            "export AWS_ACCESS_KEY_ID='AKIDSRC'\nexport AWS_SECRET_ACCESS_KEY='srcsecret'\n");
}

TEST(CommandLine, DoubleDashEndsTheOptions) {
  // After `--` an option-looking word is an operand: creds takes none, sign neither.
  const CliResult creds = run_cli({"creds", "--", "--profile"}, kKeys);
  EXPECT_EQ(creds.exit_code, 2);
  EXPECT_EQ(creds.err, usage_error("creds", "unexpected argument '--profile'"));
  const CliResult sign = run_cli({"sign", "--method", "GET", "--", "--url"}, kKeys);
  EXPECT_EQ(sign.exit_code, 2);
  EXPECT_EQ(sign.err, usage_error("sign", "unexpected argument '--url'"));
  // curl's URL may follow `--`.
  LoopbackServer server;
  server.enqueue({.status = 200, .body = "after-dashes"});
  const CliResult curl = run_cli({"curl", "--service", "sts", "--", server.url("/")}, kKeys);
  EXPECT_EQ(curl.exit_code, 0) << curl.err;
  EXPECT_EQ(curl.out, "after-dashes");
}

TEST(CommandLine, CurlTakesFlagEqualsValueAndRepeatedHeaders) {
  const ProfileFiles files;
  LoopbackServer server;
  server.enqueue({.status = 200, .body = "ok"});
  const CliResult r =
      run_cli({"curl", "--profile=src", "--service=sts", "--region=us-west-2", "-H", "X-One: 1",
               "--header=X-Two: 2", "-HX-Three: 3", "--request=PUT", server.url("/p")},
              files.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok");
  const auto requests = server.requests();  // a copy: the server may still be recording
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests[0];
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(header_of(request, "X-One"), "1");
  EXPECT_EQ(header_of(request, "X-Two"), "2");
  EXPECT_EQ(header_of(request, "X-Three"), "3");
  const std::string authorization = header_of(request, "Authorization");
  EXPECT_NE(authorization.find("Credential=AKIDSRC/"), std::string::npos) << authorization;
  EXPECT_NE(authorization.find("/us-west-2/sts/aws4_request"), std::string::npos);
  EXPECT_NE(authorization.find("x-one;x-three;x-two"), std::string::npos) << authorization;
}

TEST(CommandLine, SignTakesFlagEqualsValueWithTheSameOutput) {
  const std::vector<std::string> spaced = {
      "sign",     "--method",  "GET",       "--url",  "https://iam.amazonaws.com/",
      "--region", "us-east-1", "--service", "iam",    "-H",
      "X-A: 1",   "-H",        "X-B: 2",    "--time", "20150830T123600Z"};
  const std::vector<std::string> equals = {"sign",
                                           "--method=GET",
                                           "--url=https://iam.amazonaws.com/",
                                           "--region=us-east-1",
                                           "--service=iam",
                                           "--header=X-A: 1",
                                           "-HX-B: 2",
                                           "--time=20150830T123600Z"};
  const CliResult a = run_cli(spaced, kKeys);
  const CliResult b = run_cli(equals, kKeys);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out.find("\"signed_headers\": \"host;x-a;x-amz-date;x-b\""), std::string::npos)
      << a.out;
}

// --- help -------------------------------------------------------------------------------------

TEST(CommandLine, EveryCommandsHelpListsEachOptionWithItsMeaningAndTheExitCodes) {
  for (const auto& command : cli::commands()) {
    const cli::CommandSpec& spec = command.spec();
    const CliResult help = run_cli({spec.name, "--help"}, {});
    EXPECT_EQ(help.exit_code, 0) << spec.name;
    EXPECT_EQ(help.err, "");
    const std::string text = squeezed(help.out);
    for (const auto& option : spec.accepted_options()) {
      EXPECT_NE(text.find("--" + option.name), std::string::npos) << option.name;
      EXPECT_NE(text.find(option.meaning), std::string::npos) << spec.name << ": " << option.name;
      if (!option.default_text.empty()) {
        EXPECT_NE(text.find("(default: " + option.default_text + ")"), std::string::npos)
            << spec.name << ": " << option.name;
      }
    }
    EXPECT_NE(help.out.find("\nexit codes:\n  0 "), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("\n  2   usage error"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("\nenvironment:\n"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("\nexamples:\n"), std::string::npos) << help.out;
    EXPECT_EQ(run_cli({spec.name, "-h"}, {}).out, help.out) << spec.name;
    EXPECT_EQ(run_cli({"help", spec.name}, {}).out, help.out) << spec.name;
  }
}

TEST(CommandLine, HelpStatesTheProfileDefaultTheLibraryApplies) {
  // providers' select_profile: AWS_DEFAULT_PROFILE is read before AWS_PROFILE.
  for (const std::string command : {"creds", "curl"}) {
    const CliResult help = run_cli({command, "--help"}, {});
    const std::string text = squeezed(help.out);
    EXPECT_NE(text.find("(default: AWS_DEFAULT_PROFILE, else AWS_PROFILE, else 'default')"),
              std::string::npos)
        << help.out;
    EXPECT_NE(text.find("AWS_DEFAULT_PROFILE wins when both are set"), std::string::npos);
  }
  const CliResult sign = run_cli({"sign", "--help"}, {});
  EXPECT_NE(sign.out.find("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY"), std::string::npos);
  EXPECT_EQ(sign.out.find("AWS_PROFILE"), std::string::npos) << "sign reads no profile";
}

TEST(CommandLine, TopLevelHelpListsTheCommandsAndVersion) {
  const CliResult help = run_cli({"--help"}, {});
  EXPECT_EQ(help.exit_code, 0);
  for (const auto& command : cli::commands()) {
    EXPECT_NE(help.out.find("\n  " + command.spec().name + " "), std::string::npos)
        << command.spec().name;
  }
  EXPECT_NE(help.out.find("  --version                   print the version"), std::string::npos)
      << help.out;
  EXPECT_NE(help.out.find("\nexit codes:\n"), std::string::npos);
  EXPECT_EQ(run_cli({"-h"}, {}).out, help.out);
  EXPECT_EQ(run_cli({"help"}, {}).out, help.out);
  const CliResult version = run_cli({"--version"}, {});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("awsauth ", 0), 0u) << version.out;
}

}  // namespace
}  // namespace awsauth
