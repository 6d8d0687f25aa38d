// What the libcurl adapter puts on the wire, seen by a loopback server: the URL as signed, the
// method, the body byte for byte, every header (the caller's and the signed ones) and none of
// libcurl's unsigned defaults that would change the request; one handle reused across methods
// keeps nothing of the previous request; a streamed body (body_source) is sent whole, and a
// source that fails aborts the transfer. Built only when libcurl is found.

#ifdef AWSAUTH_HAVE_LIBCURL

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "awsauth/request_signer_curl.hpp"
#include "awsauth/signer/payload.hpp"
#include "awsauth/static_provider.hpp"
#include "loopback_server.hpp"

namespace awsauth {
namespace {

using ::testing::HasSubstr;

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

class CurlAdapterWire : public ::testing::Test {
 protected:
  test::LoopbackServer server;
  RequestSigner signer{std::make_shared<StaticCredentialsProvider>(
                           make_credentials({.access_key_id = "AKIDWIRE",
                                             .secret_access_key = SecretString("wire-secret"),
                                             .session_token = SecretString("wire-token")})),
                       "us-east-1", "execute-api"};
  CURL* handle = curl_easy_init();

  ~CurlAdapterWire() override { curl_easy_cleanup(handle); }

  test::RecordedRequest perform(HttpRequest request) {
    return perform_transfer(
        [&] { return std::make_unique<curl::SignedTransfer>(signer, handle, std::move(request)); });
  }

  // A streamed body, hashed as it would be by a caller that reads it twice (once to hash it).
  test::RecordedRequest perform_streamed(HttpRequest request, const std::string& body) {
    signer::PayloadHasher hasher;
    hasher.update(body);
    const signer::Payload payload = signer::Payload::from_hasher(hasher);
    request.body_length = body.size();
    request.body_source = [&body, offset = std::size_t{0}](char* out,
                                                           std::size_t capacity) mutable {
      const std::size_t n = std::min(capacity, body.size() - offset);
      std::copy_n(body.data() + offset, n, out);
      offset += n;
      return n;
    };
    return perform_transfer([&] {
      return std::make_unique<curl::SignedTransfer>(signer, handle, std::move(request), payload);
    });
  }

  template <class MakeTransfer>
  test::RecordedRequest perform_transfer(MakeTransfer make_transfer) {
    server.enqueue({.status = 200, .body = "ok"});
    const std::size_t before = server.request_count();
    const auto owned = make_transfer();
    const curl::SignedTransfer& transfer = *owned;
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    const CURLcode rc = curl_easy_perform(handle);
    EXPECT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
    EXPECT_EQ(server.request_count(), before + 1);
    last = transfer.signed_request();
    return server.requests().back();
  }

