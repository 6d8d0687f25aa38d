#include "awsauth/providers/detail/sts_http_options.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/providers/profile/profile_properties.hpp"

namespace awsauth::providers {
namespace {

std::optional<std::string> first_set(const Environment& env, std::string_view upper,
                                     std::string_view lower) {
  for (auto name : {upper, lower}) {
    if (auto v = env.get(name); v && !v->empty()) return v;
  }
  return std::nullopt;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

struct UrlParts {
  std::string scheme;
  std::string host;
  int port = 0;
};

UrlParts split(const std::string& url) {
  UrlParts p;
  auto colon = url.find("://");
  if (colon == std::string::npos) return p;
  p.scheme = awsauth::detail::ascii_lower(url.substr(0, colon));
  auto start = colon + 3;
  auto end = url.find_first_of("/?#", start);
  std::string authority =
      url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  std::string port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    p.host = authority.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    if (close != std::string::npos && close + 1 < authority.size() && authority[close + 1] == ':') {
      port = authority.substr(close + 2);
    }
  } else if (auto c = authority.rfind(':'); c != std::string::npos) {
    p.host = authority.substr(0, c);
    port = authority.substr(c + 1);
  } else {
    p.host = authority;
  }
  p.host = awsauth::detail::ascii_lower(p.host);
  p.port = port.empty() ? (p.scheme == "https" ? 443 : 80) : std::atoi(port.c_str());
  return p;
}

}  // namespace

bool no_proxy_matches(const std::string& no_proxy, const std::string& host, int port) {
  std::stringstream list(no_proxy);
  std::string entry;
  const std::string h = awsauth::detail::ascii_lower(host);
  while (std::getline(list, entry, ',')) {
    entry = awsauth::detail::ascii_lower(trim(entry));
    if (entry.empty()) continue;
    if (entry == "*") return true;
    // Optional ":port" (not for bare IPv6 literals, which contain several colons).
    if (auto c = entry.rfind(':'); c != std::string::npos && entry.find(':') == c) {
      if (std::atoi(entry.substr(c + 1).c_str()) != port) continue;
      entry = entry.substr(0, c);
    }
    if (entry.front() == '.') entry.erase(0, 1);
    if (h == entry) return true;
    if (h.size() > entry.size() && h.ends_with(entry) && h[h.size() - entry.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

HttpOptions sts_http_options(const Environment& env, const Profile* profile,
                             const std::string& url) {
  HttpOptions options;
  if (auto bundle = env.get("AWS_CA_BUNDLE"); bundle && !bundle->empty()) {
    options.ca_bundle = expand_user(*bundle, env);
  } else if (profile != nullptr) {
    if (const auto* v = profile->find(property::ca_bundle); v != nullptr && !v->value.empty()) {
      options.ca_bundle = expand_user(v->value, env);
    }
  }
  const UrlParts target = split(url);
  auto proxy = target.scheme == "https" ? first_set(env, "HTTPS_PROXY", "https_proxy")
                                        : first_set(env, "HTTP_PROXY", "http_proxy");
  if (proxy) {
    auto no_proxy = first_set(env, "NO_PROXY", "no_proxy");
    if (!no_proxy || !no_proxy_matches(*no_proxy, target.host, target.port)) {
      options.proxy = *proxy;
    }
  }
  return options;
}

}  // namespace awsauth::providers
