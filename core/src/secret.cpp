#include "awsauth/secret.hpp"

#include <string.h>  // explicit_bzero (glibc 2.25)

#include <ostream>

namespace awsauth {

void wipe_bytes(void* p, std::size_t size) noexcept {
  // Like OPENSSL_cleanse, a wipe the compiler may not drop as a dead store; glibc's keeps
  // libcrypto out of programs that hold credentials but never sign (the `awsauth creds` front,
  // cli/front.cpp).
  if (size > 0) explicit_bzero(p, size);
}

void wipe_string(std::string& s) noexcept {
  wipe_bytes(s.data(), s.size());
  s.clear();
}

SecretString::SecretString(std::string value) noexcept : value_(std::move(value)) {}

SecretString::SecretString(const SecretString& other) = default;

// A moved std::string may leave its bytes behind in the small-string buffer, so copy and wipe
// the source instead of moving.
// NOLINTNEXTLINE(performance-move-constructor-init): copied on purpose, see above
SecretString::SecretString(SecretString&& other) noexcept : value_(other.value_) { other.wipe(); }

SecretString& SecretString::operator=(const SecretString& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = other.value_;
    other.wipe();
  }
  return *this;
}

SecretString::~SecretString() { wipe(); }

void SecretString::wipe() noexcept { wipe_string(value_); }

std::ostream& operator<<(std::ostream& out, const SecretString& secret) {
  return out << (secret.empty() ? "<empty>" : "<redacted>");
}

}  // namespace awsauth