  SignedRequest last;
};

TEST_F(CurlAdapterWire, PostSendsTheBodyAndEveryHeaderSigned) {
  const std::string body("{\"k\":\"\0\r\n\xff\"}", 12);
  const auto sent = perform({.method = "POST",
                             .url = server.url("/prod/a/./b?x=1&y=2"),
                             .headers = {{"Content-Type", "application/json"}, {"X-Empty", ""}},
                             .body = body});
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.target, "/prod/a/b?x=1&y=2");  // the path as signed
  EXPECT_EQ(sent.body, body);
  EXPECT_EQ(*sent.header("Content-Type"), "application/json");
  ASSERT_NE(sent.header("X-Empty"), nullptr);
  EXPECT_EQ(*sent.header("X-Empty"), "");
  EXPECT_EQ(sent.header("Expect"), nullptr);
  for (const auto& h : last.signing.headers) {
    ASSERT_NE(sent.header(h.name), nullptr) << h.name;
    EXPECT_EQ(*sent.header(h.name), h.value) << h.name;
  }
  EXPECT_EQ(*sent.header("X-Amz-Security-Token"), "wire-token");
  EXPECT_THAT(last.signing.signed_headers, HasSubstr("content-type;host;x-amz-date;"));
}

TEST_F(CurlAdapterWire, ABodyWithoutContentTypeGetsNoneFromCurl) {
  const auto sent = perform({.method = "POST", .url = server.url("/"), .body = "a=b"});
  EXPECT_EQ(sent.header("Content-Type"), nullptr);
  EXPECT_EQ(sent.body, "a=b");
}

TEST_F(CurlAdapterWire, OneHandleReusedAcrossMethodsKeepsNothingOfTheLastRequest) {
  EXPECT_EQ(perform({.method = "PUT", .url = server.url("/p"), .body = "put-body"}).method, "PUT");
  const auto get = perform({.method = "GET", .url = server.url("/g")});
  EXPECT_EQ(get.method, "GET");
  EXPECT_TRUE(get.body.empty());
  const auto post = perform({.method = "POST", .url = server.url("/p2"), .body = "x"});
  EXPECT_EQ(post.method, "POST");
  EXPECT_EQ(post.body, "x");
  const auto del = perform({.method = "DELETE", .url = server.url("/d")});
  EXPECT_EQ(del.method, "DELETE");
  EXPECT_TRUE(del.body.empty());
  const auto head = perform({.method = "HEAD", .url = server.url("/h")});
  EXPECT_EQ(head.method, "HEAD");
  const auto again = perform({.method = "GET", .url = server.url("/g2")});
  EXPECT_EQ(again.method, "GET");
}

std::string patterned(std::size_t size) {
  std::string body(size, '\0');
  for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<char>((i * 131 + i / 977) & 0xff);
  return body;
}

TEST_F(CurlAdapterWire, AStreamedBodyIsSentWholeUnderTheHashItWasSignedWith) {
  const std::string body = patterned(300 * 1024 + 17);  // many of libcurl's read buffers
  for (const char* method : {"PUT", "POST"}) {
    SCOPED_TRACE(method);
    const auto sent = perform_streamed({.method = method, .url = server.url("/up")}, body);
    EXPECT_EQ(sent.method, method);
    ASSERT_EQ(sent.body.size(), body.size());
    EXPECT_TRUE(sent.body == body);
    ASSERT_NE(sent.header("Content-Length"), nullptr);
    EXPECT_EQ(*sent.header("Content-Length"), std::to_string(body.size()));
    EXPECT_EQ(sent.header("Transfer-Encoding"), nullptr);
    EXPECT_EQ(last.signing.payload_hash, signer::sha256_hex(body));
    EXPECT_EQ(sent.header("Expect"), nullptr);
  }
  // The handle, reused for an in-memory body and a GET, keeps nothing of the upload.
  const auto post = perform({.method = "POST", .url = server.url("/p"), .body = "x"});
  EXPECT_EQ(post.method, "POST");
  EXPECT_EQ(post.body, "x");
  const auto get = perform({.method = "GET", .url = server.url("/g")});
  EXPECT_EQ(get.method, "GET");
  EXPECT_TRUE(get.body.empty());
}

TEST_F(CurlAdapterWire, AStreamedBodyWhoseSourceThrowsAbortsTheTransfer) {
  HttpRequest request{.method = "PUT", .url = server.url("/up")};
  request.body_length = 100000;
  std::size_t given = 0;
  request.body_source = [&given](char* out, std::size_t capacity) -> std::size_t {
    if (given > 0) throw std::runtime_error("disk read failed");
    std::fill_n(out, capacity, 'a');
    given += capacity;
    return capacity;
  };
  const curl::SignedTransfer transfer(signer, handle, std::move(request),
                                      signer::Payload::unsigned_payload());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
  EXPECT_EQ(curl_easy_perform(handle), CURLE_ABORTED_BY_CALLBACK);
  ASSERT_TRUE(transfer.body_error());
  EXPECT_THROW(std::rethrow_exception(transfer.body_error()), std::runtime_error);
}

TEST_F(CurlAdapterWire, AStreamedBodyThatEndsEarlyFailsTheTransfer) {
  HttpRequest request{.method = "PUT", .url = server.url("/up")};
  request.body_length = 100000;
  request.body_source = [given = false](char* out, std::size_t capacity) mutable -> std::size_t {
    if (given) return 0;
    given = true;
    const std::size_t n = std::min<std::size_t>(capacity, 10);
    std::fill_n(out, n, 'a');
    return n;
  };
  const curl::SignedTransfer transfer(signer, handle, std::move(request),
                                      signer::Payload::unsigned_payload());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(curl_easy_perform(handle), CURLE_ABORTED_BY_CALLBACK);
  // At once: not after the server gave up waiting for the rest of the body.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  ASSERT_TRUE(transfer.body_error());
  try {
    std::rethrow_exception(transfer.body_error());
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), HttpErrorKind::BodySource);
    EXPECT_THAT(e.what(), HasSubstr("ended after 10 of 100000 bytes"));
  }
}

TEST_F(CurlAdapterWire, APresignedGetSendsThePresignedUrlAndNoAuthorization) {
  const RequestSigner presigner({.service = "s3",
                                 .region = "us-east-1",
                                 .credentials = signer.credentials_provider(),
                                 .presign_expires = 60});
  server.enqueue({.status = 200});
  const curl::SignedTransfer transfer(presigner, handle,
                                      {.method = "GET", .url = server.url("/bucket/key")});
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
  ASSERT_EQ(curl_easy_perform(handle), CURLE_OK);
  const auto sent = server.requests().back();
  EXPECT_EQ(sent.header("Authorization"), nullptr);
  EXPECT_THAT(sent.query,
              HasSubstr("X-Amz-Signature=" + transfer.signed_request().signing.signature));
  EXPECT_THAT(sent.query, HasSubstr("X-Amz-Expires=60"));
}

}  // namespace
}  // namespace awsauth

#endif  // AWSAUTH_HAVE_LIBCURL
