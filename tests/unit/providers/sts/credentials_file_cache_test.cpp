// The on-disk assumed-role cache: permissions, atomic replacement, corrupt entries, freshness.

#include "awsauth/providers/sts/credentials_file_cache.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace awsauth::providers {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kNow = std::chrono::sys_days{std::chrono::year{2024} / 5 / 1};
const std::string kKey = "0123456789abcdef0123456789abcdef01234567";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "awsauth-cache-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, ec);
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& text, mode_t mode = 0600) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  ::chmod(path.c_str(), mode);
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

Credentials role_credentials(const std::string& akid, TimePoint expiration) {
  return Credentials({
      .access_key_id = akid,
      .secret_access_key = SecretString("secret-of-" + akid),
      .session_token = SecretString("token-of-" + akid),
      .expiration = expiration,
      .provider_name = "assume-role",
      .account_id = "123456789012",
  });
}

class CredentialsFileCacheTest : public ::testing::Test {
 protected:
  CredentialsFileCache make_cache(std::string dir, seconds window = minutes(15)) {
    return CredentialsFileCache({.directory = std::move(dir),
                                 .refresh_window = window,
                                 .warn = [this](const std::string& m) { warnings.push_back(m); }},
                                clock);
  }
  std::string cache_dir() const { return tmp.path() + "/cache"; }

  TempDir tmp;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kNow);
  std::vector<std::string> warnings;
};

TEST_F(CredentialsFileCacheTest, StoredCredentialsAreLoadedBackWithEveryField) {
  auto cache = make_cache(cache_dir());
  cache.store(kKey, role_credentials("ASIASTORED", kNow + minutes(60)));
  const auto loaded = cache.load(kKey);
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->access_key_id(), "ASIASTORED");
  EXPECT_EQ(loaded->secret_access_key().reveal(), "secret-of-ASIASTORED");
  EXPECT_EQ(loaded->session_token().reveal(), "token-of-ASIASTORED");
  EXPECT_EQ(loaded->expiration(), kNow + minutes(60));
  EXPECT_EQ(loaded->account_id(), "123456789012");
  EXPECT_EQ(loaded->provider_name(), "assume-role");
}

TEST_F(CredentialsFileCacheTest, AMissingEntryIsAMiss) {
  auto cache = make_cache(cache_dir());
  EXPECT_EQ(cache.load(kKey), nullptr);
  EXPECT_TRUE(warnings.empty());
}

TEST_F(CredentialsFileCacheTest, EntryFileUsesBotocoresLayout) {
  auto cache = make_cache(cache_dir());
  cache.store(kKey, role_credentials("ASIALAYOUT", kNow + minutes(60)));
  const std::string text = read_file(cache_dir() + "/" + kKey + ".json");
  EXPECT_NE(text.find(R"("Credentials": {"AccessKeyId": "ASIALAYOUT")"), std::string::npos);
  EXPECT_NE(text.find(R"("Expiration": "2024-05-01T01:00:00Z")"), std::string::npos);
}

TEST_F(CredentialsFileCacheTest, CreatesTheDirectoryAndMissingParentsMode0700) {
  const std::string dir = tmp.path() + "/a/b/cache";
  auto cache = make_cache(dir);
  cache.store(kKey, role_credentials("ASIADIR", kNow + minutes(60)));
  EXPECT_EQ(mode_of(dir), 0700U);
  EXPECT_EQ(mode_of(tmp.path() + "/a"), 0700U);
}

TEST_F(CredentialsFileCacheTest, WritesEntryFilesMode0600) {
  const mode_t old = ::umask(0);  // even with a permissive umask
  auto cache = make_cache(cache_dir());
  cache.store(kKey, role_credentials("ASIAMODE", kNow + minutes(60)));
  ::umask(old);
  EXPECT_EQ(mode_of(cache_dir() + "/" + kKey + ".json"), 0600U);
}

TEST_F(CredentialsFileCacheTest, TightensADirectoryOpenToOtherUsers) {
  fs::create_directory(cache_dir());
  ::chmod(cache_dir().c_str(), 0755);
  auto cache = make_cache(cache_dir());
  cache.store(kKey, role_credentials("ASIATIGHT", kNow + minutes(60)));
  EXPECT_EQ(mode_of(cache_dir()), 0700U);
  EXPECT_NE(cache.load(kKey), nullptr);
}

