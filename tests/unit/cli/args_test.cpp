#include "args.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace awsauth::cli;

namespace {

const std::vector<OptionSpec> kSpecs = {
    {.name = "url", .value_name = "URL"},
    {.name = "header", .short_name = 'H', .repeatable = true, .value_name = "'Name: value'"},
    {.name = "s3", .takes_value = false},
    {.name = "request", .short_name = 'X', .value_name = "METHOD"},
    {.name = "verbose", .short_name = 'v', .takes_value = false},
    {.name = "format", .value_name = "F", .choices = {"json", "env"}},
    {.name = "unsigned-payload", .takes_value = false}};

TEST(CliArgs, AcceptsSpaceAndEqualsFormsAndRepeatableShortFlags) {
  const auto p =
      parse_args({"--url", "u1", "-H", "a: 1", "-Hb: 2", "--header=c: 3", "--s3"}, kSpecs);
  EXPECT_EQ(p.value("url"), "u1");
  EXPECT_EQ(p.values("header"), (std::vector<std::string>{"a: 1", "b: 2", "c: 3"}));
  EXPECT_TRUE(p.has("s3"));
  EXPECT_FALSE(p.has("request"));
}

TEST(CliArgs, ValuesStartingWithADashAreTakenAsValues) {
  EXPECT_EQ(parse_args({"--url", "-x"}, kSpecs).value("url"), "-x");
  EXPECT_EQ(parse_args({"--url=--s3"}, kSpecs).value("url"), "--s3");
  EXPECT_EQ(parse_args({"--url="}, kSpecs).value("url"), "");
}

TEST(CliArgs, DoubleDashEndsTheOptionsAndALoneDashIsAnOperand) {
  const auto p = parse_args({"a", "-", "--", "--url", "-H", "--"}, kSpecs);
  EXPECT_EQ(p.positionals(), (std::vector<std::string>{"a", "-", "--url", "-H", "--"}));
  EXPECT_FALSE(p.has("url"));
}

TEST(CliArgs, ASwitchGivenTwiceIsTheSameSwitch) {
  EXPECT_TRUE(parse_args({"-v", "--verbose", "-v"}, kSpecs).has("verbose"));
}

struct ErrorCase {
  std::vector<std::string> args;
  std::string message;
};

TEST(CliArgs, EachUsageErrorSaysWhatIsWrongAndSuggestsTheCloseOption) {
  const std::vector<ErrorCase> cases = {
      {{"--ulr", "x"}, "unknown option '--ulr' (did you mean '--url'?)"},
      {{"--hedaer", "x"}, "unknown option '--hedaer' (did you mean '--header'?)"},  // swap
      {{"--requets=GET"}, "unknown option '--requets' (did you mean '--request'?)"},
      {{"--unsigned"}, "unknown option '--unsigned' (did you mean '--unsigned-payload'?)"},
      {{"--verb"}, "unknown option '--verb' (did you mean '--verbose'?)"},
      {{"--nothing-like-it"}, "unknown option '--nothing-like-it'"},
      {{"--q"}, "unknown option '--q'"},  // one letter is not close to anything
      {{"-x"}, "unknown option '-x' (did you mean '-X'?)"},
      {{"-Z"}, "unknown option '-Z'"},
      {{"-request"}, "unknown option '-request' (did you mean '--request'?)"},
      {{"--url"}, "option '--url' needs a value (URL)"},
      {{"-H"}, "option '-H' needs a value ('Name: value')"},
      {{"--url", "a", "--url=b"}, "option '--url' given more than once"},
      {{"-X", "GET", "--request", "PUT"}, "option '--request' given more than once"},
      {{"--s3=yes"}, "option '--s3' takes no value"},
      {{"--format", "xml"}, "invalid value 'xml' for '--format' (expected json or env)"},
  };
  for (const auto& c : cases) {
    try {
      (void)parse_args(c.args, kSpecs);
      ADD_FAILURE() << "no error for " << c.args.front();
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()), c.message);
    }
  }
}

TEST(CliArgs, RequiredNamesTheMissingOption) {
  try {
    (void)parse_args({}, kSpecs).required("url");
    ADD_FAILURE();
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "missing required option '--url'");
  }
}

TEST(CliArgs, ClosestMatchIsWithinTwoEditsOrAnUnambiguousPrefix) {
  const std::vector<std::string> names = {"sign", "creds", "curl", "help"};
  EXPECT_EQ(closest_match("sgin", names), "sign");
  EXPECT_EQ(closest_match("crds", names), "creds");
  EXPECT_EQ(closest_match("curll", names), "curl");
  EXPECT_EQ(closest_match("cre", names), "creds");     // prefix
  EXPECT_EQ(closest_match("c", names), std::nullopt);  // prefix of two
  EXPECT_EQ(closest_match("xyzzy", names), std::nullopt);
  EXPECT_EQ(closest_match("", names), std::nullopt);
}

TEST(CliArgs, HelpTextListsEveryOptionMeaningDefaultAndExitCode) {
  const CommandSpec spec{
      .name = "demo",
      .summary = "a demo",
      .synopsis = "[--url URL]",
      .description = "Does nothing.",
      .options = {{.name = "url",
                   .value_name = "URL",
                   .meaning = "where to go",
                   .default_text = "nowhere"},
                  {.name = "format",
                   .value_name = "F",
                   .meaning = "how to print",
                   .default_text = "json",
                   .choices = {"json", "env"}},
                  {.name = "header",
                   .short_name = 'H',
                   .repeatable = true,
                   .value_name = "'Name: value'",
                   .meaning = "a header"}},
      .environment = {{"DEMO_VAR", "read for fun"}},
      .exit_codes = {{0, "fine"}, {2, "usage error"}},
      .examples = {"awsauth demo --url x", "awsauth demo"},
  };
  EXPECT_EQ(help_text(spec),
            "usage: awsauth demo [--url URL]\n"
            "\n"
            "Does nothing.\n"
            "\n"
            "options:\n"
            "  --url URL                   where to go (default: nowhere)\n"
            "  --format F                  how to print; one of json or env (default: json)\n"
            "  -H, --header 'Name: value'  a header (repeatable)\n"
            "  -h, --help                  print this help on stdout and exit 0\n"
            "\n"
            "environment:\n"
            "  DEMO_VAR                    read for fun\n"
            "\n"
            "exit codes:\n"
            "  0   fine\n"
            "  2   usage error\n"
            "\n"
            "examples:\n"
            "  awsauth demo --url x\n"
            "  awsauth demo\n");
}

}  // namespace

// Found by fuzz_cli_url: what the user typed is quoted back with terminal escapes and broken
// UTF-8 written as \xHH, so a usage error is safe to print as it is.
TEST(CliArgs, UsageErrorsQuoteTypedTextPrintably) {
  const auto error_of = [](const Args& args) -> std::string {
    try {
      (void)parse_args(args, kSpecs);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_of({"-\x1b]0;pwned\x07"}), "unknown option '-\\x1b]0;pwned\\x07'");
  EXPECT_EQ(error_of({"-:-\xc3"}), "unknown option '-:-\\xc3'");
  EXPECT_EQ(error_of({"--format", "\x1b[2J"}),
            "invalid value '\\x1b[2J' for '--format' (expected json or env)");
}
