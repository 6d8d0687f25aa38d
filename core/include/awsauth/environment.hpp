#pragma once
/// @file environment.hpp
/// Environment-variable and file seams.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "awsauth/export.hpp"

namespace awsauth {

/// Read-only view of environment variables.
class AWSAUTH_API Environment {
 public:
  virtual ~Environment() = default;
  /// The variable's value, or nullopt when it is not set. A variable set to "" is returned as "".
  [[nodiscard]] virtual std::optional<std::string> get(std::string_view name) const = 0;
};

/// The process environment (getenv).
class AWSAUTH_API SystemEnvironment final : public Environment {
 public:
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const override;
};

/// Test double: a fixed map of variables.
class AWSAUTH_API MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  explicit MapEnvironment(std::map<std::string, std::string, std::less<>> vars)
      : vars_(std::move(vars)) {}
  void set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
  void unset(std::string_view name);
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const override;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

/// Thrown by FileSystem::read for a path that exists but is not a regular file (a FIFO, a
/// device, a directory, a socket). Reading one could block forever (a FIFO with no writer) or
/// never end (`/dev/zero`); botocore skips such config files (`os.path.isfile`), and the
/// profile-file reader does the same on this error.
class AWSAUTH_API NotRegularFileError : public std::system_error {
 public:
  NotRegularFileError(const std::string& path, const char* what_it_is);
};

/// Reads whole files.
class AWSAUTH_API FileSystem {
 public:
  /// The most a read returns: config, credentials and token files are small, and a larger one
  /// is a mistake (or `/proc/kcore`), not something to hold in memory.
  static constexpr std::size_t max_file_bytes = std::size_t{16} << 20;

  virtual ~FileSystem() = default;
  /// The file's bytes, or nullopt when it does not exist. Throws NotRegularFileError when it
  /// is not a regular file, and std::system_error (with the path in the message) when it
  /// cannot be read or holds more than max_file_bytes.
  [[nodiscard]] virtual std::optional<std::string> read(const std::string& path) const = 0;
};

/// The real file system: opens without blocking (a FIFO never stalls the open), checks the
/// type with fstat on the opened descriptor (no race with a rename), reads at most
/// max_file_bytes.
class AWSAUTH_API RealFileSystem final : public FileSystem {
 public:
  [[nodiscard]] std::optional<std::string> read(const std::string& path) const override;
};

/// Test double: files held in memory, keyed by path.
class AWSAUTH_API MapFileSystem final : public FileSystem {
 public:
  void put(std::string path, std::string contents) {
    files_[std::move(path)] = std::move(contents);
  }
  [[nodiscard]] std::optional<std::string> read(const std::string& path) const override;

 private:
  std::map<std::string, std::string, std::less<>> files_;
};

/// Expands a leading `~` or `~/` the way Python's os.path.expanduser does (botocore uses it):
/// `HOME` from `env`, else the password database; other paths are returned unchanged.
[[nodiscard]] AWSAUTH_API std::string expand_user(std::string_view path, const Environment& env);

}  // namespace awsauth
