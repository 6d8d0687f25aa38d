#include "awsauth/providers/profile/credential_process.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <stdexcept>
#include <system_error>

#include "awsauth/providers/profile/profile_properties.hpp"

namespace awsauth::providers {
namespace {

bool is_shell_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string trim(std::string text) {
  while (!text.empty() && is_shell_space(text.back())) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && is_shell_space(text[start])) ++start;
  return text.substr(start);
}

std::string string_field(const Poco::JSON::Object& object, const std::string& key, bool required) {
  if (!object.has(key) || object.isNull(key)) {
    if (required) throw std::invalid_argument("missing required key " + key);
    return {};
  }
  const auto value = object.get(key);
  if (!value.isString()) throw std::invalid_argument(key + " is not a string");
  return value.extract<std::string>();
}

bool marker_lists(std::string_view marker, std::string_view profile) {
  while (!marker.empty()) {
    const auto comma = marker.find(',');
    if (marker.substr(0, comma) == profile) return true;
    if (comma == std::string_view::npos) break;
    marker.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::vector<std::string> split_command_line(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (is_shell_space(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      const auto end = command.find('\'', i + 1);
      if (end == std::string_view::npos) throw std::invalid_argument("unterminated ' quote");
      word.append(command.substr(i + 1, end - i - 1));
      i = end;
      in_word = true;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i >= command.size()) throw std::invalid_argument("unterminated \" quote");
        if (command[i] == '"') break;
        if (command[i] == '\\' && i + 1 < command.size() &&
            (command[i + 1] == '"' || command[i + 1] == '\\')) {
          ++i;
        }
        word += command[i];
      }
      in_word = true;
    } else if (c == '\\') {
      if (i + 1 >= command.size()) throw std::invalid_argument("trailing backslash");
      word += command[++i];
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

CredentialsInit parse_credential_process_output(std::string_view json) {
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    object = parser.parse(std::string(json)).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    // Poco's message may quote the text, which holds secrets: say only what was wrong.
    throw std::invalid_argument("output is not a JSON object");
  }
  if (!object) throw std::invalid_argument("output is not a JSON object");

  bool version_ok = false;
  if (object->has("Version") && !object->isNull("Version")) {
    const auto version = object->get("Version");
    version_ok = version.isNumeric() && !version.isString() && version.convert<double>() == 1.0;
  }
  if (!version_ok) {
    throw std::invalid_argument(object->has("Version") ? "unsupported Version (only 1 is supported)"
                                                       : "Version key not provided (must be 1)");
  }

  CredentialsInit init;
  init.access_key_id = string_field(*object, "AccessKeyId", true);
  init.secret_access_key = SecretString(string_field(*object, "SecretAccessKey", true));
  init.session_token = SecretString(string_field(*object, "SessionToken", false));
  const std::string expiration = string_field(*object, "Expiration", false);
  if (!expiration.empty()) {
    init.expiration = parse_iso8601(expiration);
    if (!init.expiration) {
      throw std::invalid_argument("its Expiration " + describe_iso8601_error(expiration));
    }
  }
  if (auto account = string_field(*object, "AccountId", false); !account.empty()) {
    init.account_id = std::move(account);
  }
  return init;
}

CredentialProcessProvider::CredentialProcessProvider(Context context,
                                                     std::shared_ptr<ProfileFilesLoader> files,
                                                     std::string profile,
                                                     CredentialProcessOptions options)
    : context_(std::move(context)),
      files_(std::move(files)),
      profile_(std::move(profile)),
      options_(options) {}

std::string CredentialProcessProvider::name() const {
  return std::string(provider_names::credential_process);
}

CredentialsPtr CredentialProcessProvider::get() {
  const auto files = files_->get();
  const Profile* profile = files->merged.find(profile_);
  const ProfileValue* command = profile ? profile->find(property::credential_process) : nullptr;
  if (command == nullptr) {
    throw CredentialsError::not_configured(name(),
                                           "profile '" + profile_ + "' has no credential_process");
  }
  const std::string where =
      describe_profile(profile_, *command) + " line " + std::to_string(command->line);
  // Every error below names the command's profile and line first.
  const std::string about = "credential_process of " + where + ": ";

  ProcessRequest request;
  try {
    request.argv = split_command_line(command->value);
  } catch (const std::invalid_argument& e) {
    throw CredentialsError::invalid_configuration(name(),
                                                  about + "cannot split the command: " + e.what());
  }
  if (request.argv.empty())
    throw CredentialsError::invalid_configuration(name(), about + "the command is empty");

  const auto marker = context_.environment->get(kCredentialProcessMarker);
  if (marker && marker_lists(*marker, profile_)) {
    throw CredentialsError::invalid_configuration(
        name(), about +
                    "it runs awsauth for the same profile again (credential_process loop); "
                    "point it at a profile that does not use awsauth");
  }
  request.extra_env = {{std::string(kCredentialProcessMarker),
                        marker && !marker->empty() ? *marker + "," + profile_ : profile_}};
  request.timeout = options_.timeout;
  request.max_stdout_bytes = options_.max_output_bytes;
  request.pass_through_stderr = true;

  ProcessResult result;
  try {
    result = context_.processes->run(request);
  } catch (const std::system_error& e) {
    throw CredentialsError::provider_failure(name(), about + e.what());
  }
  if (result.timed_out) {
    throw CredentialsError::provider_failure(name(), about + "the program did not finish within " +
                                                         std::to_string(options_.timeout.count()) +
                                                         " ms and was killed");
  }
  if (result.stdout_truncated) {
    throw CredentialsError::provider_failure(name(), about + "the program printed more than " +
                                                         std::to_string(options_.max_output_bytes) +
                                                         " bytes and was killed");
  }
  if (result.exit_code != 0) {
    std::string why = result.term_signal != 0
                          ? "the program was killed by signal " + std::to_string(result.term_signal)
                          : "the program exited with status " + std::to_string(result.exit_code);
    if (auto err = trim(result.stderr_data); !err.empty()) why += ": " + err;
    throw CredentialsError::provider_failure(name(), about + why);
  }

  CredentialsInit init;
  try {
    init = parse_credential_process_output(result.stdout_data);
  } catch (const std::invalid_argument& e) {
    throw CredentialsError::provider_failure(name(), about + e.what());
  }
  if (!init.account_id) {
    if (const ProfileValue* a = profile->find(property::aws_account_id)) init.account_id = a->value;
  }
  init.provider_name = name();
  return make_credentials(std::move(init));
}

}  // namespace awsauth::providers
