// `awsauth which` on each kind of source (environment, static profile, role chain against
// moto, container endpoint and instance metadata on loopback, failing chains), with the JSON
// form parsed; and the MFA prompt of `creds` / `which` on a pseudo-terminal, without one, and
// served from the on-disk assumed-role cache. Nothing leaves 127.0.0.1.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.hpp"
#include "fake_imds.hpp"
#include "loopback_server.hpp"
#include "moto_server.hpp"
#include "paths.hpp"

namespace {

namespace fs = std::filesystem;
using awsauth::test::CliResult;
using awsauth::test::LoopbackServer;
using awsauth::test::MotoServer;
using awsauth::test::MotoUser;
using awsauth::test::RecordedRequest;
using awsauth::test::ScriptedResponse;
using Env = std::map<std::string, std::string>;

constexpr const char* kMfaSerial = "arn:aws:iam::123456789012:mfa/alice";
constexpr const char* kStaticSecret = "StaticSecretKeyThatMustNeverBePrinted0001";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Poco::JSON::Object::Ptr parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// The `tried` list as "provider=outcome" strings, in order.
std::vector<std::string> outcomes(const Poco::JSON::Object::Ptr& report) {
  std::vector<std::string> out;
  const auto tried = report->getArray("tried");
  for (std::size_t i = 0; i < tried->size(); ++i) {
    const auto entry = tried->getObject(static_cast<unsigned>(i));
    out.push_back(entry->getValue<std::string>("provider") + "=" +
                  entry->getValue<std::string>("outcome"));
  }
  return out;
}

std::string reason_of(const Poco::JSON::Object::Ptr& report, const std::string& provider) {
  const auto tried = report->getArray("tried");
  for (std::size_t i = 0; i < tried->size(); ++i) {
    const auto entry = tried->getObject(static_cast<unsigned>(i));
    if (entry->getValue<std::string>("provider") == provider) {
      return entry->isNull("reason") ? "<null>" : entry->getValue<std::string>("reason");
    }
  }
  return "<absent>";
}

void expect_no_secret(const CliResult& r, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    EXPECT_EQ(r.out.find(secret), std::string::npos) << "stdout shows a secret: " << r.out;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << "stderr shows a secret: " << r.err;
  }
}

// Runs the CLI in `env` (no other variable) in a new session with no controlling terminal,
// or with a pseudo-terminal as its controlling terminal (stdin and /dev/tty) that `answer` is
// typed into once the MFA prompt shows. stdout and stderr go to files, never to the terminal,
// so what the terminal shows is exactly what was written to /dev/tty.
struct TtyRun {
  int exit_code = -1;
  std::string out, err, terminal;
};

TtyRun run_with_terminal(bool with_terminal, const std::vector<std::string>& args, const Env& env,
                         const fs::path& dir, const std::string& answer = "") {
  const fs::path out_path = dir / "tty-run.out", err_path = dir / "tty-run.err";
  std::vector<std::string> strings = {awsauth::test::cli_path()};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  int master = -1;
  const pid_t pid = with_terminal ? ::forkpty(&master, nullptr, nullptr, nullptr) : ::fork();
  if (pid == 0) {
    if (!with_terminal) {
      ::setsid();  // a new session: no controlling terminal, open("/dev/tty") fails
      const int null_in = ::open("/dev/null", O_RDONLY);
      ::dup2(null_in, 0);
    }
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  TtyRun run;
  if (with_terminal) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool answered = false;
    for (;;) {
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 200) > 0) {
        char buf[512];
        const ssize_t n = ::read(master, buf, sizeof buf);
        if (n <= 0) break;  // EIO: the child closed the terminal
        run.terminal.append(buf, static_cast<std::size_t>(n));
      }
      if (!answered && !answer.empty() && run.terminal.find(": ") != std::string::npos) {
        const std::string line = answer + "\n";
        EXPECT_EQ(::write(master, line.data(), line.size()), static_cast<ssize_t>(line.size()));
        answered = true;
      }
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        break;
      }
    }
    ::close(master);
  }
  if (run.exit_code == -1) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  run.out = slurp(out_path);
  run.err = slurp(err_path);
  return run;
}

class WhichCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = fs::temp_directory_path() / ("awsauth-which-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    moto = std::make_unique<MotoServer>();
    user = moto->create_user("which-user");
    role_arn = moto->create_role("which-role");
    std::ofstream(dir / "credentials")
        << "[which-user]\naws_access_key_id = " << user.access_key_id
        << "\naws_secret_access_key = " << user.secret_access_key
        << "\n[static]\naws_access_key_id = AKIASTATICEXAMPLE1234\naws_secret_access_key = "
        << kStaticSecret << "\n";
    std::ofstream(dir / "config")
        << "[profile role-chain]\nrole_arn = " << role_arn
        << "\nsource_profile = which-user\nrole_session_name = which-chain\nregion = eu-west-3\n"
        << "[profile mfa-role]\nrole_arn = " << role_arn
        << "\nsource_profile = which-user\nrole_session_name = which-mfa\nregion = us-east-1\n"
        << "mfa_serial = " << kMfaSerial << "\n"
        << "[profile broken-process]\ncredential_process = /bin/false\n";
    moto->require_signatures(true);
  }
  static void TearDownTestSuite() {
    moto.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  // The test's files, HOME and STS endpoint, plus `env`.
  static Env base(Env env) {
    env.insert({{"HOME", dir.string()},
                {"AWS_CONFIG_FILE", (dir / "config").string()},
                {"AWS_SHARED_CREDENTIALS_FILE", (dir / "credentials").string()},
                {"AWS_ENDPOINT_URL_STS", moto->url()}});
    return env;
  }
  static CliResult which(const std::vector<std::string>& args, const Env& env = {}) {
    std::vector<std::string> all = {"which"};
    all.insert(all.end(), args.begin(), args.end());
    return awsauth::test::run_cli(all, base(env), std::chrono::seconds(60));
  }

  static std::unique_ptr<MotoServer> moto;
  static MotoUser user;
  static std::string role_arn;
  static fs::path dir;
};
std::unique_ptr<MotoServer> WhichCli::moto;
MotoUser WhichCli::user;
std::string WhichCli::role_arn;
fs::path WhichCli::dir;

