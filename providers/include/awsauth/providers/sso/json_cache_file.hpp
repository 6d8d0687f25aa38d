#pragma once
/// @file json_cache_file.hpp
/// The JSON cache files the AWS CLI and botocore keep under `~/.aws/sso/cache/` (SSO tokens,
/// client registrations): read as a flat object whose members round-trip unchanged, written
/// atomically with owner-only permissions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "awsauth/export.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers {

/// A JSON object as stored in a cache file: its top-level members in file order, each value
/// kept as the exact JSON text it was written with. Members a program does not know (a newer
/// AWS CLI's) are written back byte for byte, names and values; members it sets are replaced where
/// they stand or appended. Values may be secrets (tokens, client secrets): they are wiped on
/// destruction and no member value ever appears in an exception message.
class AWSAUTH_API JsonCacheDocument {
 public:
  JsonCacheDocument() = default;

  /// Parses `text`, which must be one JSON object (RFC 8259; nested values are checked but kept
  /// as text). Throws std::invalid_argument saying what is wrong and at which byte offset,
  /// without quoting the text. A member name given twice keeps its last value, as Python's
  /// json.load does.
  [[nodiscard]] static JsonCacheDocument parse(std::string_view text);

  [[nodiscard]] bool has(std::string_view key) const noexcept;
  /// The member's decoded string value; nullopt when absent. Throws std::invalid_argument
  /// naming the key when the member is not a JSON string.
  [[nodiscard]] std::optional<std::string> string(std::string_view key) const;
  /// The member's value as a whole number (a JSON number without fraction or exponent);
  /// nullopt when absent. Throws std::invalid_argument naming the key otherwise.
  [[nodiscard]] std::optional<std::int64_t> integer(std::string_view key) const;
  /// The member's JSON text as written; nullopt when absent.
  [[nodiscard]] std::optional<std::string> raw(std::string_view key) const;

  /// Sets a string member (escaped as Python's json.dumps does: ASCII only).
  void set_string(std::string_view key, std::string_view value);
  /// Sets a number member.
  void set_integer(std::string_view key, std::int64_t value);
  /// Sets a member to JSON text the caller vouches for (an array, an object, `true`, ...).
  /// Throws std::invalid_argument when `json` is not one JSON value.
  void set_raw(std::string_view key, std::string_view json);
  /// Removes the member if present.
  void erase(std::string_view key);

  /// Member names in order.
  [[nodiscard]] std::vector<std::string> keys() const;

  /// The document as botocore's JSONFileCache writes it (`json.dumps`): `{"a": 1, "b": "x"}`,
  /// one line, `", "` and `": "` separators, no trailing newline.
  [[nodiscard]] std::string serialize() const;

 private:
  struct Member {
    std::string key;       ///< decoded
    std::string key_json;  ///< the name as written (a parsed member) or escaped (a set one)
    SecretString value;    ///< JSON text
  };
  std::vector<Member> members_;
};

/// Writes `contents` to `path` so that a reader sees the old file or the new one, never a
/// mix: a temporary file (mode 0600) in the same directory, written and fsync'ed, renamed over
/// `path`, then the directory fsync'ed. The directory is created with mode 0700 (and missing
/// parents) when absent; an existing file's mode ends up 0600 too. On failure no temporary
/// file is left behind and `path` is unchanged; throws std::system_error whose message names
/// the file or directory (never the contents).
AWSAUTH_API void write_cache_file_atomically(const std::string& path, std::string_view contents);

/// JsonCacheDocument::serialize() of `document` written with write_cache_file_atomically():
/// the general writer for the AWS CLI's JSON caches (tokens, client registrations).
AWSAUTH_API void write_json_cache_file(const std::string& path, const JsonCacheDocument& document);

}  // namespace awsauth::providers
