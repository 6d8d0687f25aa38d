// parse_http_url(): the request target kept byte for byte, what cannot go on a request line
// refused with a reason (issue 11).
#include "awsauth/url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace awsauth {
namespace {

HttpUrl parsed(const std::string& text) {
  std::string error;
  auto url = parse_http_url(text, error);
  EXPECT_TRUE(url.has_value()) << text << ": " << error;
  return url.value_or(HttpUrl{});
}

std::string refused(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_http_url(text, error).has_value()) << text;
  return error;
}

TEST(ParseHttpUrl, KeepsTheTargetExactlyAsWritten) {
  const HttpUrl u = parsed("https://Sts.Example.com:8443/a%2Fb/%7E/%41?x=%3D&y=a+b#frag");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "Sts.Example.com");
  EXPECT_EQ(u.port, 8443);
  EXPECT_EQ(u.target, "/a%2Fb/%7E/%41?x=%3D&y=a+b");
  EXPECT_FALSE(u.user_info.has_value());
}

TEST(ParseHttpUrl, SplitsUserInfoAndIpv6) {
  const HttpUrl u = parsed("http://user:pw@[fd00:ec2::23]/creds");
  EXPECT_EQ(u.user_info, "user:pw");
  EXPECT_EQ(u.host, "fd00:ec2::23");
  EXPECT_TRUE(u.bracketed);
  EXPECT_EQ(u.effective_port(), 80);
  EXPECT_EQ(parsed("http://host?q").target, "/?q");
  EXPECT_EQ(parsed("http://host").target, "/");
}

TEST(ParseHttpUrl, RefusesWhatCannotBeSent) {
  EXPECT_NE(refused("http://host/a%zz").find("%zz"), std::string::npos);
  EXPECT_NE(refused("http://host/a%4").find("percent-escape"), std::string::npos);
  EXPECT_EQ(refused("http://host/a b"), "invalid uri character ' '");
  refused("http://host/a\r\nX-Injected: yes");
  refused(std::string("http://host/a\0b", 15));
  refused("ftp://host/");
  refused("http:///path");
  refused("http://host:0/");
  refused("http://host:65536/");
  refused("http://[::1/");
}

// Found by fuzz_cli_url: the reason quoted the port, the IPv6 literal and the scheme byte for
// byte, so `awsauth curl` printed raw C1 controls and invalid UTF-8 from its URL argument.
TEST(ParseHttpUrl, ReasonQuotesTheUrlThroughPrintable) {
  EXPECT_EQ(refused(std::string("http://h:8\xc2\x9b") + "1/"),
            "invalid port '8\\xc2\\x9b1' in the URI");
  EXPECT_EQ(refused("http://[\xff::1]/"), "invalid IPv6 literal '\\xff::1' in the URI");
  EXPECT_EQ(refused("\xc2\x85://h/"), "unsupported URI scheme '\\xc2\\x85' (only http and https)");
  EXPECT_EQ(refused(std::string("http://h/%\xff") + "a"),
            "invalid percent-escape '%\\xffa' in the URI");
}

TEST(ParseHttpUrl, ErrorsNeverQuoteTheUserInfo) {
  std::string error;
  EXPECT_FALSE(parse_http_url("http://u:hunter2@host:99999/", error));
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << error;
}

}  // namespace
}  // namespace awsauth
