// The real ProcessRunner: posix_spawnp of argv (no shell), stdout and stderr read through pipes
// in one poll() loop with a deadline, the child killed on timeout or when stdout passes its
// cap, and always reaped (no zombies).
//
// A helper that exits while a background child of its own still holds the pipes open is done:
// its output is read for a short drain time after it exits, not until the deadline. Without a
// controlling terminal (services, CI, another tool's credential_process) the helper runs in a
// process group of its own, and that group is killed once the helper has exited or timed out,
// so no grandchild outlives the call. With a terminal it stays in ours, so it can still read a
// prompt's answer (an MFA code) from the terminal; then only the helper itself is killed.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX kill(), not in <csignal>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "awsauth/context.hpp"

extern char** environ;  // NOLINT: POSIX

namespace awsauth {
namespace {

using SteadyClock = std::chrono::steady_clock;

// How long output is still read after the helper exited (its background children may hold
// the pipes open forever); and how often the poll loop looks for that exit.
constexpr auto kDrainAfterExit = std::chrono::milliseconds(200);
constexpr auto kExitCheckInterval = std::chrono::milliseconds(50);

bool has_controlling_terminal() {
  const int fd = ::open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

// True once `pid` has exited; the zombie is left in place (WNOWAIT), so neither its pid nor
// its process group id can be reused before the group is killed.
bool has_exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  [[nodiscard]] int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

void make_pipe(Pipe& p) {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot create a pipe");
  }
  p.read.reset(fds[0]);
  p.write.reset(fds[1]);
}

// The child's environment: ours, with `extra` added or replacing same-named variables.
std::vector<std::string> child_environment(
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> vars;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& [key, value] : extra) replaced = replaced || key == name;
    if (!replaced) vars.emplace_back(entry);
  }
  for (const auto& [key, value] : extra) {
    std::string entry = key;
    entry.append(1, '=').append(value);
    vars.push_back(std::move(entry));
  }
  return vars;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // our stderr is gone: nothing useful to do
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

class SystemProcessRunner final : public ProcessRunner {
 public:
  ProcessResult run(const ProcessRequest& request) override {
    if (request.argv.empty() || request.argv.front().empty()) {
      throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                              "no program to run");
    }
    Pipe out;
    Pipe err;
    make_pipe(out);
    make_pipe(err);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out.write.get(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.write.get(), STDERR_FILENO);
    // Signals we ignore (SIGPIPE in many hosts) must not stay ignored in the child.
    posix_spawnattr_t attrs;
    posix_spawnattr_init(&attrs);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attrs, &defaults);
    const bool own_group = !has_controlling_terminal();
    short flags = POSIX_SPAWN_SETSIGDEF;
    if (own_group) {
      posix_spawnattr_setpgroup(&attrs, 0);  // a new group whose id is the child's pid
      flags |= POSIX_SPAWN_SETPGROUP;
    }
    posix_spawnattr_setflags(&attrs, flags);

    std::vector<std::string> argv_strings = request.argv;
    std::vector<std::string> env_strings = child_environment(request.extra_env);
    auto argv = c_strings(argv_strings);
    auto envp = c_strings(env_strings);

    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, argv[0], &actions, &attrs, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attrs);
    if (rc != 0) {
      throw std::system_error(rc, std::generic_category(), "cannot run '" + request.argv[0] + "'");
    }
    out.write.reset();
    err.write.reset();
    return supervise(pid, own_group, out.read, err.read, request);
  }

 private:
  static ProcessResult supervise(pid_t pid, bool own_group, Fd& out, Fd& err,
                                 const ProcessRequest& request) {
    ProcessResult result;
    const auto deadline = SteadyClock::now() + request.timeout;
    bool killed = false;
    auto kill_child = [&] {
      if (!killed) ::kill(own_group ? -pid : pid, SIGKILL);
      killed = true;
    };

    std::array<char, 16384> buffer{};
    std::optional<SteadyClock::time_point> exited_at;
    while ((out.get() >= 0 || err.get() >= 0) && !killed) {
      const auto now = SteadyClock::now();
      // Rounded up: a child is never killed before its deadline.
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
      if (left.count() <= 0) {
        result.timed_out = true;
        kill_child();
        break;
      }
      if (exited_at && now - *exited_at >= kDrainAfterExit) break;
      const auto slice =
          exited_at
              ? std::chrono::ceil<std::chrono::milliseconds>(kDrainAfterExit - (now - *exited_at))
              : kExitCheckInterval;
      std::array<pollfd, 2> fds{{{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}}};
      const int n = ::poll(fds.data(), fds.size(), static_cast<int>(std::min(left, slice).count()));
      if (!exited_at && has_exited(pid)) exited_at = SteadyClock::now();
      if (n < 0 && errno != EINTR) {
        kill_child();
        break;
      }
      if (n <= 0) continue;
      if (fds[0].revents != 0) {
        const ssize_t got = ::read(out.get(), buffer.data(), buffer.size());
        if (got > 0) {
          const auto room = request.max_stdout_bytes - result.stdout_data.size();
          result.stdout_data.append(buffer.data(), std::min(room, static_cast<std::size_t>(got)));
          if (static_cast<std::size_t>(got) > room) {
            result.stdout_truncated = true;
            kill_child();
          }
        } else if (got == 0 || errno != EINTR) {
          out.reset();
        }
      }
      if (fds[1].revents != 0 && err.get() >= 0) {
        const ssize_t got = ::read(err.get(), buffer.data(), buffer.size());
        if (got > 0) {
          const auto size = static_cast<std::size_t>(got);
          if (request.pass_through_stderr) write_all(STDERR_FILENO, buffer.data(), size);
          const auto room = request.max_stderr_bytes - result.stderr_data.size();
          result.stderr_data.append(buffer.data(), std::min(room, size));
        } else if (got == 0 || errno != EINTR) {
          err.reset();
        }
      }
    }
    // Both pipes closed (or we gave up on them): the child may still be running, e.g. after
    // closing its stdout. Wait for it until the deadline, then kill it; always reap. Once it
    // has exited, whatever it left running in its group goes too.
    out.reset();
    err.reset();
    if (own_group && !killed && (exited_at || has_exited(pid))) ::kill(-pid, SIGKILL);
    int status = 0;
    for (;;) {
      const pid_t done = ::waitpid(pid, &status, killed ? 0 : WNOHANG);
      if (done == pid) break;
      if (done < 0 && errno != EINTR) {
        return result;  // reaped elsewhere (SIGCHLD ignored): nothing more to learn
      }
      if (done == 0) {
        if (SteadyClock::now() >= deadline) {
          result.timed_out = true;
          kill_child();
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
    }
    if (WIFEXITED(status)) {
      result.exit_code = killed ? -1 : WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result.term_signal = WTERMSIG(status);
    }
    return result;
  }
};

}  // namespace

std::shared_ptr<ProcessRunner> make_system_process_runner() {
  return std::make_shared<SystemProcessRunner>();
}

}  // namespace awsauth