TEST_F(CredentialsFileCacheTest, RefusesADirectoryOwnedByAnotherUser) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root to give a directory to another user";
  }
  fs::create_directory(cache_dir());
  ASSERT_EQ(::chown(cache_dir().c_str(), 65534, 65534), 0);
  auto cache = make_cache(cache_dir());
  cache.store(kKey, role_credentials("ASIAFOREIGN", kNow + minutes(60)));
  EXPECT_FALSE(fs::exists(cache_dir() + "/" + kKey + ".json"));
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings.front().find("another user"), std::string::npos);
}

TEST_F(CredentialsFileCacheTest, IgnoresAnEntryReadableByOtherUsers) {
  auto cache = make_cache(cache_dir());
  cache.store(kKey, role_credentials("ASIAOPEN", kNow + minutes(60)));
  ::chmod(cache.path_for(kKey).c_str(), 0644);
  EXPECT_EQ(cache.load(kKey), nullptr);
  // The next store replaces it with a private file.
  cache.store(kKey, role_credentials("ASIAOPEN", kNow + minutes(60)));
  EXPECT_EQ(mode_of(cache.path_for(kKey)), 0600U);
  EXPECT_NE(cache.load(kKey), nullptr);
}

TEST_F(CredentialsFileCacheTest, IgnoresAnEntryThatIsASymlink) {
  auto cache = make_cache(cache_dir());
  cache.store("target", role_credentials("ASIALINK", kNow + minutes(60)));
  fs::create_symlink(cache.path_for("target"), cache.path_for(kKey));
  EXPECT_EQ(cache.load(kKey), nullptr);
}

TEST_F(CredentialsFileCacheTest, IgnoresACorruptEntryAndReplacesItOnTheNextStore) {
  auto cache = make_cache(cache_dir());
  cache.store(kKey, role_credentials("ASIAOLD", kNow + minutes(60)));
  write_file(cache.path_for(kKey), "{\"Credentials\": not json at all");
  EXPECT_EQ(cache.load(kKey), nullptr);
  cache.store(kKey, role_credentials("ASIANEW", kNow + minutes(60)));
  const auto loaded = cache.load(kKey);
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->access_key_id(), "ASIANEW");
}

TEST_F(CredentialsFileCacheTest, IgnoresATruncatedEntryAtEveryLength) {
  auto cache = make_cache(cache_dir());
  cache.store(kKey, role_credentials("ASIATRUNC", kNow + minutes(60)));
  const std::string whole = read_file(cache.path_for(kKey));
  // Cut before the closing braces: every proper prefix is an incomplete document.
  const std::size_t complete = whole.rfind('}');
  for (std::size_t len = 0; len < complete; ++len) {
    write_file(cache.path_for(kKey), whole.substr(0, len));
    EXPECT_EQ(cache.load(kKey), nullptr) << "prefix of length " << len;
  }
}

TEST_F(CredentialsFileCacheTest, IgnoresAnEntryMissingItsExpirationOrToken) {
  auto cache = make_cache(cache_dir());
  fs::create_directory(cache_dir());
  ::chmod(cache_dir().c_str(), 0700);
  write_file(
      cache.path_for(kKey),
      R"({"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T"}})");
  EXPECT_EQ(cache.load(kKey), nullptr);
  write_file(
      cache.path_for(kKey),
      R"({"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2030-01-01T00:00:00Z"}})");
  EXPECT_EQ(cache.load(kKey), nullptr);
}

TEST_F(CredentialsFileCacheTest, ReadsBotocoreWrittenExpirationsWithOffsets) {
  auto cache = make_cache(cache_dir());
  fs::create_directory(cache_dir());
  ::chmod(cache_dir().c_str(), 0700);
  write_file(
      cache.path_for(kKey),
      R"({"Credentials": {"AccessKeyId": "ASIABOTO", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2024-05-01T02:00:00+00:00"}, "AssumedRoleUser": {"Arn": "arn:aws:sts::123456789012:assumed-role/r/s"}})");
  const auto loaded = cache.load(kKey);
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->expiration(), kNow + minutes(120));
}

TEST_F(CredentialsFileCacheTest, DoesNotUseAnEntryInsideTheRefreshWindow) {
  auto cache = make_cache(cache_dir(), minutes(15));
  cache.store(kKey, role_credentials("ASIAWINDOW", kNow + minutes(20)));
  EXPECT_NE(cache.load(kKey), nullptr);
  clock->advance(minutes(5));  // exactly 15 minutes left: inside the window
  EXPECT_EQ(cache.load(kKey), nullptr);
  clock->advance(minutes(30));  // expired
  EXPECT_EQ(cache.load(kKey), nullptr);
}

