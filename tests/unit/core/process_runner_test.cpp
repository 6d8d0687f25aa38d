// The real process runner against real programs (/bin/sh, yes, sleep): output, exit codes,
// extra environment, timeouts and output caps, each within a time bound.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "awsauth/context.hpp"

namespace awsauth {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

ProcessRequest sh(std::string script) {
  ProcessRequest request;
  request.argv = {"/bin/sh", "-c", std::move(script)};
  request.pass_through_stderr = false;
  request.timeout = 10s;
  return request;
}

// No child of ours is a zombie (exited but never reaped). Scans /proc rather than calling
// waitpid(-1) so that live children of other tests are neither reaped nor counted.
std::vector<std::string> zombie_children() {
  std::vector<std::string> zombies;
  const std::string self = std::to_string(::getpid());
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state;
    std::string ppid;
    rest >> state >> ppid;
    if (state == "Z" && ppid == self) zombies.push_back(entry.path().filename().string());
  }
  return zombies;
}

void expect_no_children_left() {
  const auto zombies = zombie_children();
  EXPECT_TRUE(zombies.empty()) << "unreaped child: " << zombies.front();
}

TEST(ProcessRunner, ZombieCheckSeesAnUnreapedChild) {
  // Guards the guard: the check above must be able to fail.
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(zombie_children().size(), 1U);
  ::waitpid(pid, nullptr, 0);
  EXPECT_TRUE(zombie_children().empty());
}

TEST(ProcessRunner, RunsArgvWithoutAShellSoMetacharactersStayLiteral) {
  ProcessRequest request;
  request.argv = {"echo", "$HOME", "*", "a;b"};
  const auto result = make_system_process_runner()->run(request);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stdout_data, "$HOME * a;b\n");
  expect_no_children_left();
}

TEST(ProcessRunner, ReportsExitCodeAndKeepsStderr) {
  const auto result = make_system_process_runner()->run(sh("echo out; echo oops >&2; exit 7"));
  EXPECT_EQ(result.exit_code, 7);
  EXPECT_EQ(result.stdout_data, "out\n");
  EXPECT_EQ(result.stderr_data, "oops\n");
  EXPECT_FALSE(result.timed_out);
  expect_no_children_left();
}

TEST(ProcessRunner, StderrIsCappedButTheChildRunsToTheEnd) {
  auto request = sh("head -c 100000 /dev/zero >&2; echo done");
  request.max_stderr_bytes = 1000;
  const auto result = make_system_process_runner()->run(request);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stderr_data.size(), 1000U);
  EXPECT_EQ(result.stdout_data, "done\n");
}

TEST(ProcessRunner, AddsAndReplacesEnvironmentVariables) {
  auto request = sh("printf '%s|%s' \"$AWSAUTH_TEST_EXTRA\" \"$PATH\"");
  request.extra_env = {{"AWSAUTH_TEST_EXTRA", "hello world"}, {"PATH", "/replaced"}};
  const auto result = make_system_process_runner()->run(request);
  EXPECT_EQ(result.stdout_data, "hello world|/replaced");
}

TEST(ProcessRunner, KillsAChildThatOutlivesItsTimeoutWithinTheBound) {
  auto request = sh("sleep 30");
  request.timeout = 300ms;
  const auto start = SteadyClock::now();
  const auto result = make_system_process_runner()->run(request);
  const auto took = SteadyClock::now() - start;
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.exit_code, -1);
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 2s);
  expect_no_children_left();
}

TEST(ProcessRunner, TimesOutAChildThatClosedItsOutputButKeepsRunning) {
  auto request = sh("exec >&- 2>&-; sleep 30");
  request.timeout = 300ms;
  const auto start = SteadyClock::now();
  const auto result = make_system_process_runner()->run(request);
  EXPECT_TRUE(result.timed_out);
  EXPECT_LT(SteadyClock::now() - start, 2s);
  expect_no_children_left();
}

TEST(ProcessRunner, KillsAChildThatPrintsForeverOnceStdoutPassesTheCap) {
  ProcessRequest request;
  request.argv = {"yes", "credential"};
  request.max_stdout_bytes = 64 * 1024;
  request.timeout = 10s;
  const auto start = SteadyClock::now();
  const auto result = make_system_process_runner()->run(request);
  EXPECT_TRUE(result.stdout_truncated);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.stdout_data.size(), 64U * 1024U);
  EXPECT_LT(SteadyClock::now() - start, 2s);
  expect_no_children_left();
}

TEST(ProcessRunner, QuickChildReturnsWithoutWaitingForTheTimeout) {
  auto request = sh("exit 0");
  request.timeout = 30s;
  const auto start = SteadyClock::now();
  (void)make_system_process_runner()->run(request);
  EXPECT_LT(SteadyClock::now() - start, 1s);
}

TEST(ProcessRunner, MissingProgramThrowsNamingIt) {
  ProcessRequest request;
  request.argv = {"/nonexistent/awsauth-no-such-program"};
  try {
    (void)make_system_process_runner()->run(request);
    FAIL() << "expected std::system_error";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("awsauth-no-such-program"), std::string::npos);
  }
  expect_no_children_left();
}

// A helper that exits 0 with its answer while a background child of its own keeps stdout open
// is done when it exits: before, the runner waited for the whole timeout and called it killed.
TEST(ProcessRunner, HelperThatExitsWhileItsBackgroundChildHoldsStdoutIsDoneAtOnce) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("awsauth-bg-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string pid_file = (dir / "pid").string();
  ProcessRequest request = sh("sleep 30 & echo $! > " + pid_file + "; echo '{\"Version\": 1}'");
  request.timeout = 20s;
  const auto start = SteadyClock::now();
  const ProcessResult r = make_system_process_runner()->run(request);
  EXPECT_LT(SteadyClock::now() - start, 3s);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.stdout_data, "{\"Version\": 1}\n");

  // Without a controlling terminal the helper had a process group of its own, killed with it.
  const int tty = ::open("/dev/tty", O_RDONLY | O_NOCTTY);
  if (tty >= 0) {
    ::close(tty);
  } else {
    std::string pid;
    std::ifstream(pid_file) >> pid;
    ASSERT_FALSE(pid.empty());
    bool gone = false;
    for (int i = 0; i < 100 && !gone; ++i) {
      std::ifstream stat("/proc/" + pid + "/stat");
      std::string line;
      std::getline(stat, line);
      const auto close_paren = line.rfind(')');
      gone = !stat || line.empty() ||
             (close_paren != std::string::npos && line.compare(close_paren + 2, 1, "Z") == 0);
      if (!gone) std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(gone) << "the background child " << pid << " outlived its helper";
  }
  std::filesystem::remove_all(dir);
  expect_no_children_left();
}

}  // namespace
}  // namespace awsauth
