// parse_http_url(): the absolute URLs awsauth sends requests to.

#include "awsauth/url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

std::string url_error(std::string_view text) {
  std::string error;
  EXPECT_FALSE(awsauth::parse_http_url(text, error).has_value()) << text;
  return error;
}

TEST(HttpUrl, TargetIsKeptAsWritten) {
  std::string error;
  const auto url = awsauth::parse_http_url("https://u:p@Host:8443/a%2Fb/%7e?x=1#frag", error);
  ASSERT_TRUE(url) << error;
  EXPECT_EQ(url->user_info, "u:p");
  EXPECT_EQ(url->host, "Host");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->target, "/a%2Fb/%7e?x=1");
}

// Found by fuzz_cli_url: the reason quoted the port, the IPv6 literal and the scheme byte for
// byte, so `awsauth curl` printed raw C1 controls and invalid UTF-8 from its URL argument.
TEST(HttpUrl, ReasonQuotesTheUrlThroughPrintable) {
  EXPECT_EQ(url_error("http://h:8\xc2\x9b"
                      "1/"),
            "invalid port '8\\xc2\\x9b1' in the URI");
  EXPECT_EQ(url_error("http://[\xff::1]/"), "invalid IPv6 literal '\\xff::1' in the URI");
  EXPECT_EQ(url_error("\xc2\x85://h/"),
            "unsupported URI scheme '\\xc2\\x85' (only http and https)");
  EXPECT_EQ(url_error("http://h/%\xff"
                      "a"),
            "invalid percent-escape '%\\xffa' in the URI");
}

}  // namespace
