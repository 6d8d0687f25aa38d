#include "awsauth/credentials.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace awsauth {
namespace {

TEST(SecretString, PrintsRedactedNeverTheValue) {
  std::ostringstream out;
  out << SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(out.str(), "<redacted>");
}

TEST(SecretString, MovedFromIsEmptyAndTargetKeepsValue) {
  SecretString a("secret-value");
  SecretString b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the wipe is the point
  EXPECT_EQ(b.reveal(), "secret-value");
}

TEST(Credentials, StreamShowsKeyIdAndProviderButNoSecretOrToken) {
  const auto creds = make_credentials({.access_key_id = "AKIDEXAMPLE",
                                       .secret_access_key = SecretString("s3cr3t-material"),
                                       .session_token = SecretString("t0ken-material"),
                                       .provider_name = "env"});
  std::ostringstream out;
  out << *creds;
  EXPECT_NE(out.str().find("AKIDEXAMPLE"), std::string::npos);
  EXPECT_NE(out.str().find("env"), std::string::npos);
  EXPECT_EQ(out.str().find("s3cr3t"), std::string::npos);
  EXPECT_EQ(out.str().find("t0ken"), std::string::npos);
}

TEST(Iso8601, ParsesWithAndWithoutFractionAndOffsets) {
  const auto base = parse_iso8601("2024-01-01T00:00:00Z");
  ASSERT_TRUE(base);
  EXPECT_EQ(format_iso8601(*base), "2024-01-01T00:00:00Z");
  const auto frac = parse_iso8601("2024-01-01T00:00:00.250Z");
  ASSERT_TRUE(frac);
  EXPECT_EQ(*frac - *base, std::chrono::milliseconds(250));
  const auto offset = parse_iso8601("2024-01-01T01:00:00+01:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(*offset, *base);
}

TEST(Iso8601, RejectsMalformedText) {
  EXPECT_FALSE(parse_iso8601(""));
  EXPECT_FALSE(parse_iso8601("2024-01-01"));
  EXPECT_FALSE(parse_iso8601("2024-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2024-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2024-01-01T00:00:00"));
  EXPECT_FALSE(parse_iso8601("2024-01-01T00:00:00Zjunk"));
}

// Issue 14: `date -u +%FT%T%z` prints +0000; ISO-8601 also allows +HH. botocore takes all.
TEST(Iso8601, AcceptsEveryOffsetFormAndFractions) {
  const auto base = *parse_iso8601("2030-01-01T00:00:00Z");
  for (const char* same :
       {"2030-01-01T00:00:00z", "2030-01-01T00:00:00+00:00", "2030-01-01T00:00:00+0000",
        "2030-01-01T00:00:00+00", "2030-01-01T00:00:00-00", "2030-01-01T05:30:00+05:30",
        "2030-01-01T05:30:00+0530", "2030-01-01T05:00:00+05", "2029-12-31T19:00:00-05",
        "2029-12-31T14:01:00-0959", "2030-01-01 00:00:00Z"}) {
    const auto t = parse_iso8601(same);
    ASSERT_TRUE(t) << same;
    EXPECT_EQ(*t, base) << same;
  }
  const auto nanos = parse_iso8601("2030-01-01T00:00:00.123456789+0000");
  ASSERT_TRUE(nanos);
  EXPECT_EQ(*nanos - base, std::chrono::nanoseconds(123456789));
  const auto millis = parse_iso8601("2030-01-01T05:00:00.5+05");
  ASSERT_TRUE(millis);
  EXPECT_EQ(*millis - base, std::chrono::milliseconds(500));
}

TEST(Iso8601, RejectsMalformedOffsets) {
  for (const char* bad :
       {"2030-01-01T00:00:00+", "2030-01-01T00:00:00+0", "2030-01-01T00:00:00+000",
        "2030-01-01T00:00:00+00:0", "2030-01-01T00:00:00+00:", "2030-01-01T00:00:00+00000",
        "2030-01-01T00:00:00+24:00", "2030-01-01T00:00:00+0060", "2030-01-01T00:00:00+00:00Z",
        "2030-01-01T00:00:00.Z", "2030-01-01T00:00:00 +00:00"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

TEST(Iso8601, DescribesATimeWithoutOffsetAndOtherText) {
  EXPECT_EQ(describe_iso8601_error("2030-01-01T00:00:00"),
            "'2030-01-01T00:00:00' has no UTC offset; add one, e.g. 2030-01-01T00:00:00Z (or "
            "+HH:MM, +HHMM, +HH)");
  EXPECT_EQ(describe_iso8601_error("2030-01-01T00:00:00.5"),
            "'2030-01-01T00:00:00.5' has no UTC offset; add one, e.g. 2030-01-01T00:00:00.5Z (or "
            "+HH:MM, +HHMM, +HH)");
  EXPECT_EQ(describe_iso8601_error("tomorrow"),
            "'tomorrow' is not an ISO-8601 time such as 2030-01-01T00:00:00Z");
  EXPECT_EQ(describe_iso8601_error("a\nb"),
            "'a\\x0ab' is not an ISO-8601 time such as 2030-01-01T00:00:00Z");
}

TEST(Credentials, ExpiredAtComparesWithExpiration) {
  const auto when = *parse_iso8601("2024-01-01T00:00:00Z");
  const Credentials c(
      {.access_key_id = "AKID", .secret_access_key = SecretString("s"), .expiration = when});
  EXPECT_FALSE(c.expired_at(when - std::chrono::seconds(1)));
  EXPECT_TRUE(c.expired_at(when));
  const Credentials forever({.access_key_id = "AKID", .secret_access_key = SecretString("s")});
  EXPECT_FALSE(forever.expired_at(when));
}

}  // namespace
}  // namespace awsauth

// Regression (fuzz_iso8601): a year outside what system_clock's 64-bit nanoseconds can hold
// overflowed while converting; it is now simply not a timestamp.
namespace awsauth {
namespace {
TEST(Iso8601, YearsSystemClockCannotHoldAreRejectedNotOverflowed) {
  EXPECT_FALSE(parse_iso8601("0132-01-01T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("1600-01-01T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("8567-01-01T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("9999-12-31T23:59:59Z"));
  ASSERT_TRUE(parse_iso8601("1678-01-01T00:00:00-23:59"));
  ASSERT_TRUE(parse_iso8601("2261-12-31T23:59:59+23:59"));
  EXPECT_EQ(format_iso8601(*parse_iso8601("2261-12-31T23:59:59Z")), "2261-12-31T23:59:59Z");
  // The edges are the instants system_clock holds, in whole seconds, whatever the offset: a
  // time that crosses into 2262 with its offset formats to a text that parses again.
  EXPECT_EQ(format_iso8601(*parse_iso8601("2261-12-31T23:59:59-00:01")), "2262-01-01T00:00:59Z");
  EXPECT_TRUE(parse_iso8601("2262-01-01T00:00:59Z"));
  EXPECT_TRUE(parse_iso8601("1677-09-21T00:12:44Z"));
  EXPECT_FALSE(parse_iso8601("1677-09-21T00:12:43.9Z"));
  EXPECT_TRUE(parse_iso8601("2262-04-11T23:47:15.9Z"));
  EXPECT_FALSE(parse_iso8601("2262-04-11T23:47:16Z"));
}
}  // namespace
}  // namespace awsauth
