// The `awsauth` front (cli/front.cpp) on the built binaries: it loads nothing but libc, answers
// `awsauth creds` from the environment keys without the full command and without opening any
// file beyond the two shared files, and for every input prints, byte for byte, what the full
// command (awsauth-full) prints, with the same exit code.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "awsauth/version.hpp"
#include "cli_run.hpp"
#include "full_command.hpp"
#include "paths.hpp"
#include "temp_dir.hpp"

namespace awsauth {
namespace {

namespace fs = std::filesystem;
using Env = std::map<std::string, std::string>;

std::vector<std::string> needed_libraries(const std::string& program) {
  const test::CliResult r = test::run_program("readelf", {"-d", program}, {});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> needed;
  const std::regex line(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), line);
       it != std::sregex_iterator(); ++it) {
    needed.push_back((*it)[1]);
  }
  return needed;
}

TEST(CliFront, LoadsOnlyLibcAndTheLoader) {
  const auto needed = needed_libraries(test::cli_path());
  ASSERT_FALSE(needed.empty());
  for (const auto& library : needed) {
    EXPECT_EQ(library.find("Poco"), std::string::npos) << library;
    EXPECT_EQ(library.find("libcrypto"), std::string::npos) << library;
    EXPECT_EQ(library.find("libssl"), std::string::npos) << library;
    EXPECT_EQ(library.find("awsauth"), std::string::npos) << library;
#ifndef AWSAUTH_TEST_SANITIZED  // the sanitizers' runtimes need the shared libstdc++
    EXPECT_TRUE(library == "libc.so.6" || library == "libm.so.6" ||
                library == "ld-linux-x86-64.so.2")
        << library;
#endif
  }
  // The full command is where Poco is: the split is what keeps it out of the front.
  const auto full = needed_libraries(test::cli_full_path());
  EXPECT_NE(std::find(full.begin(), full.end(), "libPocoNetSSL.so.80"), full.end());
}

class CliFrontHome : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    for (const char* home : {"empty", "dev", "malformed"}) {
      fs::create_directories(fs::path(dir_.path()) / home / ".aws");
    }
    std::ofstream(fs::path(home("dev")) / ".aws" / "credentials")
        << "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n";
    std::ofstream(fs::path(home("malformed")) / ".aws" / "config") << "[default]\nnot a property\n";
  }
  std::string home(const std::string& name) const { return dir_.path() + "/" + name; }

  test::TempDir dir_;
};

Env with_keys(Env env) {
  env.emplace("AWS_ACCESS_KEY_ID", "AKIDX");
  env.emplace("AWS_SECRET_ACCESS_KEY", "se\"cr'et\\");
  return env;
}

// The message about expired credentials states the time it was made ("it is now ..."); two runs
// a moment apart can straddle a second, so that one field is left out of the comparison.
std::string without_current_time(std::string text) {
  static const std::regex now("it is now [0-9TZ:-]+");
  return std::regex_replace(text, now, "it is now <time>");
}

TEST_F(CliFrontHome, EveryInputGetsTheFullCommandsOutputAndExitCode) {
  const std::vector<Env> environments = {
      with_keys({{"HOME", home("empty")}}),
      with_keys({{"HOME", home("empty")},
                 {"AWS_SESSION_TOKEN", "tok"},
                 {"AWS_CREDENTIAL_EXPIRATION", "2099-01-01T00:00:00.5+02:00"},
                 {"AWS_ACCOUNT_ID", "111122223333"}}),
      with_keys({{"HOME", home("empty")}, {"AWS_SECURITY_TOKEN", "legacy"}}),
      {{"HOME", home("empty")}, {"AWS_ACCESS_KEY_ID", "AKIDX"}},
      {{"HOME", home("empty")}, {"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", "s"}},
      {{"HOME", home("empty")},
       {"AWS_ACCESS_KEY_ID", "AK\nID\x1b]0;t\x07"},
       {"AWS_SECRET_ACCESS_KEY", "\xc3\xa9\t\x01"}},
      with_keys({{"HOME", home("dev")}, {"AWS_PROFILE", "dev"}}),
      with_keys({{"HOME", home("dev")}, {"AWS_PROFILE", "missing"}}),
      with_keys({{"HOME", home("dev")}, {"AWS_DEFAULT_PROFILE", ""}}),
      with_keys({{"HOME", home("empty")}, {"AWS_CREDENTIAL_EXPIRATION", "2001-01-01T00:00:00Z"}}),
      with_keys({{"HOME", home("empty")}, {"AWS_CREDENTIAL_EXPIRATION", "tomorrow"}}),
      with_keys({{"HOME", home("malformed")}}),
      with_keys({{"HOME", home("empty")}, {"AWS_CONFIG_FILE", home("empty")}}),
      {{"HOME", home("dev")}},
  };
  const std::vector<std::vector<std::string>> argument_lists = {
      {"creds"},
      {"creds", "--format", "env"},
      {"creds", "--format=json"},
      {"creds", "--profile", "dev"},
      {"creds", "--format", "yaml"},
      {"creds", "--help"},
      {"creds", "extra"},
      {"creds", "--", "--help"},
      {"creds", "--format", "env", "--format", "json"},
      {"--version"},
      {},
  };
  for (const auto& env : environments) {
    for (const auto& args : argument_lists) {
      const test::CliResult front = test::run_cli(args, env, std::chrono::seconds(20));
      const test::CliResult full =
          test::run_program(test::cli_full_path(), args, env, std::chrono::seconds(20));
      std::string label;
      for (const auto& [name, value] : env) label += name + "=" + value + " ";
      for (const auto& arg : args) label += "'" + arg + "' ";
      ASSERT_FALSE(front.timed_out || full.timed_out) << label;
      EXPECT_EQ(front.exit_code, full.exit_code) << label;
      EXPECT_EQ(front.out, full.out) << label;
      EXPECT_EQ(without_current_time(front.err), without_current_time(full.err)) << label;
    }
  }
}

