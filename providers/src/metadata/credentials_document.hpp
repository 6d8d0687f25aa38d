#pragma once
// Internal: the JSON credentials document served by the instance metadata service and the
// container credentials endpoint (same field names in both).

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "awsauth/credentials.hpp"
#include "awsauth/secret.hpp"

namespace awsauth::providers::detail {

/// The fields we read; any may be missing. Secrets are held as SecretString from the moment
/// they leave the JSON tree.
struct CredentialsDocument {
  std::optional<std::string> access_key_id;
  std::optional<SecretString> secret_access_key;
  std::optional<SecretString> token;
  std::optional<std::string> expiration;  ///< as written
  std::optional<std::string> account_id;
  std::optional<std::string> code;     ///< IMDS: "Success" or an error code
  std::optional<std::string> message;  ///< IMDS: the error message when Code is not Success
};

/// Thrown when the body is not a JSON object. Its message never quotes the body (it may hold
/// secrets).
class UnreadableDocument : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses a credentials document. Throws UnreadableDocument when `body` is not a JSON object.
[[nodiscard]] CredentialsDocument parse_credentials_document(std::string_view body);

/// The names of the required fields (AccessKeyId, SecretAccessKey, Token, Expiration) that the
/// document lacks, comma separated; empty when it has them all.
[[nodiscard]] std::string missing_required_fields(const CredentialsDocument& doc);

/// Builds credentials from a complete document. Throws UnreadableDocument when Expiration is
/// not an ISO-8601 timestamp.
[[nodiscard]] CredentialsPtr to_credentials(const CredentialsDocument& doc,
                                            std::string_view provider_name);

}  // namespace awsauth::providers::detail
