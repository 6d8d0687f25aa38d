#pragma once
/// @file secret.hpp
/// SecretString: a string that holds secret material (a secret access key, a session token).

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "awsauth/export.hpp"

namespace awsauth {

/// Holds a secret. The bytes are wiped when the object is destroyed, assigned over or moved
/// from, and the value never reaches a stream: `operator<<` prints a redacted form.
/// Read the value only where it is really needed (signing, exporting) with `reveal()`.
class AWSAUTH_API SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) noexcept;
  SecretString(const SecretString& other);
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(const SecretString& other);
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString();

  /// The secret itself. Never log or print it.
  [[nodiscard]] const std::string& reveal() const noexcept { return value_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return value_.size(); }

  friend bool operator==(const SecretString& a, const SecretString& b) noexcept {
    return a.value_ == b.value_;
  }

 private:
  void wipe() noexcept;
  std::string value_;
};

/// Prints `<redacted>` (or `<empty>`), never the value.
AWSAUTH_API std::ostream& operator<<(std::ostream& out, const SecretString& secret);

/// Overwrites `size` bytes at `p` with zeros in a way the optimiser keeps (glibc's
/// explicit_bzero): for keys and hash states that live outside a SecretString.
AWSAUTH_API void wipe_bytes(void* p, std::size_t size) noexcept;

/// Overwrites the bytes of `s` with zeros in a way the optimiser keeps, then clears it.
AWSAUTH_API void wipe_string(std::string& s) noexcept;

}  // namespace awsauth
