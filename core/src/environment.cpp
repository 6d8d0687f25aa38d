#include "awsauth/environment.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <system_error>

namespace awsauth {

std::optional<std::string> SystemEnvironment::get(std::string_view name) const {
  const std::string key(name);
  if (const char* value = std::getenv(key.c_str())) {
    return std::string(value);
  }
  return std::nullopt;
}

void MapEnvironment::unset(std::string_view name) {
  if (auto it = vars_.find(name); it != vars_.end()) {
    vars_.erase(it);
  }
}

std::optional<std::string> MapEnvironment::get(std::string_view name) const {
  if (auto it = vars_.find(name); it != vars_.end()) {
    return it->second;
  }
  return std::nullopt;
}

namespace {

const char* file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  ~FdCloser() { ::close(fd_); }

 private:
  int fd_;
};

}  // namespace

NotRegularFileError::NotRegularFileError(const std::string& path, const char* what_it_is)
    : std::system_error(std::make_error_code(std::errc::invalid_argument),
                        path + " is " + what_it_is + ", not a regular file") {}

std::optional<std::string> RealFileSystem::read(const std::string& path) const {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return std::nullopt;
    throw std::system_error(err, std::generic_category(), "cannot read " + path);
  }
  const FdCloser closer(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot read " + path);
  }
  if (!S_ISREG(st.st_mode)) throw NotRegularFileError(path, file_type_name(st.st_mode));
  const auto too_large = [&] {
    return std::system_error(std::make_error_code(std::errc::file_too_large),
                             "cannot read " + path + ": larger than the limit of " +
                                 std::to_string(max_file_bytes >> 20) + " MiB");
  };
  if (static_cast<std::uint64_t>(st.st_size) > max_file_bytes) throw too_large();
  std::string out;
  // st_size is a hint (files in /proc say 0, a file may grow): read to EOF, bounded.
  out.resize(static_cast<std::size_t>(st.st_size) + 1);
  std::size_t used = 0;
  for (;;) {
    if (used == out.size()) {
      if (out.size() > max_file_bytes) throw too_large();
      out.resize(std::min(out.size() * 2 + 4096, max_file_bytes + 1));
    }
    const ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "cannot read " + path);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_file_bytes) throw too_large();
  out.resize(used);
  return out;
}

std::optional<std::string> MapFileSystem::read(const std::string& path) const {
  if (auto it = files_.find(path); it != files_.end()) {
    return it->second;
  }
  return std::nullopt;
}

std::string expand_user(std::string_view path, const Environment& env) {
  if (path.empty() || path[0] != '~' || (path.size() > 1 && path[1] != '/')) {
    return std::string(path);
  }
  std::string home;
  if (auto h = env.get("HOME")) {
    home = *h;
  } else if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr) {
    home = pw->pw_dir;
  } else {
    return std::string(path);
  }
  // os.path.expanduser strips one trailing slash from HOME before joining.
  if (home.size() > 1 && home.back() == '/') {
    home.pop_back();
  }
  return home + std::string(path.substr(1));
}

}  // namespace awsauth
