// The pure HTTP/1.1 response parser behind the Poco client: strict heads, framing, chunked.
#include "../../../core/src/http_response_parser.hpp"

#include <gtest/gtest.h>

namespace awsauth::http_parse {
namespace {

TEST(HttpResponseHead, EndIsFoundOnlyAfterTheEmptyLine) {
  EXPECT_FALSE(find_head_end("HTTP/1.1 200 OK\r\nA: b\r\n"));
  EXPECT_EQ(find_head_end("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody"), 25u);
  EXPECT_EQ(find_head_end("HTTP/1.1 200 OK\nA: b\n\nbody"), 22u);
}

TEST(HttpResponseHead, HeadLargerThanTheCapIsRejected) {
  EXPECT_THROW((void)find_head_end(std::string(kMaxHeadBytes, 'a')), ParseError);
}

TEST(HttpResponseHead, StatusReasonAndHeadersAreParsedWithValuesTrimmed) {
  const auto head = parse_response_head("HTTP/1.1 404 Not Found\r\nX-A:  one \r\nx-b:\r\n\r\n");
  EXPECT_EQ(head.status, 404);
  EXPECT_EQ(head.reason, "Not Found");
  ASSERT_EQ(head.headers.size(), 2u);
  EXPECT_EQ(head.headers[0], (std::pair<std::string, std::string>{"X-A", "one"}));
  EXPECT_EQ(head.headers[1], (std::pair<std::string, std::string>{"x-b", ""}));
  EXPECT_EQ(parse_response_head("HTTP/1.0 200\r\n\r\n").status, 200);
}

TEST(HttpResponseHead, MalformedHeadsAreRejected) {
  for (const char* bad :
       {"HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 x\r\n\r\n", "SSH-2.0\r\n\r\n", "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: empty\r\n\r\n", "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", "HTTP/1.1 200 OK\r\nA: b\x01\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: b\r\n", "HTTP/1.1 200 O\rK\r\n\r\n", ""}) {
    EXPECT_THROW((void)parse_response_head(bad), ParseError) << bad;
  }
}

TEST(HttpResponseHead, ErrorsNameTheHeaderButNeverItsValue) {
  try {
    (void)parse_response_head("HTTP/1.1 200 OK\r\nX-Token: SECRET\x02\r\n\r\n");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("X-Token"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("SECRET"), std::string::npos);
  }
}

TEST(HttpBodyFraming, FollowsRfc9112) {
  using Kind = BodyFraming::Kind;
  const auto framing = [](int status, HttpHeaders headers, std::string_view method = "GET") {
    return body_framing(ResponseHead{status, "", std::move(headers)}, method);
  };
  EXPECT_EQ(framing(200, {{"Content-Length", "12"}}).kind, Kind::ContentLength);
  EXPECT_EQ(framing(200, {{"content-length", "12"}}).length, 12u);
  EXPECT_EQ(framing(200, {{"Content-Length", "5, 5"}}).length, 5u);
  EXPECT_EQ(framing(200, {{"Transfer-Encoding", "gzip, chunked"}, {"Content-Length", "3"}}).kind,
            Kind::Chunked);
  EXPECT_EQ(framing(200, {{"Transfer-Encoding", "gzip"}}).kind, Kind::UntilClose);
  EXPECT_EQ(framing(200, {}).kind, Kind::UntilClose);
  EXPECT_EQ(framing(204, {{"Content-Length", "3"}}).kind, Kind::None);
  EXPECT_EQ(framing(304, {}).kind, Kind::None);
  EXPECT_EQ(framing(200, {{"Content-Length", "3"}}, "HEAD").kind, Kind::None);
  EXPECT_THROW((void)framing(200, {{"Content-Length", "-1"}}), ParseError);
  EXPECT_THROW((void)framing(200, {{"Content-Length", "1"}, {"Content-Length", "2"}}), ParseError);
  EXPECT_THROW((void)framing(200, {{"Content-Length", "99999999999999999999999"}}), ParseError);
}

TEST(HttpChunkedDecoder, DecodesAcrossArbitrarySplits) {
  const std::string wire =
      "4;name=v\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n"
      "Trailer: x\r\n\r\nNEXT";
  for (std::size_t step = 1; step <= wire.size(); ++step) {
    ChunkedDecoder decoder;
    std::string out;
    std::size_t at = 0;
    while (at < wire.size() && !decoder.done()) {
      at += decoder.feed(std::string_view(wire).substr(at, step), out);
    }
    ASSERT_TRUE(decoder.done()) << step;
    EXPECT_EQ(out, "Wikipedia in\r\n\r\nchunks.") << step;
    EXPECT_EQ(wire.substr(at), "NEXT") << step;
  }
}

TEST(HttpChunkedDecoder, MalformedFramingIsRejected) {
  for (const char* bad : {"x\r\n", "\r\n", ";a\r\n", "3\r\nabcd\r\n", "3\r\nabc\rX",
                          "1000000000000000\r\n", "0\r\n\rX"}) {
    ChunkedDecoder decoder;
    std::string out;
    EXPECT_THROW((void)decoder.feed(bad, out), ParseError) << bad;
  }
}

}  // namespace
}  // namespace awsauth::http_parse
