#include "awsauth/http.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>

#include "awsauth/context.hpp"
#include "awsauth/detail/ascii.hpp"
#include "awsauth/printable.hpp"

namespace awsauth {

const std::string* find_header(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (detail::ascii_iequals(key, name)) {
      return &value;
    }
  }
  return nullptr;
}

bool is_http_token(std::string_view name) noexcept {
  if (name.empty()) return false;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    // RFC 9110 section 5.6.2 tchar.
    const bool alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(ch) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

void validate_header(std::string_view name, std::string_view value) {
  if (!is_http_token(name)) {
    throw HttpError(HttpErrorKind::InvalidRequest, "",
                    "header name '" + printable(name, 64) +
                        "' is not a valid HTTP token (letters, digits and !#$%&'*+-.^_`|~ only)");
  }
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    throw HttpError(HttpErrorKind::InvalidRequest, "",
                    "the value of header '" + std::string(name) +
                        "' contains a CR, LF or NUL character, which would end the header");
  }
}

HttpError::HttpError(HttpErrorKind kind, const std::string& url, const std::string& message)
    : std::runtime_error(url.empty() ? message : message + " (" + printable_url(url) + ")"),
      kind_(kind),
      url_(printable_url(url)),
      reason_(message) {}

namespace {

class SystemResolver final : public Resolver {
 public:
  std::vector<std::string> resolve(const std::string& host) override {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
    if (rc != 0) {
      // The message names the host; no URL beside it (it would print the host twice).
      throw HttpError(
          HttpErrorKind::ConnectFailed, "",
          "cannot resolve host name '" + printable(host, 256) + "': " + gai_strerror(rc));
    }
    std::vector<std::string> out;
    for (addrinfo* ai = result; ai != nullptr; ai = ai->ai_next) {
      char text[INET6_ADDRSTRLEN] = {};
      if (ai->ai_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, text,
                  sizeof text);
      } else if (ai->ai_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr, text,
                  sizeof text);
      } else {
        continue;
      }
      if (std::find(out.begin(), out.end(), text) == out.end()) {
        out.emplace_back(text);
      }
    }
    freeaddrinfo(result);
    return out;
  }
};

}  // namespace

std::shared_ptr<Resolver> make_system_resolver() { return std::make_shared<SystemResolver>(); }

}  // namespace awsauth
