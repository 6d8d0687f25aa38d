// The AWS CLI's JSON cache files: a flat object whose members round-trip as written, and the
// atomic owner-only writer (files/atomic_file.cpp).
#include "awsauth/providers/sso/json_cache_file.hpp"

#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <system_error>

#include "awsauth/detail/json.hpp"
#include "files/atomic_file.hpp"

namespace awsauth::providers {
namespace {

// A strict RFC 8259 scanner over one buffer. It validates every value and reports where each
// top-level member's value starts and ends, decoding only member names and string values.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument(what + " at byte " + std::to_string(pos_));
  }

  void skip_whitespace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }
  [[nodiscard]] std::size_t pos() const { return pos_; }
  void expect(char c, const char* what) {
    if (peek() != c) fail(std::string("expected ") + what);
    ++pos_;
  }

  // A string literal starting at '"'; returns its decoded UTF-8 bytes.
  std::string string_literal() {
    expect('"', "a string");
    std::string out;
    while (true) {
      if (at_end()) fail("unterminated string");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) fail("control character in a string");
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      ++pos_;
      if (at_end()) fail("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          std::uint32_t cp = hex4();
          // A surrogate pair is one code point; a lone surrogate is kept as Python keeps it.
          if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
            const std::size_t save = pos_;
            pos_ += 2;
            const std::uint32_t low = hex4();
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = save;
            }
          }
          append_utf8(out, cp);
          break;
        }
        default:
          --pos_;
          fail("invalid escape in a string");
      }
    }
  }

  // Any JSON value; only checked.
  void value(int depth) {
    if (depth > 64) fail("nesting too deep");
    skip_whitespace();
    switch (peek()) {
      case '"':
        (void)string_literal();
        return;
      case '{': {
        ++pos_;
        skip_whitespace();
        if (peek() == '}') {
          ++pos_;
          return;
        }
        while (true) {
          skip_whitespace();
          (void)string_literal();
          skip_whitespace();
          expect(':', "':'");
          value(depth + 1);
          skip_whitespace();
          if (peek() == ',') {
            ++pos_;
            continue;
          }
          expect('}', "',' or '}'");
          return;
        }
      }
      case '[': {
        ++pos_;
        skip_whitespace();
        if (peek() == ']') {
          ++pos_;
          return;
        }
        while (true) {
          value(depth + 1);
          skip_whitespace();
          if (peek() == ',') {
            ++pos_;
            continue;
          }
          expect(']', "',' or ']'");
          return;
        }
      }
      case 't':
        word("true");
        return;
      case 'f':
        word("false");
        return;
      case 'n':
        word("null");
        return;
      default:
        number();
        return;
    }
  }

 private:
  std::uint32_t hex4() {
    if (pos_ + 4 > text_.size()) fail("short \\u escape");
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        v |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        v |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        fail("invalid \\u escape");
      }
    }
    return v;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  void word(std::string_view w) {
    if (text_.substr(pos_, w.size()) != w) fail("invalid literal");
    pos_ += w.size();
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  void number() {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (digit(peek())) {
      while (digit(peek())) ++pos_;
    } else {
      pos_ = start;
      fail("expected a JSON value");
    }
    if (peek() == '.') {
      ++pos_;
      if (!digit(peek())) fail("invalid number");
      while (digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digit(peek())) fail("invalid number");
      while (digit(peek())) ++pos_;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

JsonCacheDocument JsonCacheDocument::parse(std::string_view text) {
  Scanner s(text);
  JsonCacheDocument doc;
  s.skip_whitespace();
  if (s.peek() != '{') s.fail("expected a JSON object");
  s.expect('{', "'{'");
  s.skip_whitespace();
  if (s.peek() == '}') {
    s.expect('}', "'}'");
  } else {
    while (true) {
      s.skip_whitespace();
      const std::size_t key_start = s.pos();
      std::string key = s.string_literal();
      std::string key_json(text.substr(key_start, s.pos() - key_start));
      s.skip_whitespace();
      s.expect(':', "':'");
      s.skip_whitespace();
      const std::size_t start = s.pos();
      s.value(1);
      std::string raw(text.substr(start, s.pos() - start));
      doc.erase(key);  // the last of duplicate names wins, as in Python
      doc.members_.push_back({std::move(key), std::move(key_json), SecretString(std::move(raw))});
      s.skip_whitespace();
      if (s.peek() == ',') {
        s.expect(',', "','");
        continue;
      }
      s.expect('}', "',' or '}'");
      break;
    }
  }
  s.skip_whitespace();
  if (!s.at_end()) s.fail("extra data after the JSON object");
  return doc;
}

bool JsonCacheDocument::has(std::string_view key) const noexcept {
  for (const auto& m : members_) {
    if (m.key == key) return true;
  }
  return false;
}

std::optional<std::string> JsonCacheDocument::raw(std::string_view key) const {
  for (const auto& m : members_) {
    if (m.key == key) return m.value.reveal();
  }
  return std::nullopt;
}

std::optional<std::string> JsonCacheDocument::string(std::string_view key) const {
  for (const auto& m : members_) {
    if (m.key != key) continue;
    const std::string& json = m.value.reveal();
    if (json.empty() || json.front() != '"') {
      throw std::invalid_argument("\"" + std::string(key) + "\" is not a string");
    }
    Scanner s(json);
    return s.string_literal();
  }
  return std::nullopt;
}

std::optional<std::int64_t> JsonCacheDocument::integer(std::string_view key) const {
  for (const auto& m : members_) {
    if (m.key != key) continue;
    const std::string& json = m.value.reveal();
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(json.data(), json.data() + json.size(), v);
    if (ec != std::errc() || end != json.data() + json.size()) {
      throw std::invalid_argument("\"" + std::string(key) + "\" is not a whole number");
    }
    return v;
  }
  return std::nullopt;
}

void JsonCacheDocument::set_raw(std::string_view key, std::string_view json) {
  Scanner s(json);
  s.value(1);
  s.skip_whitespace();
  if (!s.at_end()) s.fail("extra data after the JSON value");
  for (auto& m : members_) {
    if (m.key == key) {
      m.value = SecretString(std::string(json));
      return;
    }
  }
  members_.push_back({std::string(key),
                      awsauth::detail::json_string(key, awsauth::detail::JsonEscaping::PythonAscii),
                      SecretString(std::string(json))});
}

void JsonCacheDocument::set_string(std::string_view key, std::string_view value) {
  std::string json =
      awsauth::detail::json_string(value, awsauth::detail::JsonEscaping::PythonAscii);
  set_raw(key, json);
  wipe_string(json);
}

void JsonCacheDocument::set_integer(std::string_view key, std::int64_t value) {
  set_raw(key, std::to_string(value));
}

void JsonCacheDocument::erase(std::string_view key) {
  for (auto it = members_.begin(); it != members_.end(); ++it) {
    if (it->key == key) {
      members_.erase(it);
      return;
    }
  }
}

std::vector<std::string> JsonCacheDocument::keys() const {
  std::vector<std::string> out;
  out.reserve(members_.size());
  for (const auto& m : members_) out.push_back(m.key);
  return out;
}

std::string JsonCacheDocument::serialize() const {
  std::string out = "{";
  bool first = true;
  for (const auto& m : members_) {
    if (!first) out += ", ";
    first = false;
    out += m.key_json;
    out += ": ";
    out += m.value.reveal();
  }
  out += "}";
  return out;
}

void write_cache_file_atomically(const std::string& path, std::string_view contents) {
  detail::write_file_atomically(path, contents);
}

void write_json_cache_file(const std::string& path, const JsonCacheDocument& document) {
  std::string text = document.serialize();
  try {
    write_cache_file_atomically(path, text);
  } catch (...) {
    wipe_string(text);
    throw;
  }
  wipe_string(text);
}

}  // namespace awsauth::providers
