// Strict, allocation-light parsing of HTTP/1.1 response heads and chunked bodies (RFC 9112).
#include "http_response_parser.hpp"

#include <algorithm>
#include <limits>

#include "awsauth/detail/ascii.hpp"

namespace awsauth::http_parse {

namespace {

bool is_token_char(unsigned char c) {
  // RFC 9110 section 5.6.2 tchar.
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// Field values and reason phrases: HTAB, SP, visible ASCII and obs-text; no other controls.
bool is_text_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::size_t> find_head_end(std::string_view buffer) {
  const std::size_t limit = std::min(buffer.size(), kMaxHeadBytes);
  for (std::size_t i = 0; i < limit; ++i) {
    if (buffer[i] != '\n') continue;
    if (i + 1 < limit && buffer[i + 1] == '\n') return i + 2;
    if (i + 2 < limit && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') return i + 3;
  }
  if (buffer.size() >= kMaxHeadBytes) {
    throw ParseError("response headers exceed " + std::to_string(kMaxHeadBytes) + " bytes");
  }
  return std::nullopt;
}

ResponseHead parse_response_head(std::string_view head) {
  ResponseHead out;
  std::size_t pos = 0;
  bool first = true;
  while (pos < head.size()) {
    const std::size_t lf = head.find('\n', pos);
    if (lf == std::string_view::npos) throw ParseError("response head does not end in a newline");
    std::string_view line = head.substr(pos, lf - pos);
    pos = lf + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) throw ParseError("stray CR in response head");

    if (first) {
      first = false;
      // HTTP-version SP 3DIGIT [SP reason-phrase]
      if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[7] < '0' || line[7] > '9' ||
          line[8] != ' ') {
        throw ParseError("malformed status line");
      }
      int status = 0;
      for (std::size_t i = 9; i < 12; ++i) {
        if (line[i] < '0' || line[i] > '9') throw ParseError("malformed status code");
        status = status * 10 + (line[i] - '0');
      }
      if (status < 100) throw ParseError("status code out of range");
      out.minor_version = line[7] - '0';
      if (line.size() > 12) {
        if (line[12] != ' ') throw ParseError("malformed status line");
        const std::string_view reason = line.substr(13);
        if (!std::all_of(reason.begin(), reason.end(),
                         [](char c) { return is_text_char(static_cast<unsigned char>(c)); })) {
          throw ParseError("control character in the reason phrase");
        }
        out.reason = std::string(reason);
      }
      out.status = status;
      continue;
    }
    if (line.empty()) {
      if (pos != head.size()) throw ParseError("data after the end of the response head");
      return out;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      throw ParseError("obsolete header line folding is not accepted");
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) throw ParseError("malformed header line");
    const std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(),
                     [](char c) { return is_token_char(static_cast<unsigned char>(c)); })) {
      throw ParseError("invalid character in a header name");
    }
    const std::string_view value = trim_ows(line.substr(colon + 1));
    if (!std::all_of(value.begin(), value.end(),
                     [](char c) { return is_text_char(static_cast<unsigned char>(c)); })) {
      // Name only: values may be secrets.
      throw ParseError("control character in the value of header '" + std::string(name) + "'");
    }
    if (out.headers.size() >= kMaxHeaderCount) {
      throw ParseError("more than " + std::to_string(kMaxHeaderCount) + " response headers");
    }
    out.headers.emplace_back(std::string(name), std::string(value));
  }
  throw ParseError(first ? "empty response head" : "response head is not terminated");
}

