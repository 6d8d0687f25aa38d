#include "files/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace awsauth::providers::detail {
namespace {

[[noreturn]] void throw_errno(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), what);
}

bool write_all(int fd, std::string_view data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void make_private_directories(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw_errno(ENOTDIR, "cannot use " + path + " as a directory");
    return;
  }
  const auto slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) make_private_directories(path.substr(0, slash));
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    throw_errno(errno, "cannot create directory " + path);
  }
}

void write_file_atomically(const std::string& path, std::string_view contents) {
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : path.substr(0, slash);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) throw_errno(EISDIR, "cannot write " + path);
  make_private_directories(dir);

  std::string tmp = dir + "/." + base + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw_errno(errno, "cannot create a temporary file in " + dir);
  int err = 0;
  std::string what;
  if (!write_all(fd, contents) || ::fsync(fd) != 0) {
    err = errno;
    what = "cannot write " + tmp;
  }
  if (::close(fd) != 0 && err == 0) {
    err = errno;
    what = "cannot write " + tmp;
  }
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    what = "cannot replace " + path;
  }
  if (err != 0) {
    ::unlink(tmp.c_str());
    throw std::system_error(err, std::generic_category(), what);
  }
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

}  // namespace awsauth::providers::detail
