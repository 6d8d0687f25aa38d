#pragma once
/// @file credentials.hpp
/// The Credentials value every part of awsauth speaks.

#include <chrono>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "awsauth/export.hpp"
#include "awsauth/secret.hpp"

namespace awsauth {

/// Wall-clock instant used for expirations and signing times.
using TimePoint = std::chrono::system_clock::time_point;

/// The fields of a Credentials value, for designated-initializer construction:
/// `Credentials({.access_key_id = "AKID", .secret_access_key = SecretString("...")})`.
struct AWSAUTH_API CredentialsInit {
  std::string access_key_id;
  SecretString secret_access_key;
  SecretString session_token;             ///< empty: long-term keys
  std::optional<TimePoint> expiration;    ///< empty: never expires
  std::string provider_name;              ///< which provider produced them (see provider.hpp)
  std::optional<std::string> account_id;  ///< AWS account id, when the source reports it
};

/// An immutable snapshot of AWS credentials. Shared as `CredentialsPtr` so that a caller never
/// reads the key of one refresh and the token of another. The secret and the token are wiped
/// from memory on destruction and never printed.
class AWSAUTH_API Credentials {
 public:
  explicit Credentials(CredentialsInit init);

  [[nodiscard]] const std::string& access_key_id() const noexcept { return f_.access_key_id; }
  [[nodiscard]] const SecretString& secret_access_key() const noexcept {
    return f_.secret_access_key;
  }
  /// Empty when these are long-term credentials.
  [[nodiscard]] const SecretString& session_token() const noexcept { return f_.session_token; }
  [[nodiscard]] bool has_session_token() const noexcept { return !f_.session_token.empty(); }
  [[nodiscard]] const std::optional<TimePoint>& expiration() const noexcept {
    return f_.expiration;
  }
  [[nodiscard]] const std::string& provider_name() const noexcept { return f_.provider_name; }
  [[nodiscard]] const std::optional<std::string>& account_id() const noexcept {
    return f_.account_id;
  }

  /// True when an expiration is set and `now` is at or past it.
  [[nodiscard]] bool expired_at(TimePoint now) const noexcept {
    return f_.expiration && now >= *f_.expiration;
  }

  /// A copy of the fields, e.g. to build a variant with another provider name.
  [[nodiscard]] CredentialsInit fields() const { return f_; }

 private:
  CredentialsInit f_;
};

using CredentialsPtr = std::shared_ptr<const Credentials>;

/// Convenience: build a shared immutable Credentials.
[[nodiscard]] AWSAUTH_API CredentialsPtr make_credentials(CredentialsInit init);

/// Redacted form: access key id, provider, expiry; the secret and token show as `<redacted>`.
AWSAUTH_API std::ostream& operator<<(std::ostream& out, const Credentials& credentials);

/// Formats an instant as ISO-8601 UTC with a `Z` suffix and whole seconds
/// (`2024-01-01T00:00:00Z`), the form credential_process and the container endpoint use.
[[nodiscard]] AWSAUTH_API std::string format_iso8601(TimePoint t);

/// Parses ISO-8601 / RFC 3339 timestamps as AWS services send them: `2024-01-01T00:00:00Z`,
/// with or without fractional seconds, with `Z` or a numeric offset (`+00:00`, `+0000`,
/// `+00`). A time without an offset is not accepted (it would mean local time).
/// Returns nullopt when the text is not such a timestamp.
[[nodiscard]] AWSAUTH_API std::optional<TimePoint> parse_iso8601(std::string_view text);

/// Why `text` is not accepted by parse_iso8601, for a message that also says where it was
/// read: `'2030-01-01T00:00:00' has no UTC offset; add one, e.g. 2030-01-01T00:00:00Z (or
/// +HH:MM, +HHMM, +HH)`, or `'x' is not an ISO-8601 time such as 2030-01-01T00:00:00Z`. The
/// text is shown through printable(), cut at 64 bytes.
[[nodiscard]] AWSAUTH_API std::string describe_iso8601_error(std::string_view text);

}  // namespace awsauth
