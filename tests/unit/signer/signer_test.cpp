// Behaviour of the signer's steps that the official vectors do not cover (see the suite
// README's "Not covered" list), following botocore auth.py and aws-c-auth aws_signing.c.

#include "awsauth/signer/signer.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace awsauth;
using namespace awsauth::signer;

namespace {

const Credentials& example_creds() {
  static const Credentials c(
      {.access_key_id = "AKIDEXAMPLE",
       .secret_access_key = SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")});
  return c;
}

TimePoint example_time() { return *parse_amz_date("20150830T123600Z"); }

TEST(CanonicalQuery, RepeatedKeysSortByValueAndKeyWithoutEqualsSignsAsEmpty) {
  EXPECT_EQ(canonical_query("b=2&a=z&a=y&lifecycle&c="), "a=y&a=z&b=2&c=&lifecycle=");
}

TEST(CanonicalQuery, DecodesThenReEncodesStrictlyWithPlusAsSpace) {
  EXPECT_EQ(canonical_query("k=a+b&k2=%7e%2F%41&u=%E1%88%B4&r=$@!"),
            "k=a%20b&k2=~%2FA&r=%24%40%21&u=%E1%88%B4");
}

TEST(CanonicalQuery, SortsByEncodedBytesNotByDecodedText) {
  EXPECT_EQ(canonical_query("a_b=1&a%20b=2&A=3"), "A=3&a%20b=2&a_b=1");
}

TEST(NormalizePath, FollowsBotocoreRemoveDotSegments) {
  EXPECT_EQ(normalize_path("/foo/."), "/foo");
  EXPECT_EQ(normalize_path("/foo/./"), "/foo/");
  EXPECT_EQ(normalize_path("/a/b/../c//d/"), "/a/c/d/");
  EXPECT_EQ(normalize_path("/../.."), "/");
  EXPECT_EQ(normalize_path(""), "/");
}

TEST(CanonicalUri, S3UsesTheWirePathAndEncodesOnlyInvalidBytes) {
  const auto s3 = SigningSettings::for_service("us-east-1", "s3");
  EXPECT_EQ(canonical_uri("/a/./b/../c%20d//e", s3), "/a/./b/../c%20d//e");
  EXPECT_EQ(canonical_uri("/test$file.text", s3), "/test%24file.text");
  EXPECT_EQ(canonical_uri("/100%", s3), "/100%25");
}

TEST(CanonicalUri, NonS3NormalizesThenEncodesAgain) {
  const auto iam = SigningSettings::for_service("us-east-1", "iam");
  EXPECT_EQ(canonical_uri("/a/./b/../c%20d//e/", iam), "/a/c%2520d/e/");
}

TEST(CanonicalHeaders, TrimsCollapsesAllWhitespaceAndJoinsRepeatsInOrder) {
  const auto h = canonical_headers({{"X-B", "  two\t\t words \r\n here "},
                                    {"x-a", "1"},
                                    {"X-A", " 0 "},
                                    {"Empty", ""},
                                    {"User-Agent", "curl"},
                                    {"Connection", "close"}});
  EXPECT_EQ(h.block, "empty:\nx-a:1,0\nx-b:two words here\n");
  EXPECT_EQ(h.signed_headers, "empty;x-a;x-b");
}

TEST(CanonicalHeaders, LongValuesAreTrimmedWhereverTheWhitespaceIs) {
  const auto h = canonical_headers({{"a", "abcdefghijklmnop\tqrstuvwx   yz  "},
                                    {"b", "0123456789abcdef0123456789abcdef"},
                                    {"c", "0123456789abcdef\x01ctl"}});
  EXPECT_EQ(h.block,
            "a:abcdefghijklmnop qrstuvwx yz\nb:0123456789abcdef0123456789abcdef\n"
            "c:0123456789abcdef\x01ctl\n");
}

TEST(Signer, HeaderModeWithUnsignedPayloadAddsAndSignsTheLiteral) {
  auto req = parse_url("PUT", "https://example.amazonaws.com:8443/x");
  auto s = SigningSettings::for_service("us-east-1", "service");
  s.add_content_sha256 = true;
  const auto r = sign(req, Payload::unsigned_payload(), example_creds(), s, example_time());
  EXPECT_NE(r.canonical_request.find("host:example.amazonaws.com:8443\n"), std::string::npos);
  EXPECT_NE(r.canonical_request.find("x-amz-content-sha256:UNSIGNED-PAYLOAD\n"), std::string::npos);
  EXPECT_TRUE(r.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  ASSERT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.headers[1].name, "X-Amz-Content-SHA256");
  EXPECT_EQ(r.headers[2].name, "Authorization");
}

TEST(Signer, CallersContentSha256HeaderIsThePayloadHashWhenTheSignerAddsNone) {
  // botocore SigV4Auth.canonical_request: a given X-Amz-Content-SHA256 is the payload hash
  // (S3 checks the header against the signature), in header mode and when presigning.
  const std::string hash(64, 'a');
  auto req = parse_url("PUT", "https://bucket.s3.amazonaws.com/key");
  req.headers = {{"X-Amz-Content-SHA256", " " + hash + " "}};
  auto presign = SigningSettings::for_service("us-east-1", "s3");
  presign.presign_expires = 60;
  const auto p = sign(req, Payload::unsigned_payload(), example_creds(), presign, example_time());
  EXPECT_TRUE(p.canonical_request.ends_with("\n" + hash));
  EXPECT_EQ(p.payload_hash, hash);
  const auto h = sign(req, Payload(), example_creds(),
                      SigningSettings::for_service("us-east-1", "service"), example_time());
  EXPECT_TRUE(h.canonical_request.ends_with("\n" + hash));
  // When the signer adds its own header (S3 header mode), the caller's is replaced.
  const auto s3 = sign(req, Payload::unsigned_payload(), example_creds(),
                       SigningSettings::for_service("us-east-1", "s3"), example_time());
  EXPECT_TRUE(s3.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
}

TEST(Signer, DefaultPortIsLeftOutOfHost) {
  EXPECT_EQ(parse_url("GET", "https://Example.COM:443/").host, "example.com");
  EXPECT_EQ(parse_url("GET", "http://example.com:80").host, "example.com");
  EXPECT_EQ(parse_url("GET", "http://example.com:443/p").host, "example.com:443");
}

TEST(Signer, UnparseableUrlsAreReportedWithTheUrl) {
  EXPECT_THROW((void)parse_url("GET", "example.com/x"), SigningError);
  EXPECT_THROW((void)parse_url("GET", "https://:443/"), SigningError);
  EXPECT_THROW((void)parse_url("GET", "https://host:99999/"), SigningError);
  try {
    (void)parse_url("GET", "https://host:abc/");
  } catch (const SigningError& e) {
    EXPECT_NE(std::string(e.what()).find("https://host:abc/"), std::string::npos);
  }
}

// Found by fuzz_cli_url: the message quoted the URL byte for byte, so a password in the user
// info, a presigned URL's signature and terminal escape sequences reached stderr
// (`awsauth sign --url` prints it).
std::string parse_url_error(std::string_view url) {
  try {
    (void)parse_url("GET", url);
  } catch (const SigningError& e) {
    return e.what();
  }
  ADD_FAILURE() << "parse_url accepted " << url;
  return {};
}

TEST(Signer, UnparseableUrlIsShownWithoutUserInfoQueryOrControlCharacters) {
  const std::string password = parse_url_error("https://user:s3cretPassw0rd@host:bad/");
  EXPECT_EQ(password.find("s3cretPassw0rd"), std::string::npos) << password;
  EXPECT_NE(password.find("https://host:bad"), std::string::npos) << password;
  const std::string query = parse_url_error("https://host:bad/k?X-Amz-Signature=deadbeef");
  EXPECT_EQ(query.find("deadbeef"), std::string::npos) << query;
  const std::string escape = parse_url_error("https://host:\x1b]0;pwned\x07/");
  EXPECT_EQ(escape.find('\x1b'), std::string::npos) << escape;
  EXPECT_EQ(escape.find('\x07'), std::string::npos) << escape;
}

TEST(Signer, PresignExpiryOutsideOneToSevenDaysIsRejected) {
  auto req = parse_url("GET", "https://example.amazonaws.com/");
  auto s = SigningSettings::for_service("us-east-1", "service");
  s.presign_expires = 0;
  EXPECT_THROW((void)sign(req, Payload(), example_creds(), s, example_time()), SigningError);
  s.presign_expires = 604801;
  EXPECT_THROW((void)sign(req, Payload(), example_creds(), s, example_time()), SigningError);
  s.presign_expires = 604800;
  EXPECT_NO_THROW((void)sign(req, Payload(), example_creds(), s, example_time()));
}

TEST(Signer, SignerOwnedInputHeadersAreReplacedNotDuplicated) {
  auto req = parse_url("GET", "https://example.amazonaws.com/");
  req.headers = {{"X-Amz-Date", "19990101T000000Z"}, {"Authorization", "old"}};
  const auto r = sign(req, Payload(), example_creds(),
                      SigningSettings::for_service("us-east-1", "service"), example_time());
  EXPECT_EQ(r.signed_headers, "host;x-amz-date");
  EXPECT_NE(r.canonical_request.find("x-amz-date:20150830T123600Z"), std::string::npos);
}

TEST(Signer, ReusedResultGivesTheSameAnswerAsAFreshOne) {
  auto req = parse_url("GET", "https://example.amazonaws.com/?b=1&a=2");
  const auto s = SigningSettings::for_service("us-east-1", "service");
  SigningResult reused;
  auto presign = s;
  presign.presign_expires = 60;
  sign(req, Payload(), example_creds(), presign, example_time(), reused);
  sign(req, Payload(), example_creds(), s, example_time(), reused);
  const auto fresh = sign(req, Payload(), example_creds(), s, example_time());
  EXPECT_EQ(reused.canonical_request, fresh.canonical_request);
  EXPECT_EQ(reused.signature, fresh.signature);
  EXPECT_EQ(reused.headers.size(), fresh.headers.size());
  EXPECT_TRUE(reused.presigned_url.empty());
}

TEST(AmzDate, FormatsAndParsesUtc) {
  EXPECT_EQ(format_amz_date(*parse_amz_date("20240229T235959Z")), "20240229T235959Z");
  EXPECT_FALSE(parse_amz_date("20230229T000000Z"));
  EXPECT_FALSE(parse_amz_date("2024-01-01T00:00:00Z"));
  EXPECT_FALSE(parse_amz_date("20240101T246000Z"));
}

TEST(PayloadHasher, ChunkedHashEqualsOneShotHashAndHasherIsReusable) {
  std::string body(100000, 'a');
  PayloadHasher h;
  for (std::size_t i = 0; i < body.size(); i += 4096) {
    h.update(std::string_view(body).substr(i, 4096));
  }
  EXPECT_EQ(h.finish_hex(), sha256_hex(body));
  EXPECT_EQ(h.finish_hex(), std::string(kEmptyPayloadHash));
}

TEST(SigningKeyCache, DerivesOncePerSecretDateRegionService) {
  SigningKeyCache cache(8);
  const Scope a{"20150830", "us-east-1", "iam"};
  const Scope b{"20150831", "us-east-1", "iam"};
  const auto k1 = cache.get("secret", a);
  const auto k2 = cache.get("secret", a);
  EXPECT_EQ(k1.bytes(), k2.bytes());
  EXPECT_EQ(cache.derivations(), 1u);
  (void)cache.get("secret", b);
  (void)cache.get("other", a);
  EXPECT_EQ(cache.derivations(), 3u);
  EXPECT_EQ(derive_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", a).hex(),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST(SigningKeyCache, EvictsTheLeastRecentlyUsedBeyondCapacity) {
  SigningKeyCache cache(2);
  const Scope a{"20150830", "r1", "s"}, b{"20150830", "r2", "s"}, c{"20150830", "r3", "s"};
  (void)cache.get("k", a);
  (void)cache.get("k", b);
  (void)cache.get("k", a);
  (void)cache.get("k", c);  // evicts b
  (void)cache.get("k", a);
  EXPECT_EQ(cache.derivations(), 3u);
  (void)cache.get("k", b);
  EXPECT_EQ(cache.derivations(), 4u);
}

TEST(SignerConcurrency, ManyThreadsSignIdenticallyAndShareOneDerivation) {
  auto req = parse_url("POST", "https://sts.amazonaws.com/");
  const auto s = SigningSettings::for_service("us-east-1", "sts");
  const auto expected =
      sign(req, Payload::from_bytes("Action=GetCallerIdentity"), example_creds(), s, example_time())
          .signature;
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      SigningKeyCache local(4);
      for (int i = 0; i < 500; ++i) {
        const auto r = sign(req, Payload::from_bytes("Action=GetCallerIdentity"), example_creds(),
                            s, example_time());
        if (r.signature != expected) ++mismatches;
        (void)local.get("secret", Scope{"20150830", "us-east-1", std::to_string(i % 3)});
        (void)SigningKeyCache::shared().get("secret", Scope{"20150830", "us-east-1", "sts"});
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace

// Regression (fuzz_iso8601): X-Amz-Date years outside TimePoint's range are malformed dates,
// not an overflow.
namespace awsauth::signer {
namespace {
TEST(AmzDate, YearsTimePointCannotHoldAreRejectedNotOverflowed) {
  EXPECT_FALSE(parse_amz_date("00300101T000000Z"));
  EXPECT_FALSE(parse_amz_date("99991231T235959Z"));
  ASSERT_TRUE(parse_amz_date("22611231T235959Z"));
  EXPECT_EQ(format_amz_date(*parse_amz_date("22611231T235959Z")), "22611231T235959Z");
}
}  // namespace
}  // namespace awsauth::signer
