// Differential test: a table of ISO-8601 forms read by awsauth::parse_iso8601 and by botocore's
// parse_timestamp (iso8601_oracle.py, one Python process). Where both accept, the instants
// must be equal (to botocore's microseconds). Every form where they differ is listed here with
// the side that accepts it, and in docs/providers.md ("ISO-8601 timestamps"): the test fails
// when a listed difference disappears or an unlisted one appears.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "awsauth/credentials.hpp"
#include "paths.hpp"
#include "python_oracle.hpp"

namespace awsauth {
namespace {

enum class Expect {
  Same,          // both accept, same instant
  BothReject,    // neither accepts
  OnlyBotocore,  // botocore accepts (or reads a naive local time), awsauth rejects
  OnlyAwsauth,   // awsauth accepts, botocore rejects
};

struct Form {
  const char* text;
  Expect expect;
};

const std::vector<Form> kForms = {
    // Offsets: Z, +HH:MM, +HHMM, +HH (issue 14), either sign, any case of Z and T.
    {"2030-01-01T00:00:00Z", Expect::Same},
    {"2030-01-01t00:00:00z", Expect::Same},
    {"2030-01-01 00:00:00Z", Expect::Same},
    {"2030-01-01T00:00:00+00:00", Expect::Same},
    {"2030-01-01T00:00:00-00:00", Expect::Same},
    {"2030-01-01T00:00:00+0000", Expect::Same},
    {"2030-01-01T00:00:00+00", Expect::Same},
    {"2030-01-01T05:30:00+05:30", Expect::Same},
    {"2030-01-01T05:30:00+0530", Expect::Same},
    {"2029-12-31T19:00:00-05", Expect::Same},
    {"2029-12-31T19:00:00-0500", Expect::Same},
    {"2030-01-01T23:59:00+23:59", Expect::Same},
    {"2030-01-01T00:00:00-23:59", Expect::Same},
    // Fractions: 1 to 9 digits (botocore keeps microseconds).
    {"2030-01-01T00:00:00.5Z", Expect::Same},
    {"2030-01-01T00:00:00.25+00:00", Expect::Same},
    {"2030-01-01T00:00:00.123456Z", Expect::Same},
    {"2030-01-01T00:00:00.123456789+0000", Expect::Same},
    {"2030-01-01T02:00:00.001+02", Expect::Same},
    // What AWS services send.
    {"2024-02-29T23:59:59Z", Expect::Same},
    {"2019-11-29T21:59:53.000Z", Expect::Same},
    // Rejected by both.
    {"", Expect::BothReject},
    {"tomorrow", Expect::BothReject},
    {"2030-13-01T00:00:00Z", Expect::BothReject},
    {"2030-02-30T00:00:00Z", Expect::BothReject},
    {"2030-01-01T24:00:00Z", Expect::BothReject},
    {"2030-01-01T00:00:00.Z", Expect::BothReject},
    {"2030-01-01T00:00:00+053", Expect::BothReject},
    {"2030-01-01T00:00:00+24:00", Expect::BothReject},
    {"2030-01-01T00:00:00+99:59", Expect::BothReject},
    // Differences (docs/providers.md).
    {"2030-01-01T00:00:00", Expect::OnlyBotocore},         // no offset: botocore's local time
    {"2030-01-01T00:00:00.5", Expect::OnlyBotocore},       // same, with a fraction
    {"2030-01-01T00:00:00+5", Expect::OnlyBotocore},       // one-digit hour offset
    {"2030-01-01T00:00:00+05:60", Expect::OnlyBotocore},   // minute 60 of an offset
    {"2030-01-01T00:00:00 +00:00", Expect::OnlyBotocore},  // blank before the offset
    {"2030-01-01T00:00:00UTC", Expect::OnlyBotocore},      // zone names
    {"2030-01-01T00:00:00GMT", Expect::OnlyBotocore},
    {"20300101T000000Z", Expect::OnlyBotocore},     // ISO-8601 basic format
    {"2030-01-01T00:00Z", Expect::OnlyBotocore},    // no seconds
    {"2030-01-01", Expect::OnlyBotocore},           // a date alone (naive midnight)
    {"1893456000", Expect::OnlyBotocore},           // epoch seconds
    {"2030-01-01T00:00:60Z", Expect::OnlyAwsauth},  // a leap second (next minute)
};

// botocore's reading of every form, in order.
std::vector<Poco::JSON::Object::Ptr> run_oracle() {
  std::string input;
  for (const auto& f : kForms) input += std::string(f.text) + "\n";
  return test::run_json_lines_oracle("iso8601_oracle.py", "", input);
}

TEST(Iso8601Botocore, EveryFormIsReadAsBotocoreReadsItOrIsAListedDifference) {
  const auto oracle = run_oracle();
  ASSERT_EQ(oracle.size(), kForms.size());
  for (std::size_t i = 0; i < kForms.size(); ++i) {
    const Form& f = kForms[i];
    const std::string result = oracle[i]->getValue<std::string>("result");
    const auto ours = parse_iso8601(f.text);
    SCOPED_TRACE(std::string("'") + f.text + "': botocore " + result + ", awsauth " +
                 (ours ? format_iso8601(*ours) : "rejects"));
    switch (f.expect) {
      case Expect::Same: {
        ASSERT_EQ(result, "instant");
        ASSERT_TRUE(ours);
        const auto us = std::chrono::floor<std::chrono::microseconds>(ours->time_since_epoch());
        EXPECT_EQ(us.count(), oracle[i]->getValue<std::int64_t>("us"));
        break;
      }
      case Expect::BothReject:
        EXPECT_EQ(result, "error");
        EXPECT_FALSE(ours);
        break;
      case Expect::OnlyBotocore:
        EXPECT_NE(result, "error");
        EXPECT_FALSE(ours);
        break;
      case Expect::OnlyAwsauth:
        EXPECT_EQ(result, "error");
        EXPECT_TRUE(ours);
        break;
    }
  }
}

}  // namespace
}  // namespace awsauth
