#include "no_credentials.hpp"

#include "awsauth/provider.hpp"
#include "quoting.hpp"

namespace awsauth::cli {

std::string providers_tried_message(const NoCredentialsError& error) {
  std::string text = error.kind() == ErrorKind::NotConfigured
                         ? "no credentials found; providers tried:"
                         : "credentials could not be resolved; providers tried:";
  for (const auto& attempt : error.attempts()) {
    text.append("\n  ").append(provider_label(attempt.provider)).append(": ");
    text.append(message_line(attempt.reason));
  }
  return text;
}

}  // namespace awsauth::cli
