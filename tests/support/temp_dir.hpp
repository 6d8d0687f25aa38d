#pragma once
/// @file temp_dir.hpp
/// A private temporary directory for a test, removed (with everything in it) at the end.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

namespace awsauth::test {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "awsauth-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (path_.empty()) return;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// The whole file, or "" when it cannot be read.
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Writes `text` to `path` (creating or truncating it).
inline void spit(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

/// Creates (under `base`) and returns a directory whose path is exactly `length` bytes long,
/// made of components of at most 200 bytes. With `length` a few bytes short of PATH_MAX (4096)
/// a file name fits in it but a longer temporary name next to it does not: a write that fails
/// (ENAMETOOLONG) for every user, root included, where a read-only directory stops only
/// others.
inline std::string directory_of_length(const std::string& base, std::size_t length) {
  std::string path = base;
  while (path.size() < length) {
    const std::size_t room = length - path.size() - 1;  // minus the '/'
    // Appends, not "/" + ... (GCC 12 -Wrestrict, PR105651).
    path.push_back('/');
    path.append(room > 200 ? 200 : room, 'd');
  }
  std::filesystem::create_directories(path);
  return path;
}

/// Writes `text` to `path`, creating the missing directories first.
inline void write_file_creating_dirs(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  spit(path, text);
}

}  // namespace awsauth::test
