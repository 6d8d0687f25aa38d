// `awsauth serve` in front of a role profile backed by moto_server STS (127.0.0.1 only):
// botocore's container provider and awsauth's own, pointed at it through the two printed
// variables, get the same credentials; a crowd of clients causes one STS call; a wrong or
// missing token, another path or method are refused without credentials; SIGTERM stops it.

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "awsauth/context.hpp"
#include "awsauth/http.hpp"
#include "cli_run.hpp"
#include "moto_server.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using awsauth::test::MotoServer;
using Env = std::map<std::string, std::string>;
using namespace std::chrono_literals;

// `awsauth serve ...` as a child with its stdout and stderr on pipes; killed on destruction.
class ServeProcess {
 public:
  ServeProcess(const std::vector<std::string>& args, const Env& env) {
    int out[2];
    int err[2];
    if (::pipe(out) != 0 || ::pipe(err) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, err[0]);
    std::vector<std::string> argv_strings{AWSAUTH_CLI_PATH, "serve"};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    if (!env.count("PATH")) env_strings.push_back(std::string("PATH=") + std::getenv("PATH"));
    env_strings.push_back("AWS_EC2_METADATA_DISABLED=true");
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    const int rc =
        posix_spawn(&pid_, argv_strings[0].c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    out_ = out[0];
    err_ = err[0];
    if (rc != 0) throw std::runtime_error("posix_spawn awsauth serve failed");
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_);
    ::close(err_);
  }

