// The AssumeRole cache key: botocore's sha1-of-sorted-JSON, plus the source access key id.

#include "awsauth/providers/sts/assume_role_cache.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA1Engine.h>

#include <map>
#include <stdexcept>

#include "awsauth/detail/json.hpp"

namespace awsauth::providers {
namespace {

// Strings are quoted the way Python's json.dumps does by default (ensure_ascii=True): the
// canonical form botocore hashes, so equal arguments give equal keys in both.
void append_json_string(std::string& out, std::string_view s) {
  awsauth::detail::append_json_string(out, s, awsauth::detail::JsonEscaping::PythonAscii);
}

// Serialises a parsed JSON value with sorted keys and Python's separators (", " and ": ").
void append_json_value(std::string& out, const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) {
    out += "null";
  } else if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    const auto& obj = v.extract<Poco::JSON::Object::Ptr>();
    std::map<std::string, Poco::Dynamic::Var> sorted;
    for (const auto& [name, value] : *obj) {
      sorted.emplace(name, value);
    }
    out += '{';
    bool first = true;
    for (const auto& [name, value] : sorted) {
      if (!first) out += ", ";
      first = false;
      append_json_string(out, name);
      out += ": ";
      append_json_value(out, value);
    }
    out += '}';
  } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    const auto& arr = v.extract<Poco::JSON::Array::Ptr>();
    out += '[';
    for (std::size_t i = 0; i < arr->size(); ++i) {
      if (i > 0) out += ", ";
      append_json_value(out, arr->get(static_cast<unsigned>(i)));
    }
    out += ']';
  } else if (v.isBoolean()) {
    out += v.extract<bool>() ? "true" : "false";
  } else if (v.isString()) {
    append_json_string(out, v.extract<std::string>());
  } else {
    out += v.convert<std::string>();  // numbers
  }
}

}  // namespace

std::string make_assume_role_cache_key(const AssumeRoleCacheKey& key) {
  // std::map keeps the members in the sorted order json.dumps(sort_keys=True) writes.
  std::map<std::string, std::string> members;  // name -> serialised value
  auto put_string = [&](const char* name, const std::string& value) {
    std::string v;
    append_json_string(v, value);
    members[name] = std::move(v);
  };
  put_string("RoleArn", key.role_arn);
  if (key.role_session_name) put_string("RoleSessionName", *key.role_session_name);
  if (key.external_id) put_string("ExternalId", *key.external_id);
  if (key.mfa_serial) put_string("SerialNumber", *key.mfa_serial);
  if (key.duration_seconds) members["DurationSeconds"] = std::to_string(*key.duration_seconds);
  if (key.policy) {
    Poco::Dynamic::Var parsed;
    try {
      parsed = Poco::JSON::Parser().parse(*key.policy);
    } catch (const std::exception&) {
      throw std::invalid_argument("the session policy is not valid JSON");
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      throw std::invalid_argument("the session policy is not a JSON object");
    }
    std::string v;
    append_json_value(v, parsed);
    members["Policy"] = std::move(v);
  }
  if (!key.policy_arns.empty()) {
    // STS takes PolicyArns as [{"arn": ...}], and botocore hashes them in that shape.
    std::string v = "[";
    for (std::size_t i = 0; i < key.policy_arns.size(); ++i) {
      if (i > 0) v += ", ";
      v += "{\"arn\": ";
      append_json_string(v, key.policy_arns[i]);
      v += '}';
    }
    v += ']';
    members["PolicyArns"] = std::move(v);
  }
  put_string("SourceAccessKeyId", key.source_access_key_id);

  std::string json = "{";
  bool first = true;
  for (const auto& [name, value] : members) {
    if (!first) json += ", ";
    first = false;
    append_json_string(json, name);
    json += ": ";
    json += value;
  }
  json += '}';

  Poco::SHA1Engine sha1;
  sha1.update(json);
  return Poco::DigestEngine::digestToHex(sha1.digest());
}

}  // namespace awsauth::providers
