#include "awsauth/http.hpp"

#include "awsauth/context.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <algorithm>
#include <strings.h>

namespace awsauth {

const std::string* find_header(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return &value;
    }
  }
  return nullptr;
}

HttpError::HttpError(HttpErrorKind kind, std::string url, std::string message)
    : std::runtime_error(url.empty() ? message : message + " (" + url + ")"),
      kind_(kind),
      url_(std::move(url)) {}

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
      throw HttpError(HttpErrorKind::ConnectFailed, host,
                      "cannot resolve host name '" + host + "': " + gai_strerror(rc));
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
