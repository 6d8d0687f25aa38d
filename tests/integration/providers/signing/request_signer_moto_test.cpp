// RequestSigner against moto_server with signature checking on (127.0.0.1 only): moto
// recomputes every signature with the keys it issued, so a 200 with the caller's ARN proves
// the request was signed right with those keys. Through the Poco adapter, the libcurl adapter
// (when libcurl is found: AWSAUTH_HAVE_LIBCURL) and awsauth's own HttpClient; credentials that
// expire during the test are replaced, and invalidate() after a rejected key refreshes.

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "awsauth/caching.hpp"
#include "awsauth/request_signer.hpp"
#include "awsauth/request_signer_poco.hpp"
#include "awsauth/static_provider.hpp"
#include "moto_server.hpp"
#include "service_error.hpp"

#ifdef AWSAUTH_HAVE_LIBCURL
#include "awsauth/request_signer_curl.hpp"
#endif

namespace awsauth {
namespace {

using test::MotoServer;
using test::MotoUser;
using ::testing::HasSubstr;

constexpr const char* kGetCallerIdentity = "Action=GetCallerIdentity&Version=2011-06-15";
const TimePoint kStart = *signer::parse_amz_date("20260102T030405Z");

CredentialsPtr keys_of(const MotoUser& user, std::optional<TimePoint> expiration = std::nullopt) {
  return make_credentials({.access_key_id = user.access_key_id,
                           .secret_access_key = SecretString(user.secret_access_key),
                           .expiration = expiration,
                           .provider_name = "test-users"});
}

// Hands out the users' keys in turn, each expiring `lifetime` after the clock's now: the first
// call gets users[0], the next users[1], ... (the last one repeats).
class RotatingUsers final : public CredentialsProvider {
 public:
  RotatingUsers(std::vector<MotoUser> users, std::shared_ptr<const Clock> clock,
                std::chrono::seconds lifetime)
      : users_(std::move(users)), clock_(std::move(clock)), lifetime_(lifetime) {}
  [[nodiscard]] CredentialsPtr get() override {
    const std::size_t n = std::min<std::size_t>(calls++, users_.size() - 1);
    return keys_of(users_[n], clock_->now() + lifetime_);
  }
  [[nodiscard]] std::string name() const override { return "test-users"; }
  std::atomic<std::size_t> calls{0};

 private:
  std::vector<MotoUser> users_;
  std::shared_ptr<const Clock> clock_;
  std::chrono::seconds lifetime_;
};

std::string host_of(const std::string& url) { return url.substr(std::string("http://").size()); }

class RequestSignerAgainstMoto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    moto = std::make_unique<MotoServer>();
    first = moto->create_user("signer-first");
    second = moto->create_user("signer-second");
    moto->require_signatures(true);
  }
  static void TearDownTestSuite() { moto.reset(); }

  static int port() { return std::stoi(moto->url().substr(moto->url().rfind(':') + 1)); }

  // POST GetCallerIdentity through the Poco adapter; returns status and body.
  static std::pair<int, std::string> caller_identity_over_poco(const RequestSigner& signer) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port()));
    Poco::Net::HTTPRequest request("POST", "/", "HTTP/1.1");
    request.setContentType("application/x-www-form-urlencoded; charset=utf-8");
    Poco::Net::HTTPResponse response;
    std::istream& in =
        poco::send_signed(signer, session, request, kGetCallerIdentity, response, "http");
    std::stringstream body;
    body << in.rdbuf();
    return {static_cast<int>(response.getStatus()), body.str()};
  }

  // The same through awsauth's own HttpClient.
  static HttpResponse caller_identity_over_http_client(const RequestSigner& signer) {
    const auto signed_request =
        signer.sign({.method = "POST",
                     .url = moto->url() + "/",
                     .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                     .body = kGetCallerIdentity});
    return make_poco_http_client()->send(signed_request.request, {});
  }

  static std::unique_ptr<MotoServer> moto;
  static MotoUser first;
  static MotoUser second;
};
std::unique_ptr<MotoServer> RequestSignerAgainstMoto::moto;
MotoUser RequestSignerAgainstMoto::first;
MotoUser RequestSignerAgainstMoto::second;

TEST_F(RequestSignerAgainstMoto, PocoSendSignedIsAcceptedAsTheUser) {
  const RequestSigner signer(std::make_shared<StaticCredentialsProvider>(keys_of(first)),
                             "us-east-1", "sts");
  const auto [status, body] = caller_identity_over_poco(signer);
  EXPECT_EQ(status, 200) << body;
  EXPECT_THAT(body, HasSubstr("<Arn>" + first.arn + "</Arn>"));
}

