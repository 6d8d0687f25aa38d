#include "mfa_prompt.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "quoting.hpp"

namespace awsauth::cli {
namespace {

// An MFA code is six digits; a line longer than this is not one, and is not kept whole.
constexpr std::size_t kMaxCodeLength = 64;

class Terminal {
 public:
  Terminal() : fd_(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) {
    if (fd_ < 0) {
      throw std::runtime_error(
          std::string("no terminal to ask for the MFA code on (cannot open /dev/tty: ") +
          std::strerror(errno) +
          "); run awsauth from a terminal, or once from one with AWSAUTH_CREDENTIALS_CACHE_DIR "
          "set so later runs use the cached role credentials");
    }
  }
  ~Terminal() { ::close(fd_); }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  void write_all(const std::string& text) const {
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error("cannot write the MFA prompt to /dev/tty");
      done += static_cast<std::size_t>(n);
    }
  }

  // One line, without its end; byte by byte so nothing after the newline is consumed.
  std::string read_line() const {
    std::string line;
    for (;;) {
      char c = 0;
      const ssize_t n = ::read(fd_, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || c == '\n') break;
      if (line.size() < kMaxCodeLength) line += c;
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.pop_back();
    }
    const auto first = line.find_first_not_of(" \t");
    return first == std::string::npos ? std::string() : line.substr(first);
  }

 private:
  int fd_;
};

}  // namespace

providers::MfaTokenCallback terminal_mfa_prompt() {
  return [](const std::string& mfa_serial) {
    const Terminal tty;
    tty.write_all("Enter MFA code for " + message_line(mfa_serial) + ": ");
    std::string code = tty.read_line();
    if (code.empty()) throw std::runtime_error("no MFA code was entered");
    return code;
  };
}

}  // namespace awsauth::cli
