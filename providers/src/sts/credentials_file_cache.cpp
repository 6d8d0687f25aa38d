// On-disk AssumeRoleCache: one 0600 JSON file per key in a 0700 directory, replaced atomically.

#include "awsauth/providers/sts/credentials_file_cache.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <system_error>
#include <utility>

#include "awsauth/detail/json.hpp"
#include "awsauth/provider.hpp"
#include "files/atomic_file.hpp"

namespace awsauth::providers {
namespace {

// Entry files are small; anything larger is not ours.
constexpr std::size_t kMaxEntryBytes = std::size_t{64} * 1024;

std::string errno_text(int err) { return std::strerror(err); }

// A key names a file inside the directory; refuse anything that could name another file.
bool is_safe_key(const std::string& key) {
  if (key.empty() || key.size() > 200) return false;
  for (const char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return key.front() != '.';
}

}  // namespace

CredentialsFileCache::CredentialsFileCache(CredentialsFileCacheOptions options,
                                           std::shared_ptr<const Clock> clock)
    : options_(std::move(options)), clock_(std::move(clock)) {
  while (options_.directory.size() > 1 && options_.directory.back() == '/') {
    options_.directory.pop_back();
  }
}

std::string CredentialsFileCache::path_for(const std::string& key) const {
  return options_.directory + "/" + key + ".json";
}

void CredentialsFileCache::warn(const std::string& message) const noexcept {
  if (!options_.warn) return;
  try {
    options_.warn(message);  // the sink adds its own prefix
  } catch (...) {            // a warning sink must not turn a cache miss into a failure
  }
}

bool CredentialsFileCache::prepare_directory(bool create) noexcept {
  try {
    const std::string& dir = options_.directory;
    if (dir.empty()) return false;
    if (create) {
      try {
        detail::make_private_directories(dir);
      } catch (const std::system_error& e) {
        warn(e.what());
        return false;
      }
    }
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) {
      if (errno != ENOENT) warn("cannot read directory " + dir + ": " + errno_text(errno));
      return false;
    }
    if (!S_ISDIR(st.st_mode)) {
      warn(dir + " is not a directory; not using it");
      return false;
    }
    if (st.st_uid != ::geteuid()) {
      // Another user could read or swap our entries: SSH refuses such directories too.
      warn(dir + " belongs to another user; not using it");
      return false;
    }
    if ((st.st_mode & 077) != 0) {
      // Ours but open to others (a umask-created ~/.aws/cli/cache, say): close it rather than
      // leave credentials readable.
      if (::chmod(dir.c_str(), 0700) != 0) {
        warn(dir +
             " is accessible by other users and cannot be made private: " + errno_text(errno));
        return false;
      }
    }
    return true;
  } catch (...) {
    return false;
  }
}

CredentialsPtr CredentialsFileCache::load(const std::string& key) noexcept {
  std::string text;
  try {
    if (!is_safe_key(key) || !prepare_directory(false)) return nullptr;
    const std::string path = path_for(key);
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      if (errno != ENOENT) warn("cannot open " + path + ": " + errno_text(errno));
      return nullptr;
    }
    struct stat st {};
    const bool trusted = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
                         (st.st_mode & 077) == 0 &&
                         static_cast<std::size_t>(st.st_size) <= kMaxEntryBytes;
    if (!trusted) {
      ::close(fd);
      warn(path + " is not a private regular file of this user; ignoring it");
      return nullptr;
    }
    text.resize(static_cast<std::size_t>(st.st_size) + 1);
    std::size_t got = 0;
    while (got < text.size()) {
      const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    text.resize(got);

    CredentialsPtr result;
    try {
      const auto root = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
      const auto creds = root->getObject("Credentials");
      if (!creds || !creds->has("AccessKeyId") || !creds->has("SecretAccessKey") ||
          !creds->has("SessionToken") || !creds->has("Expiration")) {
        throw std::runtime_error("missing fields");
      }
      const auto expiration = parse_iso8601(creds->getValue<std::string>("Expiration"));
      const auto access_key = creds->getValue<std::string>("AccessKeyId");
      if (!expiration || access_key.empty()) throw std::runtime_error("bad fields");
      // Same rule as botocore's assume-role cache: an entry that would need refreshing now is
      // as good as absent.
      if (*expiration - clock_->now() <= options_.refresh_window) return nullptr;
      CredentialsInit init{
          .access_key_id = access_key,
          .secret_access_key = SecretString(creds->getValue<std::string>("SecretAccessKey")),
          .session_token = SecretString(creds->getValue<std::string>("SessionToken")),
          .expiration = expiration,
          .provider_name = root->has("ProviderName") ? root->getValue<std::string>("ProviderName")
                                                     : std::string(provider_names::assume_role),
      };
      if (creds->has("AccountId")) init.account_id = creds->getValue<std::string>("AccountId");
      if (init.secret_access_key.empty()) throw std::runtime_error("bad fields");
      result = make_credentials(std::move(init));
    } catch (...) {
      warn(path + " is not a complete cache entry; ignoring it");
      result = nullptr;
    }
    wipe_string(text);
    return result;
  } catch (...) {
    wipe_string(text);
    return nullptr;
  }
}

void CredentialsFileCache::store(const std::string& key, const Credentials& credentials) noexcept {
  std::string body;
  try {
    if (!is_safe_key(key) || !credentials.expiration()) return;
    if (!prepare_directory(true)) return;

    body = R"({"Credentials": {"AccessKeyId": )";
    awsauth::detail::append_json_string(body, credentials.access_key_id());
    body += ", \"SecretAccessKey\": ";
    awsauth::detail::append_json_string(body, credentials.secret_access_key().reveal());
    body += ", \"SessionToken\": ";
    awsauth::detail::append_json_string(body, credentials.session_token().reveal());
    body += ", \"Expiration\": ";
    awsauth::detail::append_json_string(body, format_iso8601(*credentials.expiration()));
    if (credentials.account_id()) {
      body += ", \"AccountId\": ";
      awsauth::detail::append_json_string(body, *credentials.account_id());
    }
    body += "}, \"ProviderName\": ";
    awsauth::detail::append_json_string(body, credentials.provider_name());
    body += "}\n";

    try {
      detail::write_file_atomically(path_for(key), body);
    } catch (const std::system_error& e) {
      warn(e.what());
    }
  } catch (...) {
  }
  wipe_string(body);
}

}  // namespace awsauth::providers