  // The next line of stdout, or "" after `timeout` or at the end.
  std::string read_line(std::chrono::milliseconds timeout = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (const auto nl = out_buffer_.find('\n'); nl != std::string::npos) {
        std::string line = out_buffer_.substr(0, nl);
        out_buffer_.erase(0, nl + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return {};
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(out_, buf, sizeof buf);
      if (n <= 0) return {};
      out_buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }
  // Sends `signal`; the exit code, or -1 if it did not exit normally within `timeout`.
  int stop(int signal, std::chrono::milliseconds timeout = 5s) {
    ::kill(pid_, signal);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }
  // What it wrote on stderr so far (non-blocking).
  std::string drain_stderr() {
    std::string text;
    pollfd p{err_, POLLIN, 0};
    while (::poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
      char buf[4096];
      const ssize_t n = ::read(err_, buf, sizeof buf);
      if (n <= 0) break;
      text.append(buf, static_cast<std::size_t>(n));
    }
    return text;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int err_ = -1;
  std::string out_buffer_;
};

std::string value_after(const std::string& line, const std::string& prefix) {
  return line.rfind(prefix, 0) == 0 ? line.substr(prefix.size()) : std::string();
}

class ServeAgainstMoto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = fs::temp_directory_path() / ("awsauth-serve-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    moto = std::make_unique<MotoServer>();
    const auto user = moto->create_user("serve-user");
    const std::string role_arn = moto->create_role("serve-role");
    std::ofstream(dir / "credentials")
        << "[serve-user]\naws_access_key_id = " << user.access_key_id
        << "\naws_secret_access_key = " << user.secret_access_key << "\n";
    std::ofstream(dir / "config") << "[profile serve-role]\nrole_arn = " << role_arn
                                  << "\nsource_profile = serve-user\n"
                                     "role_session_name = serve\nregion = us-east-1\n"
                                  << "[profile long-term]\naws_access_key_id = AKIDLONGTERM\n"
                                     "aws_secret_access_key = long-term-secret\n";
  }
  static void TearDownTestSuite() {
    moto.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  static Env files_env() {
    return {{"HOME", dir.string()},
            {"AWS_CONFIG_FILE", (dir / "config").string()},
            {"AWS_SHARED_CREDENTIALS_FILE", (dir / "credentials").string()},
            {"AWS_ENDPOINT_URL_STS", moto->url()}};
  }

  // Starts `awsauth serve --profile serve-role` and reads its two lines.
  struct Started {
    std::unique_ptr<ServeProcess> process;
    std::string url;
    std::string token;
  };
  static Started start(std::vector<std::string> extra = {}, const std::string& prefix = "") {
    std::vector<std::string> args{"--profile", "serve-role"};
    args.insert(args.end(), extra.begin(), extra.end());
    Env env = files_env();
    env["AWSAUTH_LOG"] = "debug";
    Started s{std::make_unique<ServeProcess>(args, env), "", ""};
    s.url = value_after(s.process->read_line(), prefix + "AWS_CONTAINER_CREDENTIALS_FULL_URI=");
    s.token = value_after(s.process->read_line(), prefix + "AWS_CONTAINER_AUTHORIZATION_TOKEN=");
    return s;
  }

  static awsauth::HttpResponse get(const std::string& url, const std::string& token,
                                   const std::string& method = "GET") {
    static const auto client = awsauth::make_poco_http_client();
    awsauth::HttpRequest request;
    request.method = method;
    request.url = url;
    if (!token.empty()) request.headers.emplace_back("Authorization", token);
    return client->send(request, {});
  }

  static std::unique_ptr<MotoServer> moto;
  static fs::path dir;
};

std::unique_ptr<MotoServer> ServeAgainstMoto::moto;
fs::path ServeAgainstMoto::dir;

TEST_F(ServeAgainstMoto, BotocoreAndOurContainerProviderGetTheSameRoleCredentials) {
  auto served = start();
  ASSERT_FALSE(served.url.empty()) << served.process->drain_stderr();
  EXPECT_EQ(served.url.rfind("http://127.0.0.1:", 0), 0u) << served.url;
  EXPECT_EQ(served.token.size(), 64u);

  // Only the two variables: no files, no keys; the container provider is the chain's answer.
  const Env client_env{{"HOME", dir.string()},
                       {"AWS_CONFIG_FILE", (dir / "none").string()},
                       {"AWS_SHARED_CREDENTIALS_FILE", (dir / "none").string()},
                       {"AWS_CONTAINER_CREDENTIALS_FULL_URI", served.url},
                       {"AWS_CONTAINER_AUTHORIZATION_TOKEN", served.token}};
  const auto ours = awsauth::test::run_cli({"creds", "--format", "json"}, client_env, 30s);
  ASSERT_EQ(ours.exit_code, 0) << ours.err;
  EXPECT_NE(ours.out.find("\"ProviderName\": \"container-role\""), std::string::npos) << ours.out;

  // The metadata service is off: botocore must never reach 169.254.169.254 from a test.
  std::string command = "env -i PATH=\"$PATH\" AWS_EC2_METADATA_DISABLED=true";
  for (const auto& [k, v] : client_env) command += " " + k + "='" + v + "'";
  command +=
      " python3 -c 'import botocore.session, json; c = "
      "botocore.session.Session().get_credentials().get_frozen_credentials(); "
      "print(json.dumps({\"AccessKeyId\": c.access_key, \"SecretAccessKey\": c.secret_key, "
      "\"SessionToken\": c.token}))'";
  const std::string botocore = awsauth::test::run_command(command, 60);
  for (const std::string key : {"AccessKeyId", "SecretAccessKey", "SessionToken"}) {
    const auto pick = [&](const std::string& text) {
      const auto at = text.find("\"" + key + "\"");
      if (at == std::string::npos) return std::string();
      const auto open = text.find('"', text.find(':', at) + 1);
      return text.substr(open + 1, text.find('"', open + 1) - open - 1);
    };
    EXPECT_FALSE(pick(ours.out).empty()) << key;
    EXPECT_EQ(pick(ours.out), pick(botocore)) << key;
  }
  EXPECT_EQ(served.process->stop(SIGTERM), 0);
}

TEST_F(ServeAgainstMoto, RefusesAWrongOrMissingTokenAnotherPathAndAnotherMethod) {
  auto served = start();
  ASSERT_FALSE(served.url.empty()) << served.process->drain_stderr();
  const auto good = get(served.url, served.token);
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_NE(good.body.find("\"AccessKeyId\""), std::string::npos);
  EXPECT_NE(good.body.find("\"Expiration\""), std::string::npos);

  std::string wrong = served.token;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  for (const auto& [response, status] : std::vector<std::pair<awsauth::HttpResponse, int>>{
           {get(served.url, wrong), 401},
           {get(served.url, ""), 401},
           {get(served.url, served.token.substr(0, 32)), 401},
           {get(served.url + "x", served.token), 404},
           {get(served.url + "?a=b", served.token), 404},
           {get(served.url, served.token, "POST"), 405},
           {get(served.url, served.token, "DELETE"), 405}}) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.body.find("AccessKeyId"), std::string::npos) << response.body;
    EXPECT_EQ(response.body.find("SecretAccessKey"), std::string::npos) << response.body;
  }
  EXPECT_EQ(served.process->stop(SIGINT), 0) << "SIGINT stops it cleanly too";
}

// 200 clients over 10 s, as a host full of SDK processes would: every answer is the same
// credentials, so STS was called once (each AssumeRole gives new keys), and nothing failed.
TEST_F(ServeAgainstMoto, TwoHundredConcurrentClientsOverTenSecondsCauseOneStsCall) {
  auto served = start();
  ASSERT_FALSE(served.url.empty()) << served.process->drain_stderr();
  std::mutex mutex;
  std::set<std::string> keys;
  std::atomic<int> ok{0}, failed{0};
  const auto until = std::chrono::steady_clock::now() + 10s;
  std::vector<std::thread> clients;
  for (int i = 0; i < 200; ++i) {
    clients.emplace_back([&] {
      const auto client = awsauth::make_poco_http_client();
      while (std::chrono::steady_clock::now() < until) {
        awsauth::HttpRequest request;
        request.url = served.url;
        request.headers.emplace_back("Authorization", served.token);
        try {
          const auto response = client->send(request, {});
          if (response.status != 200) {
            ++failed;
            continue;
          }
          const auto at = response.body.find("\"AccessKeyId\":\"");
          std::lock_guard lock(mutex);
          keys.insert(response.body.substr(at + 15, 20));
          ++ok;
        } catch (const std::exception&) {
          ++failed;
        }
        std::this_thread::sleep_for(50ms);
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(ok.load(), 2000) << "each of 200 clients asks about every 50 ms for 10 s";
  EXPECT_EQ(keys.size(), 1u) << "more than one STS call: credentials changed";
  EXPECT_EQ(served.process->drain_stderr().find("refreshed credentials"), std::string::npos)
      << "no background refresh is due within the first 10 s of a 1 h role session";
  EXPECT_EQ(served.process->stop(SIGTERM), 0);
}

TEST_F(ServeAgainstMoto, FormatEnvPrintsExportLines) {
  auto served = start({"--format", "env"}, "export ");
  EXPECT_FALSE(served.url.empty());
  EXPECT_EQ(served.token.size(), 64u);
  EXPECT_EQ(served.process->stop(SIGTERM), 0);
}

TEST_F(ServeAgainstMoto, LongTermKeysAreNotServed) {
  const auto result = awsauth::test::run_cli({"serve", "--profile", "long-term"}, files_env(), 30s);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("long-term keys"), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "") << "nothing printed: nothing is served";
  EXPECT_EQ(result.err.find("long-term-secret"), std::string::npos);
}

TEST_F(ServeAgainstMoto, APortInUseIsReportedWithTheAddress) {
  auto first = start();
  ASSERT_FALSE(first.url.empty());
  const std::string port = first.url.substr(17, first.url.find('/', 17) - 17);
  const auto second = awsauth::test::run_cli({"serve", "--profile", "serve-role", "--port", port},
                                             files_env(), 30s);
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("127.0.0.1:" + port), std::string::npos) << second.err;
  EXPECT_EQ(first.process->stop(SIGTERM), 0);
}

TEST(ServeUsage, ABadPortIsAUsageError) {
  const auto result = awsauth::test::run_cli({"serve", "--port", "70000"}, {}, 30s);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--port"), std::string::npos) << result.err;
}

}  // namespace
