#include "awsauth/environment.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
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

std::optional<std::string> RealFileSystem::read(const std::string& path) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return std::nullopt;
    }
    throw std::system_error(err, std::generic_category(), "cannot read " + path);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    throw std::system_error(errno, std::generic_category(), "cannot read " + path);
  }
  return std::move(buffer).str();
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