// The wait status of `program creds` (keys in the environment) writing into a pipe whose
// reader is gone, started as a shell starts it: no signal blocked, SIGPIPE at its default.
int status_writing_into_a_closed_pipe(const std::string& program, const std::string& home) {
  std::array<int, 2> fds{};
  if (::pipe(fds.data()) != 0) return -1;
  ::close(fds[0]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attrs;
  posix_spawnattr_init(&attrs);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attrs, &none);  // this test process has SIGPIPE blocked (Poco)
  sigset_t pipe_default;
  sigemptyset(&pipe_default);
  sigaddset(&pipe_default, SIGPIPE);
  posix_spawnattr_setsigdefault(&attrs, &pipe_default);
  posix_spawnattr_setflags(&attrs, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<std::string> strings = {program,
                                      "creds",
                                      "HOME=" + home,
                                      "AWS_ACCESS_KEY_ID=AKIDX",
                                      "AWS_SECRET_ACCESS_KEY=s",
                                      "AWS_EC2_METADATA_DISABLED=true"};
  std::vector<char*> argv = {strings[0].data(), strings[1].data(), nullptr};
  std::vector<char*> envp;
  for (std::size_t i = 2; i < strings.size(); ++i) envp.push_back(strings[i].data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attrs, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attrs);
  ::close(fds[1]);
  if (rc != 0) return -1;
  int status = -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status;
}

TEST_F(CliFrontHome, ClosedPipeOnStdoutIsExitOneAsInTheFullCommand) {
  for (const auto& program : {test::cli_path(), test::cli_full_path()}) {
    const int status = status_writing_into_a_closed_pipe(program, home("empty"));
    ASSERT_TRUE(WIFEXITED(status))
        << program << " ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    EXPECT_EQ(WEXITSTATUS(status), 1) << program;
  }
}

// Every path the front's own process touches (strace: execve and the file syscalls), in order.
struct Trace {
  bool ran = false;
  std::vector<std::string> execs;
  std::vector<std::string> paths;
};

Trace trace_front(const std::vector<std::string>& args, const Env& env, const std::string& log) {
  std::vector<std::string> strace_args = {"-qq", "-e", "trace=%file", "-o", log, test::cli_path()};
  strace_args.insert(strace_args.end(), args.begin(), args.end());
  const test::CliResult r = test::run_program("strace", strace_args, env, std::chrono::seconds(20));
  Trace trace;
  std::ifstream in(log);
  const std::regex call(R"(^(\w+)\((?:AT_FDCWD, )?\"([^\"]*)\")");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, call) || m[2].str().empty()) continue;
    (m[1] == "execve" ? trace.execs : trace.paths).push_back(m[2]);
  }
  trace.ran = r.exit_code == 0 && !trace.execs.empty();
  return trace;
}

bool is_loader_file(const std::string& path) {
  static const std::regex loader(
      R"(^(/etc/ld\.so\.(cache|preload)|(/usr)?/lib(64)?/.*/(libc|libm)\.so\.6)$)");
  return std::regex_match(path, loader);
}

