#include "metadata/credentials_document.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "awsauth/printable.hpp"
#include "credential_text.hpp"

namespace awsauth::providers::detail {

namespace {

std::optional<std::string> string_field(const Poco::JSON::Object& object, const char* name) {
  if (!object.has(name)) return std::nullopt;
  const Poco::Dynamic::Var value = object.get(name);
  if (value.isEmpty() || !value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

}  // namespace

CredentialsDocument parse_credentials_document(std::string_view body) {
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var root = parser.parse(std::string(body));
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
      throw UnreadableDocument("the response is JSON but not an object");
    }
    object = root.extract<Poco::JSON::Object::Ptr>();
  } catch (const UnreadableDocument&) {
    throw;
  } catch (const Poco::Exception&) {
    // Poco's message may quote the body; ours never does.
    throw UnreadableDocument("the response is not valid JSON");
  } catch (const std::exception&) {
    throw UnreadableDocument("the response is not valid JSON");
  }
  CredentialsDocument doc;
  doc.access_key_id = string_field(*object, "AccessKeyId");
  if (auto secret = string_field(*object, "SecretAccessKey")) {
    doc.secret_access_key = SecretString(std::move(*secret));
  }
  if (auto token = string_field(*object, "Token")) doc.token = SecretString(std::move(*token));
  doc.expiration = string_field(*object, "Expiration");
  doc.account_id = string_field(*object, "AccountId");
  doc.code = string_field(*object, "Code");
  doc.message = string_field(*object, "Message");
  return doc;
}

std::string missing_required_fields(const CredentialsDocument& doc) {
  std::string missing;
  auto note = [&missing](bool present, const char* name) {
    if (present) return;
    if (!missing.empty()) missing += ", ";
    missing += name;
  };
  note(doc.access_key_id && !doc.access_key_id->empty(), "AccessKeyId");
  note(doc.secret_access_key && !doc.secret_access_key->empty(), "SecretAccessKey");
  note(doc.token && !doc.token->empty(), "Token");
  note(doc.expiration.has_value(), "Expiration");
  return missing;
}

CredentialsPtr to_credentials(const CredentialsDocument& doc, std::string_view provider_name) {
  const std::string unsendable = unsendable_credential_fields(
      {{"AccessKeyId", doc.access_key_id.value_or("")},
       {"SecretAccessKey", doc.secret_access_key ? doc.secret_access_key->reveal() : ""},
       {"Token", doc.token ? doc.token->reveal() : ""}});
  if (!unsendable.empty()) throw UnreadableDocument(unsendable);
  const auto expiration = parse_iso8601(doc.expiration.value_or(""));
  if (!expiration) {
    throw UnreadableDocument("its Expiration " +
                             describe_iso8601_error(doc.expiration.value_or("")));
  }
  std::optional<std::string> account_id;
  if (doc.account_id && !doc.account_id->empty()) account_id = doc.account_id;
  return make_credentials({
      .access_key_id = doc.access_key_id.value_or(""),
      .secret_access_key = doc.secret_access_key.value_or(SecretString()),
      .session_token = doc.token.value_or(SecretString()),
      .expiration = expiration,
      .provider_name = std::string(provider_name),
      .account_id = std::move(account_id),
  });
}

}  // namespace awsauth::providers::detail