TEST_F(RequestSignerAgainstMoto, PocoSignThenSendTheSameBodyIsAccepted) {
  const RequestSigner signer(std::make_shared<StaticCredentialsProvider>(keys_of(first)),
                             "us-east-1", "sts");
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port()));
  Poco::Net::HTTPRequest request("POST", "/", "HTTP/1.1");
  request.setHost(host_of(moto->url()));
  request.setContentType("application/x-www-form-urlencoded");
  const std::string body = kGetCallerIdentity;
  const SignedRequest signed_request = poco::sign(signer, request, body, "http");
  EXPECT_EQ(request.getContentLength64(), static_cast<Poco::Int64>(body.size()));
  EXPECT_THAT(signed_request.signing.signed_headers, HasSubstr("content-length"));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::stringstream answer;
  answer << session.receiveResponse(response).rdbuf();
  EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK) << answer.str();
  EXPECT_THAT(answer.str(), HasSubstr("<Arn>" + first.arn + "</Arn>"));
}

TEST_F(RequestSignerAgainstMoto, AWrongSecretIsRejected) {
  // The proof can fail: moto does check.
  const RequestSigner signer(
      std::make_shared<StaticCredentialsProvider>(make_credentials(
          {.access_key_id = first.access_key_id, .secret_access_key = SecretString("wrong")})),
      "us-east-1", "sts");
  const auto [status, body] = caller_identity_over_poco(signer);
  EXPECT_EQ(status, 403);
  EXPECT_THAT(body, HasSubstr("SignatureDoesNotMatch"));
}

TEST_F(RequestSignerAgainstMoto, CredentialsThatExpireDuringTheTestAreReplaced) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<RotatingUsers>(std::vector<MotoUser>{first, second}, clock,
                                                std::chrono::seconds(120));
  RefreshPolicy policy;
  policy.advisory_window = std::chrono::seconds(30);
  policy.mandatory_window = std::chrono::seconds(10);
  auto cache = std::make_shared<CachingProvider>(source, policy, clock);
  // The cache runs on the injected clock; the signature on the real time moto checks.
  const RequestSigner signer(cache, "us-east-1", "sts");

  const auto before = caller_identity_over_poco(signer);
  EXPECT_THAT(before.second, HasSubstr("<Arn>" + first.arn + "</Arn>"));
  clock->advance(std::chrono::seconds(60));  // still fresh: no refresh
  EXPECT_THAT(caller_identity_over_poco(signer).second, HasSubstr("<Arn>" + first.arn + "</Arn>"));
  EXPECT_EQ(source->calls.load(), 1U);

  clock->advance(std::chrono::seconds(61));  // past the first keys' expiry
  const auto after = caller_identity_over_poco(signer);
  EXPECT_EQ(after.first, 200) << after.second;
  EXPECT_THAT(after.second, HasSubstr("<Arn>" + second.arn + "</Arn>"));
  EXPECT_EQ(source->calls.load(), 2U);
  const auto response = caller_identity_over_http_client(signer);
  EXPECT_THAT(response.body, HasSubstr("<Arn>" + second.arn + "</Arn>"));
}

TEST_F(RequestSignerAgainstMoto, InvalidateAfterARejectedKeyRefreshesToAWorkingOne) {
  MotoUser unknown = first;
  unknown.access_key_id = "AKIAUNKNOWNUNKNOWN00";
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<RotatingUsers>(std::vector<MotoUser>{unknown, second}, clock,
                                                std::chrono::hours(1));
  auto cache = std::make_shared<CachingProvider>(source, RefreshPolicy{}, clock);
  RequestSigner signer(cache, "us-east-1", "sts");

  const HttpResponse rejected = caller_identity_over_http_client(signer);
  EXPECT_EQ(rejected.status, 403) << rejected.body;
  const auto error = cli::parse_service_error(rejected);
  ASSERT_TRUE(error);
  EXPECT_TRUE(RequestSigner::is_credentials_rejection(error->code)) << error->code;
  signer.invalidate();

  const HttpResponse accepted = caller_identity_over_http_client(signer);
  EXPECT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_THAT(accepted.body, HasSubstr("<Arn>" + second.arn + "</Arn>"));
}