TEST_F(CliFrontHome, EnvironmentKeysAreAnsweredInTheFrontOpeningOnlyTheSharedFiles) {
#ifdef AWSAUTH_TEST_SANITIZED
  GTEST_SKIP() << "the sanitizers' runtimes open files of their own";
#endif
  if (::access("/usr/bin/strace", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/strace";
  const std::string log = dir_.path() + "/strace.log";
  const Trace trace = trace_front({"creds"}, with_keys({{"HOME", home("empty")}}), log);
  if (!trace.ran) GTEST_SKIP() << "strace could not trace here (ptrace not permitted?)";
  EXPECT_EQ(trace.execs, (std::vector<std::string>{test::cli_path()}));
  std::vector<std::string> others;
  for (const auto& path : trace.paths) {
    if (!is_loader_file(path)) others.push_back(path);
  }
  // botocore reads both files even when the keys are in the environment (a malformed file or a
  // missing AWS_PROFILE is an error): the default chain needs them, nothing else.
  EXPECT_EQ(others, (std::vector<std::string>{home("empty") + "/.aws/config",
                                              home("empty") + "/.aws/credentials"}));
}

TEST_F(CliFrontHome, EverythingElseIsHandedToTheFullCommand) {
#ifdef AWSAUTH_TEST_SANITIZED
  GTEST_SKIP() << "the sanitizers' runtimes open files of their own";
#endif
  if (::access("/usr/bin/strace", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/strace";
  const std::string log = dir_.path() + "/strace.log";
  const std::vector<std::pair<std::vector<std::string>, Env>> runs = {
      {{"creds"}, {{"HOME", home("dev")}, {"AWS_PROFILE", "dev"}}},  // keys from a file
      {{"creds", "--profile", "dev"}, with_keys({{"HOME", home("dev")}})},
      {{"--version"}, {}},
  };
  // The front finds the full command from its real path (/proc/self/exe).
  const std::string full = cli::full_command_paths(fs::canonical(test::cli_path()).string())[0];
  for (const auto& [args, env] : runs) {
    const Trace trace = trace_front(args, env, log);
    if (!trace.ran) GTEST_SKIP() << "strace could not trace here (ptrace not permitted?)";
    EXPECT_EQ(trace.execs, (std::vector<std::string>{test::cli_path(), full})) << args.front();
  }
}

TEST(FullCommandPaths, BesideTheFrontThenInTheInstallsLibdir) {
  const auto paths = cli::full_command_paths("/opt/x/bin/awsauth");
  ASSERT_EQ(paths.size(), 2U);
  EXPECT_EQ(paths[0], "/opt/x/bin/awsauth-full");
  EXPECT_EQ(paths[1].rfind("/opt/x/bin/", 0), 0U) << paths[1];
  EXPECT_EQ(paths[1].substr(paths[1].size() - std::string("/awsauth/awsauth-full").size()),
            "/awsauth/awsauth-full");
}

void copy_program(const std::string& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

TEST(CliFrontInstalled, FindsTheFullCommandInTheInstalledLayoutThroughSymbolicLinks) {
  test::TempDir prefix;
  ASSERT_FALSE(prefix.path().empty());
  const fs::path front = fs::path(prefix.path()) / "bin" / "awsauth";
  copy_program(test::cli_path(), front);
  copy_program(test::cli_full_path(), cli::full_command_paths(front.string()).back());
  // A link elsewhere (as /usr/local/bin/awsauth to an install in /opt) still finds it.
  const fs::path link = fs::path(prefix.path()) / "elsewhere" / "awsauth";
  fs::create_directories(link.parent_path());
  fs::create_symlink(front, link);
  for (const fs::path& program : {front, link}) {
    const test::CliResult r = test::run_program(program.string(), {"--version"}, {});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "awsauth " + std::string(version()) + "\n");
  }
}

TEST(CliFrontInstalled, MissingFullCommandIsARuntimeErrorNamingWhereItLooked) {
  test::TempDir prefix;
  ASSERT_FALSE(prefix.path().empty());
  const fs::path front = fs::path(prefix.path()) / "bin" / "awsauth";
  copy_program(test::cli_path(), front);
  const test::CliResult r = test::run_program(front.string(), {"--version"}, {});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  const auto paths = cli::full_command_paths(front.string());
  EXPECT_EQ(r.err, "awsauth: cannot find awsauth-full (looked for " + paths.front() + " and " +
                       paths.back() + ")\n");
  // The environment path needs no full command at all.
  const test::CliResult creds = test::run_program(
      front.string(), {"creds"},
      {{"HOME", prefix.path()}, {"AWS_ACCESS_KEY_ID", "AKIDX"}, {"AWS_SECRET_ACCESS_KEY", "s"}});
  EXPECT_EQ(creds.exit_code, 0) << creds.err;
  EXPECT_EQ(creds.out,
            "{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"s\"}\n");
}

}  // namespace
}  // namespace awsauth
