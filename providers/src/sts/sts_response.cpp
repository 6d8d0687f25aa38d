#include "awsauth/providers/detail/sts_response.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/Node.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>
#include <Poco/SAX/SAXException.h>

#include <initializer_list>

#include "awsauth/printable.hpp"
#include "credential_text.hpp"

namespace awsauth::providers {
namespace {

using Poco::AutoPtr;
using Poco::XML::Document;
using Poco::XML::Node;

AutoPtr<Document> parse(std::string_view xml) {
  Poco::XML::DOMParser parser;
  // Never resolve external entities or DTDs from an answer (XXE).
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  try {
    return parser.parseMemory(xml.data(), xml.size());
  } catch (const Poco::Exception& e) {
    throw StsParseError("STS answer is not well-formed XML: " + printable(e.message(), 200));
  }
}

// Child element by local name (STS answers carry a default namespace).
Node* child(Node* parent, std::string_view local) {
  if (parent == nullptr) return nullptr;
  for (Node* n = parent->firstChild(); n != nullptr; n = n->nextSibling()) {
    if (n->nodeType() == Node::ELEMENT_NODE && n->localName() == local) return n;
  }
  return nullptr;
}

Node* path(Node* start, std::initializer_list<std::string_view> names) {
  Node* n = start;
  for (auto name : names) n = child(n, name);
  return n;
}

Node* root(const AutoPtr<Document>& doc) { return doc->documentElement(); }

std::string text_at(Node* start, std::initializer_list<std::string_view> names,
                    std::string_view what) {
  Node* n = path(start, names);
  if (n == nullptr) throw StsParseError("STS answer has no " + std::string(what));
  return n->innerText();
}

}  // namespace

std::optional<std::string> account_id_from_arn(std::string_view arn) {
  // arn:partition:service:region:account:resource
  std::size_t pos = 0;
  for (int field = 0; field < 4; ++field) {
    pos = arn.find(':', pos);
    if (pos == std::string_view::npos) return std::nullopt;
    ++pos;
  }
  if (arn.substr(0, 4) != "arn:") return std::nullopt;
  auto end = arn.find(':', pos);
  if (end == std::string_view::npos || end == pos) return std::nullopt;
  return std::string(arn.substr(pos, end - pos));
}

StsCredentialsResult parse_sts_credentials(std::string_view xml) {
  auto doc = parse(xml);
  Node* top = root(doc);
  if (top == nullptr) throw StsParseError("STS answer is empty");
  const std::string& name = top->localName();
  if (name.size() <= 8 || !name.ends_with("Response")) {
    throw StsParseError("STS answer's root element is <" + printable(name, 64) +
                        ">, not an AssumeRole response");
  }
  const std::string result_name = name.substr(0, name.size() - 8) + "Result";
  Node* result = child(top, result_name);
  if (result == nullptr) throw StsParseError("STS answer has no <" + result_name + ">");
  Node* creds = child(result, "Credentials");
  if (creds == nullptr) throw StsParseError("STS answer has no <Credentials>");

  StsCredentialsResult out;
  out.access_key_id = text_at(creds, {"AccessKeyId"}, "Credentials/AccessKeyId");
  out.secret_access_key =
      SecretString(text_at(creds, {"SecretAccessKey"}, "Credentials/SecretAccessKey"));
  out.session_token = SecretString(text_at(creds, {"SessionToken"}, "Credentials/SessionToken"));
  const std::string expiration = text_at(creds, {"Expiration"}, "Credentials/Expiration");
  auto when = parse_iso8601(expiration);
  if (!when) {
    throw StsParseError("STS answer's Expiration " + describe_iso8601_error(expiration));
  }
  out.expiration = *when;
  if (out.access_key_id.empty() || out.secret_access_key.empty() || out.session_token.empty()) {
    throw StsParseError("STS answer has an empty access key, secret or session token");
  }
  if (const std::string unsendable =
          detail::unsendable_credential_fields({{"AccessKeyId", out.access_key_id},
                                                {"SecretAccessKey", out.secret_access_key.reveal()},
                                                {"SessionToken", out.session_token.reveal()}});
      !unsendable.empty()) {
    throw StsParseError("STS answer's Credentials: " + unsendable);
  }
  if (Node* arn = path(result, {"AssumedRoleUser", "Arn"})) {
    out.assumed_role_arn = arn->innerText();
    out.account_id = account_id_from_arn(out.assumed_role_arn);
  }
  return out;
}

std::optional<StsErrorBody> parse_sts_error(std::string_view xml) {
  try {
    auto doc = parse(xml);
    Node* top = root(doc);
    // STS answers <ErrorResponse><Error>; some STS-compatible servers (moto for auth
    // failures) answer <ErrorResponse><Errors><Error> or <Response><Errors><Error>.
    if (top == nullptr || (top->localName() != "ErrorResponse" && top->localName() != "Response")) {
      return std::nullopt;
    }
    Node* error = child(top, "Error");
    if (error == nullptr) error = path(top, {"Errors", "Error"});
    if (error == nullptr) return std::nullopt;
    StsErrorBody body;
    if (Node* code = child(error, "Code")) body.code = code->innerText();
    if (Node* message = child(error, "Message")) body.message = message->innerText();
    if (body.code.empty()) return std::nullopt;
    return body;
  } catch (const StsParseError&) {
    return std::nullopt;
  }
}

std::string parse_caller_identity_arn(std::string_view xml) {
  auto doc = parse(xml);
  return text_at(root(doc), {"GetCallerIdentityResult", "Arn"}, "GetCallerIdentityResult/Arn");
}

}  // namespace awsauth::providers
