#include "args.hpp"

#include <gtest/gtest.h>

using namespace awsauth::cli;

namespace {

const std::vector<OptionSpec> kSpecs = {{"url"}, {"header", 'H', true, true}, {"s3", '\0', false}};

TEST(CliArgs, AcceptsSpaceAndEqualsFormsAndRepeatableShortFlags) {
  const auto p =
      parse_args({"--url", "u1", "-H", "a: 1", "-Hb: 2", "--header=c: 3", "--s3"}, kSpecs);
  EXPECT_EQ(p.value("url"), "u1");
  EXPECT_EQ(p.values("header"), (std::vector<std::string>{"a: 1", "b: 2", "c: 3"}));
  EXPECT_TRUE(p.has("s3"));
}

TEST(CliArgs, RejectsUnknownRepeatedMissingValueAndValuedSwitch) {
  EXPECT_THROW((void)parse_args({"--nope"}, kSpecs), UsageError);
  EXPECT_THROW((void)parse_args({"--url", "a", "--url=b"}, kSpecs), UsageError);
  EXPECT_THROW((void)parse_args({"--url"}, kSpecs), UsageError);
  EXPECT_THROW((void)parse_args({"--s3=yes"}, kSpecs), UsageError);
  EXPECT_THROW((void)parse_args({}, kSpecs).required("url"), UsageError);
}

TEST(CliArgs, ValuesStartingWithADashAreTakenAsValues) {
  EXPECT_EQ(parse_args({"--url", "-x"}, kSpecs).value("url"), "-x");
}

}  // namespace
