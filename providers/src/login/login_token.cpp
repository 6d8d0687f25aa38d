// The `aws login` token cache: botocore's LoginTokenLoader over a JSONFileCache.
#include "awsauth/providers/login/login_token.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>
#include <utility>
#include <vector>

#include "awsauth/detail/json.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/provider.hpp"
#include "files/atomic_file.hpp"

namespace awsauth::providers {
namespace {

constexpr std::string_view kProvider = provider_names::login;

std::string run_login(const LoginTokenOrigin& origin) {
  return "run `aws login --profile " + origin.profile + "` to sign in again";
}

[[noreturn]] void bad_file(const LoginTokenOrigin& origin, const std::string& what) {
  throw CredentialsError::invalid_configuration(
      kProvider, "the login session cache file " + origin.path + " (of profile `" + origin.profile +
                     "`) " + what + "; " + run_login(origin));
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Python's posixpath.expandvars: `$name` or `${name}` replaced by the variable when it is set,
// left as written when not; a replacement is not expanded again.
std::string expand_vars(std::string path, const Environment& env) {
  std::size_t i = 0;
  while ((i = path.find('$', i)) != std::string::npos) {
    std::size_t end = i + 1;
    std::string name;
    if (end < path.size() && path[end] == '{') {
      const std::size_t close = path.find('}', end);
      if (close == std::string::npos) break;
      name = path.substr(end + 1, close - end - 1);
      end = close + 1;
    } else {
      while (end < path.size() && is_name_char(path[end])) ++end;
      name = path.substr(i + 1, end - i - 1);
      if (name.empty()) {
        i = end;
        continue;
      }
    }
    if (auto value = env.get(name)) {
      path.replace(i, end - i, *value);
      i += value->size();
    } else {
      i = end;
    }
  }
  return path;
}

// Lowercase hex SHA-256.
std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int k = 0; k < length; ++k) {
    out.push_back(kHex[digest[k] >> 4]);
    out.push_back(kHex[digest[k] & 0xf]);
  }
  return out;
}

Poco::JSON::Object::Ptr parse_object(std::string_view text, const LoginTokenOrigin& origin) {
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    Poco::Dynamic::Var root = parser.parse(std::string(text));
    if (root.type() == typeid(Poco::JSON::Object::Ptr)) {
      return root.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception&) {
    // Poco's message may quote the text, which holds tokens: say only that it is not JSON.
  }
  bad_file(origin, "is not a JSON object");
}

// The string field `key` of `object`, or nullopt when it is absent; a field of another type is
// an error naming it (never its value).
std::optional<std::string> string_field(const Poco::JSON::Object& object, const std::string& key,
                                        const std::string& where, const LoginTokenOrigin& origin) {
  if (!object.has(key)) return std::nullopt;
  const Poco::Dynamic::Var value = object.get(key);
  if (!value.isString()) bad_file(origin, "has a " + where + key + " that is not a string");
  return value.extract<std::string>();
}

void append_json(std::string& out, const Poco::Dynamic::Var& value);

void append_object(std::string& out, const Poco::JSON::Object& object) {
  out += '{';
  bool first = true;
  for (const std::string& name : object.getNames()) {
    if (!first) out += ", ";
    first = false;
    awsauth::detail::append_json_string(out, name, awsauth::detail::JsonEscaping::PythonAscii);
    out += ": ";
    append_json(out, object.get(name));
  }
  out += '}';
}

// Writes a parsed value back as JSON as botocore's JSONFileCache does (json.dumps defaults:
// ", " and ": ", non-ASCII as \uXXXX).
void append_json(std::string& out, const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) {
    out += "null";
  } else if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    append_object(out, *value.extract<Poco::JSON::Object::Ptr>());
  } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    const auto& array = *value.extract<Poco::JSON::Array::Ptr>();
    out += '[';
    for (std::size_t k = 0; k < array.size(); ++k) {
      if (k != 0) out += ", ";
      append_json(out, array.get(static_cast<unsigned int>(k)));
    }
    out += ']';
  } else if (value.isString()) {
    awsauth::detail::append_json_string(out, value.extract<std::string>(),
                                        awsauth::detail::JsonEscaping::PythonAscii);
  } else if (value.isBoolean()) {
    out += value.convert<bool>() ? "true" : "false";
  } else {
    out += value.convert<std::string>();  // a number
  }
}

// botocore: expires_timestamp.strftime('%Y-%m-%dT%H:%M:%SZ') in UTC.
std::string format_expires_at(TimePoint t) {
  const std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 32> text{};
  const std::size_t n = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text.data(), n);
}

}  // namespace

std::string login_cache_directory(const Environment& env) {
  if (auto configured = env.get("AWS_LOGIN_CACHE_DIRECTORY")) {
    return expand_user(expand_vars(*configured, env), env);
  }
  return expand_user("~/.aws/login/cache", env);
}

