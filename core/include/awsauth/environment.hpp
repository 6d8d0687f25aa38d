#pragma once
/// @file environment.hpp
/// Environment-variable and file seams.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace awsauth {

/// Read-only view of environment variables.
class Environment {
 public:
  virtual ~Environment() = default;
  /// The variable's value, or nullopt when it is not set. A variable set to "" is returned as "".
  [[nodiscard]] virtual std::optional<std::string> get(std::string_view name) const = 0;
};

/// The process environment (getenv).
class SystemEnvironment final : public Environment {
 public:
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const override;
};

/// Test double: a fixed map of variables.
class MapEnvironment final : public Environment {
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

/// Reads whole files.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  /// The file's bytes, or nullopt when it does not exist. Throws std::system_error (with the
  /// path in the message) when it exists but cannot be read.
  [[nodiscard]] virtual std::optional<std::string> read(const std::string& path) const = 0;
};

/// The real file system.
class RealFileSystem final : public FileSystem {
 public:
  [[nodiscard]] std::optional<std::string> read(const std::string& path) const override;
};

/// Test double: files held in memory, keyed by path.
class MapFileSystem final : public FileSystem {
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
[[nodiscard]] std::string expand_user(std::string_view path, const Environment& env);

}  // namespace awsauth
