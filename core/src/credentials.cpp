#include "awsauth/credentials.hpp"

#include <charconv>
#include <ctime>
#include <ostream>

#include "awsauth/printable.hpp"

namespace awsauth {

Credentials::Credentials(CredentialsInit init) : f_(std::move(init)) {}

CredentialsPtr make_credentials(CredentialsInit init) {
  return std::make_shared<const Credentials>(std::move(init));
}

std::ostream& operator<<(std::ostream& out, const Credentials& c) {
  out << "Credentials{access_key_id=" << c.access_key_id()
      << ", secret_access_key=" << c.secret_access_key() << ", session_token=" << c.session_token();
  if (c.expiration()) {
    out << ", expiration=" << format_iso8601(*c.expiration());
  }
  if (c.account_id()) {
    out << ", account_id=" << *c.account_id();
  }
  return out << ", provider=" << c.provider_name() << "}";
}

std::string format_iso8601(TimePoint t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const std::time_t tt = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) {
    return false;
  }
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  const auto* first = text.data() + pos;
  return std::from_chars(first, first + len, out).ec == std::errc{};
}

}  // namespace

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || !read_int(text, 0, 4, year) || text[4] != '-' ||
      !read_int(text, 5, 2, month) || text[7] != '-' || !read_int(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !read_int(text, 11, 2, hour) ||
      text[13] != ':' || !read_int(text, 14, 2, minute) || text[16] != ':' ||
      !read_int(text, 17, 2, second)) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  std::chrono::nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    std::int64_t scale = 100'000'000;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) {
      return std::nullopt;
    }
  }
  // The offset: Z, +HH:MM, +HHMM or +HH (ISO-8601's three numeric forms; `date +%FT%T%z`
  // prints +HHMM). botocore (dateutil) accepts all of them.
  std::chrono::minutes offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    const bool neg = text[pos] == '-';
    if (!read_int(text, pos + 1, 2, oh)) {
      return std::nullopt;
    }
    pos += 3;
    if (pos < text.size() && text[pos] == ':') {
      if (!read_int(text, pos + 1, 2, om)) {
        return std::nullopt;
      }
      pos += 3;
    } else if (pos < text.size()) {
      if (!read_int(text, pos, 2, om)) {
        return std::nullopt;
      }
      pos += 2;
    }
    if (oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = std::chrono::minutes(oh * 60 + om) * (neg ? -1 : 1);
  } else {
    return std::nullopt;
  }
  // system_clock counts nanoseconds in 64 bits: only about 1677-09-21 to 2262-04-11 fits, and
  // converting an instant outside it overflows (undefined behaviour, found by fuzz_iso8601).
  // The years around that range are filtered first, then the instant itself is checked in
  // whole seconds (64-bit, no overflow), so that it and its whole second both fit: what
  // format_iso8601 prints for it parses again (fuzz_iso8601's property).
  if (year < 1677 || year > 2262) {
    return std::nullopt;
  }
  if (pos != text.size() || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(year),
                                        std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  const std::chrono::seconds whole = std::chrono::sys_days(ymd).time_since_epoch() +
                                     std::chrono::hours(hour) + std::chrono::minutes(minute) +
                                     std::chrono::seconds(second) - offset;
  constexpr auto kFirst = std::chrono::ceil<std::chrono::seconds>(TimePoint::duration::min());
  constexpr auto kLast = std::chrono::floor<std::chrono::seconds>(TimePoint::duration::max()) -
                         std::chrono::seconds(1);
  if (whole < kFirst || whole > kLast) {
    return std::nullopt;
  }
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(whole) +
                   std::chrono::duration_cast<TimePoint::duration>(fraction));
}

}  // namespace awsauth

namespace awsauth {

std::string describe_iso8601_error(std::string_view text) {
  // Appends, not `"'" + printable(...)`: GCC 12 -O2 warns -Wrestrict on that (PR105651).
  std::string shown(1, '\'');
  shown.append(printable(text, 64)).append(1, '\'');
  if (parse_iso8601(text)) return shown + " is a valid ISO-8601 time";
  // A date and time that would parse with a Z appended: only the offset is missing.
  std::string with_z(text);
  with_z += 'Z';
  if (parse_iso8601(with_z)) {
    return shown + " has no UTC offset; add one, e.g. " + std::string(text) +
           "Z (or +HH:MM, +HHMM, +HH)";
  }
  return shown + " is not an ISO-8601 time such as 2030-01-01T00:00:00Z";
}

}  // namespace awsauth