std::string login_cache_file_name(std::string_view login_session) {
  return sha256_hex(login_session) + ".json";
}

std::string login_cache_path(const Environment& env, std::string_view login_session) {
  std::string dir = login_cache_directory(env);
  const std::string name = login_cache_file_name(login_session);
  if (dir.empty()) return name;
  if (dir.back() != '/') dir += '/';
  return dir + name;
}

LoginToken parse_login_token(std::string_view text, const LoginTokenOrigin& origin) {
  const Poco::JSON::Object::Ptr root = parse_object(text, origin);

  // botocore's _REQUIRED_TOKEN_FIELDS, reported together as botocore does.
  std::string missing;
  for (const char* key : {"accessToken", "refreshToken", "dpopKey", "clientId"}) {
    if (!root->has(key)) missing += missing.empty() ? key : std::string(", ") + key;
  }
  if (!missing.empty()) bad_file(origin, "is missing required fields: " + missing);

  const Poco::Dynamic::Var access = root->get("accessToken");
  if (access.type() != typeid(Poco::JSON::Object::Ptr)) {
    bad_file(origin, "has an accessToken that is not an object");
  }
  const auto& keys = *access.extract<Poco::JSON::Object::Ptr>();
  for (const char* key :
       {"accessKeyId", "secretAccessKey", "sessionToken", "accountId", "expiresAt"}) {
    if (!keys.has(key)) missing += missing.empty() ? key : std::string(", ") + key;
  }
  if (!missing.empty()) bad_file(origin, "is missing required fields in accessToken: " + missing);

  LoginToken token;
  token.access_key_id = *string_field(keys, "accessKeyId", "accessToken.", origin);
  token.secret_access_key =
      SecretString(*string_field(keys, "secretAccessKey", "accessToken.", origin));
  token.session_token = SecretString(*string_field(keys, "sessionToken", "accessToken.", origin));
  token.account_id = *string_field(keys, "accountId", "accessToken.", origin);
  const std::string expires = *string_field(keys, "expiresAt", "accessToken.", origin);
  const auto expires_at = parse_iso8601(expires);
  if (!expires_at) {
    bad_file(origin,
             "has an accessToken.expiresAt that is not usable: " + describe_iso8601_error(expires));
  }
  token.expires_at = *expires_at;
  token.refresh_token = SecretString(*string_field(*root, "refreshToken", "", origin));
  token.dpop_key = SecretString(*string_field(*root, "dpopKey", "", origin));
  token.client_id = *string_field(*root, "clientId", "", origin);
  if (token.access_key_id.empty() || token.secret_access_key.empty()) {
    bad_file(origin, "has an empty accessToken.accessKeyId or accessToken.secretAccessKey");
  }
  token.document = SecretString(std::string(text));
  return token;
}

LoginToken read_login_token(const FileSystem& files, const LoginTokenOrigin& origin) {
  std::optional<std::string> text;
  try {
    text = files.read(origin.path);
  } catch (const std::exception& e) {
    bad_file(origin, std::string("cannot be read: ") + e.what());
  }
  if (!text) {
    throw CredentialsError::invalid_configuration(
        kProvider, "profile `" + origin.profile + "` uses a console login session (login_session)" +
                       " but its cache file " + origin.path + " does not exist; run `aws login " +
                       "--profile " + origin.profile + "` to sign in");
  }
  LoginToken token = parse_login_token(*text, origin);
  wipe_string(*text);
  return token;
}

SecretString updated_login_token_document(const SecretString& document,
                                          const std::string& account_id,
                                          const LoginTokenRefresh& refresh,
                                          const LoginTokenOrigin& origin) {
  Poco::JSON::Object::Ptr root = parse_object(document.reveal(), origin);
  // botocore's token.update({...}): a fresh accessToken object with exactly these fields, in
  // this order; an existing key keeps its place, a missing one is added at the end.
  Poco::JSON::Object::Ptr access = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  access->set("accessKeyId", refresh.access_key_id);
  access->set("secretAccessKey", refresh.secret_access_key.reveal());
  access->set("sessionToken", refresh.session_token.reveal());
  access->set("accountId", account_id);
  access->set("expiresAt", format_expires_at(refresh.expires_at));
  root->set("accessToken", access);
  root->set("refreshToken", refresh.refresh_token.reveal());
  std::string out;
  append_object(out, *root);
  return SecretString(std::move(out));
}

void write_login_token_file(const LoginTokenOrigin& origin, const SecretString& contents) {
  try {
    detail::write_file_atomically(origin.path, contents.reveal());
  } catch (const std::system_error& e) {
    throw CredentialsError::provider_failure(
        kProvider, "cannot save the refreshed login session to " + origin.path + ": " + e.what() +
                       " (the file was left as it was; if the next refresh fails, run `aws login "
                       "--profile " +
                       origin.profile + "`)");
  }
}

}  // namespace awsauth::providers