TEST_F(CredentialsFileCacheTest, HonoursTheRefreshWindowItIsGiven) {
  auto cache = make_cache(cache_dir(), seconds(30));
  cache.store(kKey, role_credentials("ASIASHORT", kNow + seconds(31)));
  EXPECT_NE(cache.load(kKey), nullptr);
  clock->advance(seconds(1));
  EXPECT_EQ(cache.load(kKey), nullptr);
}

TEST_F(CredentialsFileCacheTest, DoesNotStoreCredentialsWithoutAnExpiration) {
  auto cache = make_cache(cache_dir());
  cache.store(
      kKey, Credentials({.access_key_id = "AKIALONGTERM", .secret_access_key = SecretString("s")}));
  EXPECT_FALSE(fs::exists(cache.path_for(kKey)));
}

TEST_F(CredentialsFileCacheTest, RefusesKeysThatNameAFileOutsideTheDirectory) {
  auto cache = make_cache(cache_dir());
  cache.store("../escape", role_credentials("ASIAESCAPE", kNow + minutes(60)));
  EXPECT_FALSE(fs::exists(tmp.path() + "/escape.json"));
  EXPECT_EQ(cache.load("../escape"), nullptr);
}

TEST_F(CredentialsFileCacheTest, LeavesNoTemporaryFilesBehind) {
  auto cache = make_cache(cache_dir());
  for (int i = 0; i < 5; ++i) {
    cache.store(kKey, role_credentials("ASIAREPEAT" + std::to_string(i), kNow + minutes(60)));
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(cache_dir())) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{kKey + ".json"});
}

TEST_F(CredentialsFileCacheTest, WarningsNeverContainTheSecretOrTheToken) {
  auto cache = make_cache(cache_dir());
  cache.store(kKey, role_credentials("ASIAWARN", kNow + minutes(60)));
  const std::string whole = read_file(cache.path_for(kKey));
  write_file(cache.path_for(kKey), whole.substr(0, whole.size() - 3));
  EXPECT_EQ(cache.load(kKey), nullptr);
  ::chmod(cache.path_for(kKey).c_str(), 0640);
  EXPECT_EQ(cache.load(kKey), nullptr);
  ASSERT_EQ(warnings.size(), 2U);
  for (const auto& w : warnings) {
    EXPECT_EQ(w.find("secret-of-"), std::string::npos) << w;
    EXPECT_EQ(w.find("token-of-"), std::string::npos) << w;
    EXPECT_NE(w.find(cache.path_for(kKey)), std::string::npos) << w;
  }
}

// Two processes replace the same entry over and over while this one reads it: thanks to the
// temp-file-and-rename write, every read is a miss or one writer's complete entry, never a mix.
TEST_F(CredentialsFileCacheTest, TwoProcessesWritingTheSameEntryNeverExposeAPartialOne) {
  const std::string dir = cache_dir();
  auto reader = make_cache(dir);
  std::vector<pid_t> children;
  for (const std::string akid : {"ASIAWRITERONE", "ASIAWRITERTWO"}) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      CredentialsFileCache writer({.directory = dir}, std::make_shared<ManualClock>(kNow));
      for (int i = 0; i < 300; ++i) {
        writer.store(kKey, role_credentials(akid, kNow + minutes(60)));
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  int reads = 0;
  int hits = 0;
  int running = 2;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (running > 0 && std::chrono::steady_clock::now() < deadline) {
    const auto loaded = reader.load(kKey);
    ++reads;
    if (loaded) {
      ++hits;
      const std::string& akid = loaded->access_key_id();
      ASSERT_TRUE(akid == "ASIAWRITERONE" || akid == "ASIAWRITERTWO") << akid;
      ASSERT_EQ(loaded->secret_access_key().reveal(), "secret-of-" + akid);
      ASSERT_EQ(loaded->session_token().reveal(), "token-of-" + akid);
    }
    for (auto& pid : children) {
      int status = 0;
      if (pid > 0 && ::waitpid(pid, &status, WNOHANG) == pid) {
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        pid = -1;
        --running;
      }
    }
  }
  for (const pid_t pid : children) {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  EXPECT_EQ(running, 0) << "writers did not finish within the deadline";
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  EXPECT_GT(hits, 0);
  std::cout << "[ reads " << reads << ", complete entries " << hits << " ]\n";
  const auto last = reader.load(kKey);
  ASSERT_NE(last, nullptr);
}

}  // namespace
}  // namespace awsauth::providers