TEST_F(RequestSignerAgainstMoto, S3PutAndGetOfBinaryBytesOverPoco) {
  const RequestSigner signer(std::make_shared<StaticCredentialsProvider>(keys_of(first)),
                             "us-east-1", "s3");
  const std::string bytes("\0\r\nbinary\xff\x01 body", 18);
  auto exchange = [&](const std::string& method, const std::string& path, const std::string& body) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port()));
    Poco::Net::HTTPRequest request(method, path, "HTTP/1.1");
    Poco::Net::HTTPResponse response;
    std::stringstream answer;
    answer << poco::send_signed(signer, session, request, body, response, "http").rdbuf();
    return std::make_pair(static_cast<int>(response.getStatus()), answer.str());
  };
  ASSERT_EQ(exchange("PUT", "/signer-bucket", "").first, 200);
  const auto put = exchange("PUT", "/signer-bucket/blob", bytes);
  ASSERT_EQ(put.first, 200) << put.second;
  const auto get = exchange("GET", "/signer-bucket/blob", "");
  EXPECT_EQ(get.first, 200);
  EXPECT_EQ(get.second, bytes);
}

#ifdef AWSAUTH_HAVE_LIBCURL

std::size_t append_to_string(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// Performs `request` signed through the libcurl adapter; returns status and body.
std::pair<long, std::string> perform(const RequestSigner& signer, HttpRequest request) {
  CURL* handle = curl_easy_init();
  std::string body;
  long status = 0;
  {
    const curl::SignedTransfer transfer(signer, handle, std::move(request));
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, append_to_string);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    const CURLcode rc = curl_easy_perform(handle);
    EXPECT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  }
  curl_easy_cleanup(handle);
  return {status, body};
}

TEST_F(RequestSignerAgainstMoto, LibcurlPostIsAcceptedAsTheUser) {
  const RequestSigner signer(std::make_shared<StaticCredentialsProvider>(keys_of(first)),
                             "us-east-1", "sts");
  const auto [status, body] =
      perform(signer, {.method = "POST",
                       .url = moto->url() + "/",
                       .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                       .body = kGetCallerIdentity});
  EXPECT_EQ(status, 200) << body;
  EXPECT_THAT(body, HasSubstr("<Arn>" + first.arn + "</Arn>"));
}

TEST_F(RequestSignerAgainstMoto, LibcurlWithExpiringCredentialsCarriesTheRefreshedOnes) {
  auto clock = std::make_shared<ManualClock>(kStart);
  auto source = std::make_shared<RotatingUsers>(std::vector<MotoUser>{first, second}, clock,
                                                std::chrono::seconds(120));
  auto cache = std::make_shared<CachingProvider>(source, RefreshPolicy{}, clock);
  const RequestSigner signer(cache, "us-east-1", "sts");
  const HttpRequest request{.method = "POST",
                            .url = moto->url() + "/",
                            .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                            .body = kGetCallerIdentity};
  EXPECT_THAT(perform(signer, request).second, HasSubstr("<Arn>" + first.arn + "</Arn>"));
  clock->advance(std::chrono::seconds(180));
  const auto [status, body] = perform(signer, request);
  EXPECT_EQ(status, 200) << body;
  EXPECT_THAT(body, HasSubstr("<Arn>" + second.arn + "</Arn>"));
}

TEST_F(RequestSignerAgainstMoto, LibcurlS3PutAndGetKeepEveryByte) {
  const RequestSigner signer(std::make_shared<StaticCredentialsProvider>(keys_of(second)),
                             "us-east-1", "s3");
  std::string bytes(70000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 31 % 256);
  ASSERT_EQ(perform(signer, {.method = "PUT", .url = moto->url() + "/curl-signer-bucket"}).first,
            200);
  const auto put = perform(
      signer, {.method = "PUT", .url = moto->url() + "/curl-signer-bucket/blob", .body = bytes});
  ASSERT_EQ(put.first, 200) << put.second;
  const auto get =
      perform(signer, {.method = "GET", .url = moto->url() + "/curl-signer-bucket/blob"});
  EXPECT_EQ(get.first, 200);
  EXPECT_EQ(get.second, bytes);
}

TEST_F(RequestSignerAgainstMoto, LibcurlWrongSecretIsRejected) {
  const RequestSigner signer(
      std::make_shared<StaticCredentialsProvider>(make_credentials(
          {.access_key_id = first.access_key_id, .secret_access_key = SecretString("wrong")})),
      "us-east-1", "sts");
  const auto [status, body] =
      perform(signer, {.method = "POST",
                       .url = moto->url() + "/",
                       .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                       .body = kGetCallerIdentity});
  EXPECT_EQ(status, 403);
  EXPECT_THAT(body, HasSubstr("SignatureDoesNotMatch"));
}

#endif  // AWSAUTH_HAVE_LIBCURL

}  // namespace
}  // namespace awsauth