TEST_F(WhichCli, EnvironmentKeysWinFirstAndNothingAfterThemIsTried) {
  const CliResult r = which({"--format", "json"}, {{"AWS_ACCESS_KEY_ID", "AKIAENVEXAMPLE9876"},
                                                   {"AWS_SECRET_ACCESS_KEY", "EnvSecretNeverShown"},
                                                   {"AWS_SESSION_TOKEN", "EnvTokenNeverShown"},
                                                   {"AWS_REGION", "ap-south-1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = parse(r.out);
  EXPECT_EQ(j->getValue<std::string>("provider"), "env");
  EXPECT_EQ(j->getValue<std::string>("access_key_id"), "**************9876");
  EXPECT_TRUE(j->isNull("expiration"));
  EXPECT_EQ(j->getValue<std::string>("region"), "ap-south-1");
  EXPECT_EQ(j->getValue<std::string>("region_source"), "AWS_REGION");
  EXPECT_EQ(j->getValue<std::string>("profile"), "default");
  EXPECT_EQ(j->getValue<std::string>("profile_source"), "default");
  const auto o = outcomes(j);
  ASSERT_EQ(o.size(), 10U);
  EXPECT_EQ(o[0], "env=won");
  for (std::size_t i = 1; i < o.size(); ++i) EXPECT_NE(o[i].find("=not tried"), std::string::npos);
  expect_no_secret(r, {"EnvSecretNeverShown", "EnvTokenNeverShown", "AKIAENVEXAMPLE9876"});
}

TEST_F(WhichCli, StaticProfileKeysShowEveryProviderPassedOverAndWhy) {
  const CliResult r = which({"--profile=static"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("provider:       the shared credentials file "
                       "(shared-credentials-file)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("access key id:  *****************1234\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expires:        never (long-term keys)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("profile:        static (from --profile)\n"), std::string::npos) << r.out;
  // --profile leaves the environment keys out: the role provider is tried first.
  EXPECT_NE(r.out.find("  1. assume-role: the role in role_arn\n"
                       "     not configured: profile `static` has no role_arn\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  4. shared-credentials-file: the shared credentials file\n     won\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  not tried: login, custom-process, config-file, container-role, "
                       "iam-role\n"),
            std::string::npos)
      << r.out;
  expect_no_secret(r, {kStaticSecret, "AKIASTATICEXAMPLE1234"});

  const CliResult j = which({"--profile", "static", "--format=json"}, {{"AWS_PROFILE", "other"}});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto report = parse(j.out);
  EXPECT_EQ(report->getValue<std::string>("provider"), "shared-credentials-file");
  EXPECT_EQ(report->getValue<std::string>("profile_source"), "--profile");
  EXPECT_TRUE(report->isNull("region"));
  EXPECT_EQ(reason_of(report, "assume-role"), "profile `static` has no role_arn");
  EXPECT_EQ(reason_of(report, "shared-credentials-file"), "<null>");
}

TEST_F(WhichCli, ProfileNamedByAwsProfileSaysSo) {
  const CliResult r = which({"--format", "json"}, {{"AWS_PROFILE", "static"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = parse(r.out);
  EXPECT_EQ(j->getValue<std::string>("profile"), "static");
  EXPECT_EQ(j->getValue<std::string>("profile_source"), "AWS_PROFILE");
  // AWS_PROFILE keeps the environment provider in the chain (botocore).
  EXPECT_EQ(outcomes(j)[0], "env=not configured");
}

TEST_F(WhichCli, RoleChainAgainstMotoReportsAssumeRoleWithExpiryAndProfileRegion) {
  const CliResult r = which({"--profile", "role-chain", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = parse(r.out);
  EXPECT_EQ(j->getValue<std::string>("provider"), "assume-role");
  const std::string key = j->getValue<std::string>("access_key_id");
  EXPECT_EQ(key.find_first_not_of('*'), key.size() - 4) << key;
  const std::string expiration = j->getValue<std::string>("expiration");
  EXPECT_EQ(expiration.size(), 20U) << expiration;  // 2026-12-01T14:00:00Z
  EXPECT_GT(j->getValue<long>("time_left_seconds"), 0);
  EXPECT_EQ(j->getValue<std::string>("region"), "eu-west-3");
  EXPECT_EQ(j->getValue<std::string>("region_source"), "the region of profile `role-chain`");
  EXPECT_EQ(outcomes(j)[0], "assume-role=won");
  expect_no_secret(r, {user.secret_access_key, "SecretAccessKey", "SessionToken"});

  const CliResult text = which({"--profile", "role-chain"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("provider:       the role in role_arn (assume-role)\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("region:         eu-west-3 (from the region of profile `role-chain`)"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(" (in "), std::string::npos) << text.out;
}

TEST_F(WhichCli, ContainerEndpointOnLoopbackWins) {
  LoopbackServer container;
  container.enqueue({.body = R"({"AccessKeyId":"ASIACONTAINER5678","SecretAccessKey":"CtrSecret",)"
                             R"("Token":"CtrToken","Expiration":"2031-02-03T04:05:06Z"})"});
  const CliResult r =
      which({"--format", "json"},
            {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url("/v1/credentials")},
             {"AWS_CONFIG_FILE", (dir / "none").string()},
             {"AWS_SHARED_CREDENTIALS_FILE", (dir / "none").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = parse(r.out);
  EXPECT_EQ(j->getValue<std::string>("provider"), "container-role");
  EXPECT_EQ(j->getValue<std::string>("access_key_id"), "*************5678");
  EXPECT_EQ(j->getValue<std::string>("expiration"), "2031-02-03T04:05:06Z");
  EXPECT_EQ(outcomes(j)[8], "container-role=won");
  EXPECT_EQ(outcomes(j)[9], "iam-role=not tried");
  EXPECT_EQ(reason_of(j, "config-file"), "no profile 'default' in " + (dir / "none").string());
  expect_no_secret(r, {"CtrSecret", "CtrToken"});
}

TEST_F(WhichCli, InstanceMetadataOnLoopbackWinsLast) {
  awsauth::test::FakeImds imds;
  imds.document_body = [] {
    return std::string(R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS4321",)"
                       R"("SecretAccessKey":"ImdsSecret","Token":"ImdsToken",)"
                       R"("Expiration":"2031-02-03T04:05:06Z"})");
  };
  LoopbackServer server{imds.handler()};
  const CliResult r =
      which({"--format", "json"}, {{"AWS_EC2_METADATA_DISABLED", "false"},
                                   {"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url("/")},
                                   {"AWS_CONFIG_FILE", (dir / "none").string()},
                                   {"AWS_SHARED_CREDENTIALS_FILE", (dir / "none").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = parse(r.out);
  EXPECT_EQ(j->getValue<std::string>("provider"), "iam-role");
  EXPECT_EQ(j->getValue<std::string>("access_key_id"), "********4321");
  const auto o = outcomes(j);
  EXPECT_EQ(o.back(), "iam-role=won");
  for (std::size_t i = 0; i + 1 < o.size(); ++i) {
    EXPECT_NE(o[i].find("=not configured"), std::string::npos) << o[i];
  }
  expect_no_secret(r, {"ImdsSecret", "ImdsToken"});
}

TEST_F(WhichCli, NoSourceAtAllPrintsTheWholeTraceWithProviderNullAndExitsOne) {
  const CliResult r =
      which({"--format", "json"}, {{"AWS_CONFIG_FILE", (dir / "none").string()},
                                   {"AWS_SHARED_CREDENTIALS_FILE", (dir / "none").string()}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "awsauth which: no credentials found\n");
  const auto j = parse(r.out);
  EXPECT_TRUE(j->isNull("provider"));
  EXPECT_TRUE(j->isNull("access_key_id"));
  EXPECT_TRUE(j->isNull("expiration"));
  const auto o = outcomes(j);
  ASSERT_EQ(o.size(), 10U);
  for (const auto& entry : o) EXPECT_NE(entry.find("=not configured"), std::string::npos) << entry;
  EXPECT_EQ(reason_of(j, "iam-role"), "disabled by AWS_EC2_METADATA_DISABLED=true");
}

TEST_F(WhichCli, ABrokenSourceIsFailedAndTheProvidersAfterItAreNotTried) {
  const CliResult r = which({"--profile", "broken-process"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "awsauth which: credentials could not be resolved\n");
  EXPECT_NE(r.out.find("provider:       none\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  6. custom-process: credential_process\n     failed: "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  not tried: config-file, container-role, iam-role\n"), std::string::npos)
      << r.out;

  const CliResult j = which({"--profile", "broken-process", "--format", "json"});
  EXPECT_EQ(j.exit_code, 1);
  const auto report = parse(j.out);
  EXPECT_TRUE(report->isNull("provider"));
  EXPECT_EQ(outcomes(report)[5], "custom-process=failed");
  EXPECT_NE(reason_of(report, "custom-process").find("exited with status 1"), std::string::npos)
      << reason_of(report, "custom-process");
}

TEST_F(WhichCli, ExpiredEnvironmentCredentialsAreAFailureThatStillShowsWhoAnswered) {
  const CliResult r =
      which({"--format", "json"}, {{"AWS_ACCESS_KEY_ID", "ASIAEXPIRED0001"},
                                   {"AWS_SECRET_ACCESS_KEY", "ExpiredSecret"},
                                   {"AWS_SESSION_TOKEN", "ExpiredToken"},
                                   {"AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00Z"}});
  EXPECT_EQ(r.exit_code, 1);
  const auto j = parse(r.out);
  EXPECT_TRUE(j->isNull("provider"));
  EXPECT_FALSE(j->isNull("error"));
  // The environment provider answered; the cache refused what it gave (the error says so).
  EXPECT_EQ(outcomes(j)[0], "env=won");
  expect_no_secret(r, {"ExpiredSecret", "ExpiredToken"});
}

TEST_F(WhichCli, AMissingNamedProfileFailsBeforeAnyProviderRuns) {
  const CliResult r = which({"--profile", "nope", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  const auto j = parse(r.out);
  EXPECT_TRUE(j->isNull("provider"));
  EXPECT_NE(j->getValue<std::string>("error").find("profile 'nope'"), std::string::npos);
  for (const auto& entry : outcomes(j)) EXPECT_NE(entry.find("=not tried"), std::string::npos);
}

TEST_F(WhichCli, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--format", "yaml"},
                                               {"--profle", "x"},
                                               {"--profile"},
                                               {"extra"},
                                               {"--profile="}}) {
    const CliResult r = which(args);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_EQ(r.err.rfind("awsauth which: ", 0), 0U) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
  const CliResult help = which({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out.rfind("usage: awsauth which [--profile NAME] [--format text|json]\n", 0), 0U);
}

// The STS requests the CLI sends, recorded on their way to moto (Host and body unchanged, so
// moto checks the signature exactly as if they had come straight to it).
class RecordingStsForwarder {
 public:
  explicit RecordingStsForwarder(const std::string& moto_url)
      : port_(static_cast<Poco::UInt16>(std::stoi(moto_url.substr(moto_url.rfind(':') + 1)))),
        server_([this](const RecordedRequest& r) { return forward(r); }) {}

  [[nodiscard]] std::string url() const { return server_.url("/"); }
  [[nodiscard]] std::vector<RecordedRequest> requests() const { return server_.requests(); }

 private:
  ScriptedResponse forward(const RecordedRequest& r) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", port_);
    Poco::Net::HTTPRequest request(r.method, r.target, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : r.headers) request.set(name, value);
    request.setContentLength(static_cast<std::streamsize>(r.body.size()));
    session.sendRequest(request) << r.body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    ScriptedResponse answer{.status = static_cast<int>(response.getStatus())};
    Poco::StreamCopier::copyToString(in, answer.body);
    answer.headers.push_back({"Content-Type", response.getContentType()});
    return answer;
  }

  Poco::UInt16 port_;
  LoopbackServer server_;
};

TEST_F(WhichCli, MfaCodeIsAskedOnTheTerminalSentToStsAndCachedOnDisk) {
  RecordingStsForwarder sts(moto->url());
  const fs::path cache = dir / "mfa-cache";
  fs::remove_all(cache);
  const Env env = base({{"AWS_ENDPOINT_URL_STS", sts.url()},
                        {"AWSAUTH_CREDENTIALS_CACHE_DIR", cache.string()},
                        {"PATH", "/usr/bin:/bin"},
                        {"AWS_EC2_METADATA_DISABLED", "true"}});
  Env with_forwarder = env;
  with_forwarder["AWS_ENDPOINT_URL_STS"] = sts.url();

  const TtyRun first = run_with_terminal(
      true, {"creds", "--profile", "mfa-role", "--format", "json"}, with_forwarder, dir, "654321");
  ASSERT_EQ(first.exit_code, 0) << first.err << first.terminal;
  // The prompt went to the terminal, and only there; the code is not in the output.
  EXPECT_EQ(first.terminal.rfind(std::string("Enter MFA code for ") + kMfaSerial + ": ", 0), 0U)
      << first.terminal;
  EXPECT_EQ(first.out.find("Enter MFA code"), std::string::npos) << first.out;
  EXPECT_EQ(first.out.find("654321"), std::string::npos) << first.out;
  EXPECT_EQ(first.err, "");
  EXPECT_NE(first.out.find("\"ProviderName\": \"assume-role\""), std::string::npos) << first.out;

  // moto answered an AssumeRole that carried the serial and the code typed.
  const auto requests = sts.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_NE(requests[0].body.find("Action=AssumeRole&"), std::string::npos) << requests[0].body;
  EXPECT_NE(requests[0].body.find("SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice"),
            std::string::npos)
      << requests[0].body;
  EXPECT_NE(requests[0].body.find("TokenCode=654321"), std::string::npos) << requests[0].body;
  ASSERT_TRUE(fs::exists(cache));
  EXPECT_FALSE(fs::is_empty(cache));

  // Next run: no terminal at all, no STS call, the same credentials, from the cache.
  const TtyRun second = run_with_terminal(
      false, {"creds", "--profile", "mfa-role", "--format", "json"}, with_forwarder, dir);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, first.out);
  EXPECT_EQ(sts.requests().size(), 1U);

  // `which` is served from the same cache, and shows no secret.
  const TtyRun which_run = run_with_terminal(
      false, {"which", "--profile", "mfa-role", "--format", "json"}, with_forwarder, dir);
  ASSERT_EQ(which_run.exit_code, 0) << which_run.err;
  EXPECT_EQ(parse(which_run.out)->getValue<std::string>("provider"), "assume-role");
  EXPECT_EQ(which_run.out.find("SessionToken"), std::string::npos);
  EXPECT_EQ(sts.requests().size(), 1U);
}

TEST_F(WhichCli, MfaProfileWithoutATerminalFailsNamingTheProfileAndMfaSerial) {
  Env env = base({{"PATH", "/usr/bin:/bin"}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  const TtyRun r = run_with_terminal(false, {"creds", "--profile", "mfa-role"}, env, dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(
      r.err,
      std::string("awsauth creds: credentials could not be resolved; providers tried:\n"
                  "  the role in role_arn (assume-role): profile `mfa-role` sets mfa_serial = ") +
          kMfaSerial +
          " but the MFA token callback failed: no terminal to ask for the MFA code on "
          "(cannot open /dev/tty: No such device or address); run awsauth from a "
          "terminal, or once from one with AWSAUTH_CREDENTIALS_CACHE_DIR set so later "
          "runs use the cached role credentials\n");

  const TtyRun w = run_with_terminal(false, {"which", "--profile", "mfa-role"}, env, dir);
  EXPECT_EQ(w.exit_code, 1);
  EXPECT_NE(w.out.find("  1. assume-role: the role in role_arn\n     failed: profile "
                       "`mfa-role` sets mfa_serial = "),
            std::string::npos)
      << w.out;
}

TEST_F(WhichCli, WhichAsksForTheMfaCodeOnTheTerminalToo) {
  RecordingStsForwarder sts(moto->url());
  Env env = base({{"PATH", "/usr/bin:/bin"}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  env["AWS_ENDPOINT_URL_STS"] = sts.url();
  const TtyRun r = run_with_terminal(true, {"which", "--profile", "mfa-role", "--format", "json"},
                                     env, dir, "111222");
  ASSERT_EQ(r.exit_code, 0) << r.err << r.terminal;
  EXPECT_EQ(r.terminal.rfind(std::string("Enter MFA code for ") + kMfaSerial + ": ", 0), 0U);
  EXPECT_EQ(parse(r.out)->getValue<std::string>("provider"), "assume-role");
  ASSERT_EQ(sts.requests().size(), 1U);
  EXPECT_NE(sts.requests()[0].body.find("TokenCode=111222"), std::string::npos);
}

TEST_F(WhichCli, CurlAsksForTheMfaCodeOnTheTerminalAndMotoAcceptsTheRoleCredentials) {
  RecordingStsForwarder sts(moto->url());
  Env env = base({{"PATH", "/usr/bin:/bin"}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  env["AWS_ENDPOINT_URL_STS"] = sts.url();
  const TtyRun r =
      run_with_terminal(true,
                        {"curl", "--profile", "mfa-role", "--service", "sts", "-d",
                         "Action=GetCallerIdentity&Version=2011-06-15", moto->url() + "/"},
                        env, dir, "333444");
  ASSERT_EQ(r.exit_code, 0) << r.err << r.terminal;
  EXPECT_EQ(r.terminal.rfind(std::string("Enter MFA code for ") + kMfaSerial + ": ", 0), 0U);
  EXPECT_NE(r.out.find(":assumed-role/which-role/which-mfa</Arn>"), std::string::npos) << r.out;
  ASSERT_EQ(sts.requests().size(), 1U);
  EXPECT_NE(sts.requests()[0].body.find("TokenCode=333444"), std::string::npos);
}

}  // namespace
