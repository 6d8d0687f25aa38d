// The AssumeRole cache key: botocore's sha1-of-sorted-JSON, plus the source access key id.

#include "awsauth/providers/sts/assume_role_cache.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA1Engine.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace awsauth::providers {
namespace {

void append_u_escape(std::string& out, unsigned unit) {
  char buf[16];  // room for any unsigned, though units are < 0x10000
  std::snprintf(buf, sizeof buf, "\\u%04x", unit);
  out += buf;
}

// Quotes a string the way Python's json.dumps does by default (ensure_ascii=True): the
// canonical form botocore hashes, so equal arguments give equal keys in both.
void append_json_string(std::string& out, const std::string& s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20) {
            append_u_escape(out, c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence; invalid bytes are escaped one by one as Latin-1.
    int len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 0;
    std::uint32_t cp = (len == 4) ? (c & 0x07u) : (len == 3) ? (c & 0x0Fu) : (c & 0x1Fu);
    bool ok = len > 0 && i + static_cast<std::size_t>(len) <= s.size();
    for (int k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      ok = (cc & 0xC0u) == 0x80u;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (!ok) {
      append_u_escape(out, c);
      ++i;
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      append_u_escape(out, 0xD800u + (cp >> 10));
      append_u_escape(out, 0xDC00u + (cp & 0x3FFu));
    } else {
      append_u_escape(out, cp);
    }
    i += static_cast<std::size_t>(len);
  }
  out += '"';
}

// Serialises a parsed JSON value with sorted keys and Python's separators (", " and ": ").
void append_json_value(std::string& out, const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) {
    out += "null";
  } else if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    const auto obj = v.extract<Poco::JSON::Object::Ptr>();
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
    const auto arr = v.extract<Poco::JSON::Array::Ptr>();
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
