// Service error extraction for `awsauth curl` (exit code 3 reports it on stderr).

#include "service_error.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string_view>

namespace awsauth::cli {
namespace {

// The text of the first <tag>...</tag>, entity-decoded for the five XML entities. The error
// documents are flat and small, so a scan is enough and never throws on a malformed body.
std::optional<std::string> xml_element(std::string_view xml, std::string_view tag) {
  std::string open(1, '<');
  open.append(tag).push_back('>');
  std::string close("</");
  close.append(tag).push_back('>');
  const auto b = xml.find(open);
  if (b == std::string_view::npos) return std::nullopt;
  const auto start = b + open.size();
  const auto e = xml.find(close, start);
  if (e == std::string_view::npos) return std::nullopt;
  std::string out;
  const std::string_view raw = xml.substr(start, e - start);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
      bool done = false;
      for (const auto& [name, ch] : kEntities) {
        if (raw.substr(i, name.size()) == name) {
          out += ch;
          i += name.size() - 1;
          done = true;
          break;
        }
      }
      if (done) continue;
    }
    out += raw[i];
  }
  return out;
}

// JSON protocols prefix the code with a namespace ("com.amazon.coral.service#ExpiredToken")
// and x-amzn-ErrorType adds ":http://..." detail; botocore keeps the part in between.
std::string clean_code(std::string code) {
  if (const auto colon = code.find(':'); colon != std::string::npos) code.resize(colon);
  if (const auto hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
  return code;
}

}  // namespace

std::optional<ServiceError> parse_service_error(const HttpResponse& response) {
  const std::string_view body = response.body;
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '<') {
    if (auto code = xml_element(body, "Code")) {
      return ServiceError{*code, xml_element(body, "Message").value_or("")};
    }
  }
  ServiceError err;
  if (first != std::string_view::npos && body[first] == '{') {
    try {
      const auto obj =
          Poco::JSON::Parser().parse(std::string(body)).extract<Poco::JSON::Object::Ptr>();
      for (const char* k : {"__type", "code", "Code"}) {
        if (obj->has(k) && obj->get(k).isString()) {
          err.code = clean_code(obj->getValue<std::string>(k));
          break;
        }
      }
      for (const char* k : {"message", "Message", "errorMessage"}) {
        if (obj->has(k) && obj->get(k).isString()) {
          err.message = obj->getValue<std::string>(k);
          break;
        }
      }
    } catch (...) {  // not JSON after all: fall through to the header
    }
  }
  if (err.code.empty()) {
    if (const auto* h = find_header(response.headers, "x-amzn-ErrorType")) {
      err.code = clean_code(*h);
    }
  }
  if (err.code.empty()) return std::nullopt;
  return err;
}

}  // namespace awsauth::cli