bool keeps_connection_open(const ResponseHead& head) {
  bool close = false;
  bool keep_alive = false;
  for (const auto& [name, value] : head.headers) {
    if (!detail::ascii_iequals(name, "Connection")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view option = trim_ows(rest.substr(0, comma));
      close = close || detail::ascii_iequals(option, "close");
      keep_alive = keep_alive || detail::ascii_iequals(option, "keep-alive");
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  if (close) return false;
  return head.minor_version >= 1 || keep_alive;
}

BodyFraming body_framing(const ResponseHead& head, std::string_view method) {
  using Kind = BodyFraming::Kind;
  if (method == "HEAD" || (head.status >= 100 && head.status < 200) || head.status == 204 ||
      head.status == 304) {
    return {.kind = Kind::None};
  }
  // Transfer-Encoding overrides Content-Length; a response whose last coding is not chunked is
  // delimited by the connection closing (RFC 9112 section 6.3).
  bool has_te = false;
  std::string_view last_coding;
  std::optional<std::uint64_t> length;
  for (const auto& [name, value] : head.headers) {
    if (detail::ascii_iequals(name, "Transfer-Encoding")) {
      has_te = true;
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const auto item = trim_ows(rest.substr(0, comma));
        if (!item.empty()) last_coding = item;
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
    } else if (detail::ascii_iequals(name, "Content-Length")) {
      std::string_view rest = value;
      do {
        const auto comma = rest.find(',');
        const auto item = trim_ows(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (item.empty() && value.empty()) break;  // an empty header carries no length
        if (item.empty()) throw ParseError("malformed Content-Length");
        std::uint64_t n = 0;
        for (char c : item) {
          if (c < '0' || c > '9') throw ParseError("malformed Content-Length");
          if (n > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) {
            throw ParseError("Content-Length out of range");
          }
          n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (length && *length != n) throw ParseError("conflicting Content-Length values");
        length = n;
      } while (!rest.empty());
    }
  }
  if (has_te) {
    return {.kind =
                detail::ascii_iequals(last_coding, "chunked") ? Kind::Chunked : Kind::UntilClose};
  }
  if (length) return {.kind = Kind::ContentLength, .length = *length};
  return {.kind = Kind::UntilClose};
}

std::size_t ChunkedDecoder::feed(std::string_view input, std::string& out) {
  std::size_t i = 0;
  const auto end_of_size_line = [this] {
    if (size_digits_ == 0) throw ParseError("chunk size missing");
    state_ = remaining_ == 0 ? State::TrailerLineStart : State::Data;
    trailer_bytes_ = 0;
  };
  while (i < input.size() && state_ != State::Done) {
    const auto c = static_cast<unsigned char>(input[i]);
    switch (state_) {
      case State::Size: {
        const int v = detail::ascii_hex_digit_value(c);
        if (v >= 0) {
          if (++size_digits_ > 15) throw ParseError("chunk size too large");
          remaining_ = remaining_ * 16 + static_cast<std::uint64_t>(v);
        } else if (c == ';' || c == ' ' || c == '\t') {
          if (size_digits_ == 0) throw ParseError("chunk size missing");
          state_ = State::Extension;
        } else if (c == '\r') {
          state_ = State::SizeLf;
        } else if (c == '\n') {
          end_of_size_line();
        } else {
          throw ParseError("malformed chunk size");
        }
        ++i;
        break;
      }
      case State::Extension:
        if (++trailer_bytes_ > kMaxHeadBytes) throw ParseError("chunk extension too long");
        if (c == '\r')
          state_ = State::SizeLf;
        else if (c == '\n')
          end_of_size_line();
        ++i;
        break;
      case State::SizeLf:
        if (c != '\n') throw ParseError("malformed chunk size line");
        end_of_size_line();
        ++i;
        break;
      case State::Data: {
        const auto take =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size() - i));
        out.append(input.data() + i, take);
        i += take;
        remaining_ -= take;
        if (remaining_ == 0) state_ = State::DataCr;
        break;
      }
      case State::DataCr:
        if (c == '\r')
          state_ = State::DataLf;
        else if (c == '\n')
          state_ = State::Size;
        else
          throw ParseError("chunk data longer than its declared size");
        size_digits_ = 0;
        ++i;
        break;
      case State::DataLf:
        if (c != '\n') throw ParseError("chunk data longer than its declared size");
        state_ = State::Size;
        ++i;
        break;
      case State::TrailerLineStart:
        if (c == '\r')
          state_ = State::FinalLf;
        else if (c == '\n')
          state_ = State::Done;
        else
          state_ = State::Trailer;
        if (++trailer_bytes_ > kMaxHeadBytes) throw ParseError("chunked trailers too long");
        ++i;
        break;
      case State::Trailer:
        if (++trailer_bytes_ > kMaxHeadBytes) throw ParseError("chunked trailers too long");
        if (c == '\n') state_ = State::TrailerLineStart;
        ++i;
        break;
      case State::FinalLf:
        if (c != '\n') throw ParseError("malformed end of chunked body");
        state_ = State::Done;
        ++i;
        break;
      case State::Done:
        break;
    }
  }
  return i;
}

}  // namespace awsauth::http_parse
