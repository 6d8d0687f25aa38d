// The x-amz-date format, YYYYMMDDTHHMMSSZ, written and read with integer arithmetic: no gmtime,
// no locale, no lock, no allocation.

#include "amz_date.hpp"

#include <charconv>
#include <cstdint>

#include "awsauth/signer/signer.hpp"

namespace awsauth::signer {
namespace {

// Days since 1970-01-01 -> civil date (H. Hinnant's algorithm): no gmtime, no locale, no lock.
void civil_from_days(long long z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

long long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void put_digits(char* p, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

namespace dates {

void write_amz_date(TimePoint time, char (&out)[kAmzDateSize]) {
  const auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  long long days = secs / 86400;
  long long rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  civil_from_days(days, y, m, d);
  char* p = out;
  put_digits(p, static_cast<unsigned>(y), 4);
  put_digits(p + 4, m, 2);
  put_digits(p + 6, d, 2);
  p[8] = 'T';
  put_digits(p + 9, static_cast<unsigned>(rem / 3600), 2);
  put_digits(p + 11, static_cast<unsigned>(rem % 3600 / 60), 2);
  put_digits(p + 13, static_cast<unsigned>(rem % 60), 2);
  p[15] = 'Z';
}

}  // namespace dates

std::string format_amz_date(TimePoint time) {
  char text[dates::kAmzDateSize];
  dates::write_amz_date(time, text);
  return std::string(text, sizeof text);
}

std::optional<TimePoint> parse_amz_date(std::string_view t) {
  if (t.size() != 16 || t[8] != 'T' || t[15] != 'Z') {
    return std::nullopt;
  }
  auto num = [&](std::size_t at, std::size_t len, unsigned& v) {
    auto [end, ec] = std::from_chars(t.data() + at, t.data() + at + len, v);
    return ec == std::errc() && end == t.data() + at + len;
  };
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!num(0, 4, y) || !num(4, 2, mo) || !num(6, 2, d) || !num(9, 2, h) || !num(11, 2, mi) ||
      !num(13, 2, s)) {
    return std::nullopt;
  }
  // TimePoint counts nanoseconds in 64 bits (about 1677 to 2262); a year outside would overflow
  // the conversion (undefined behaviour, found by fuzz_iso8601).
  if (y < 1678 || y > 2261) {
    return std::nullopt;
  }
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) {
    return std::nullopt;
  }
  const auto days = days_from_civil(static_cast<int>(y), mo, d);
  const auto seconds = static_cast<std::int64_t>(days) * 86400 + std::int64_t{h} * 3600 +
                       std::int64_t{mi} * 60 + std::int64_t{s};
  return TimePoint(std::chrono::seconds(seconds));
}

}  // namespace awsauth::signer
