// SigV4a behaviour the v4a vectors do not cover: region sets, what it refuses, the derived-key
// cache and its thread safety. Signatures are checked by verification (ECDSA is randomized).

#include "awsauth/signer/sigv4a.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "awsauth/signer/signer.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
// The public key of AKIDEXAMPLE / kSecret, as the suite's v4a/*/public-key.json gives it.
constexpr const char* kPublicKey =
    "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1"
    "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518";

Credentials creds(const std::string& token = "") {
  return Credentials({.access_key_id = "AKIDEXAMPLE",
                      .secret_access_key = SecretString(kSecret),
                      .session_token = SecretString(token)});
}

TimePoint example_time() { return *parse_amz_date("20150830T123600Z"); }

SigningSettings v4a(std::string region_set, std::string region = "") {
  auto s = SigningSettings::for_service(std::move(region), "service");
  s.algorithm = SigningAlgorithm::V4a;
  s.region_set = std::move(region_set);
  return s;
}

Request example_request() {
  auto r = parse_url("GET", "https://example.amazonaws.com/a/b?x=1");
  r.headers.push_back({"X-Custom", "v"});
  return r;
}

std::string header(const SigningResult& r, std::string_view name) {
  for (const auto& h : r.headers) {
    if (h.name == name) return h.value;
  }
  return "<absent>";
}

std::string signing_error(const SigningSettings& s, const Credentials& c = creds()) {
  try {
    (void)sign(example_request(), Payload(), c, s, example_time());
  } catch (const SigningError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(SigV4aSigning, MultiRegionSetIsSignedAsOneHeaderAndTheScopeHasNoRegion) {
  const auto r = sign(example_request(), Payload(), creds(),
                      v4a("us-east-1,us-west-2", "eu-west-1"), example_time());
  EXPECT_EQ(r.credential_scope, "20150830/service/aws4_request");
  EXPECT_EQ(header(r, "X-Amz-Region-Set"), "us-east-1,us-west-2");
  EXPECT_NE(r.canonical_request.find("\nx-amz-region-set:us-east-1,us-west-2\n"),
            std::string::npos);
  EXPECT_EQ(r.signed_headers, "host;x-amz-date;x-amz-region-set;x-custom");
  EXPECT_EQ(r.string_to_sign.substr(0, r.string_to_sign.rfind('\n')),
            "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request");
  EXPECT_EQ(header(r, "Authorization"),
            "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, "
            "SignedHeaders=host;x-amz-date;x-amz-region-set;x-custom, Signature=" +
                r.signature);
  EXPECT_TRUE(verify_sigv4a(r.string_to_sign, r.signature, kPublicKey));
  EXPECT_EQ(r.canonical_request.find("eu-west-1"), std::string::npos);
}

TEST(SigV4aSigning, WithoutARegionSetTheRegionIsTheSet) {
  const auto r = sign(example_request(), Payload(), creds(), v4a("", "ap-south-2"), example_time());
  EXPECT_EQ(header(r, "X-Amz-Region-Set"), "ap-south-2");
  EXPECT_EQ(r.credential_scope, "20150830/service/aws4_request");
}

TEST(SigV4aSigning, PresignEncodesTheRegionSetAndTheSessionTokenAndPutsTheSignatureLast) {
  auto s = v4a("us-east-1,*");
  s.presign_expires = 900;
  const auto r = sign(example_request(), Payload(), creds("tok/en+="), s, example_time());
  EXPECT_TRUE(r.headers.empty());
  EXPECT_EQ(r.presigned_query.rfind("x=1&X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&", 0), 0u)
      << r.presigned_query;
  EXPECT_NE(r.presigned_query.find("&X-Amz-Region-Set=us-east-1%2C%2A&"), std::string::npos);
  EXPECT_NE(r.presigned_query.find("&X-Amz-Security-Token=tok%2Fen%2B%3D&"), std::string::npos);
  EXPECT_NE(r.presigned_query.find("&X-Amz-Expires=900&"), std::string::npos);
  EXPECT_EQ(r.presigned_query.substr(r.presigned_query.rfind('&')),
            "&X-Amz-Signature=" + r.signature);
  // Canonical order: ... Expires, Region-Set, Security-Token, SignedHeaders; then x=1.
  EXPECT_NE(r.canonical_request.find("&X-Amz-Expires=900&X-Amz-Region-Set=us-east-1%2C%2A&"
                                     "X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-SignedHeaders="
                                     "host%3Bx-custom&x=1\n"),
            std::string::npos)
      << r.canonical_request;
  EXPECT_EQ(r.presigned_url, "https://example.amazonaws.com/a/b?" + r.presigned_query);
  EXPECT_TRUE(verify_sigv4a(r.string_to_sign, r.signature, kPublicKey));
}

TEST(SigV4aSigning, CallersRegionSetAndDateHeadersAreReplacedNotSignedTwice) {
  auto req = example_request();
  req.headers.push_back({"X-Amz-Region-Set", "forged"});
  req.headers.push_back({"x-amz-date", "19990101T000000Z"});
  const auto r = sign(req, Payload(), creds(), v4a("us-east-1"), example_time());
  EXPECT_EQ(r.canonical_request.find("forged"), std::string::npos);
  EXPECT_EQ(r.canonical_request.find("1999"), std::string::npos);
  EXPECT_EQ(r.signed_headers, "host;x-amz-date;x-amz-region-set;x-custom");
}

TEST(SigV4aSigning, SessionTokenAndContentShaHeadersAreAddedAndSigned) {
  auto s = v4a("us-east-1");
  s.add_content_sha256 = true;
  const auto r =
      sign(example_request(), Payload::from_bytes("body"), creds("TOKEN"), s, example_time());
  EXPECT_EQ(r.signed_headers,
            "host;x-amz-content-sha256;x-amz-date;x-amz-region-set;x-amz-security-token;x-custom");
  ASSERT_EQ(r.headers.size(), 5u);
  EXPECT_EQ(r.headers[0].name, "X-Amz-Date");
  EXPECT_EQ(r.headers[1].name, "X-Amz-Region-Set");
  EXPECT_EQ(r.headers[2].name, "X-Amz-Security-Token");
  EXPECT_EQ(r.headers[3].name, "X-Amz-Content-SHA256");
  EXPECT_EQ(r.headers[4].name, "Authorization");
  EXPECT_EQ(r.headers[3].value, sha256_hex("body"));
}

TEST(SigV4aSigning, SigV4OnTheSameThreadIsUnaffected) {
  // The SigV4 memos live in signer.cpp; a V4a signature in between must not disturb them.
  auto v4 = SigningSettings::for_service("us-east-1", "service");
  const auto before = sign(example_request(), Payload(), creds(), v4, example_time());
  (void)sign(example_request(), Payload(), creds(), v4a("us-east-1"), example_time());
  const auto after = sign(example_request(), Payload(), creds(), v4, example_time());
  EXPECT_EQ(before.signature, after.signature);
  EXPECT_EQ(after.credential_scope, "20150830/us-east-1/service/aws4_request");
  EXPECT_EQ(header(after, "X-Amz-Region-Set"), "<absent>");
}

TEST(SigV4aErrors, EmptyRegionSetWithEmptyRegionSaysARegionSetIsNeeded) {
  const std::string e = signing_error(v4a("", ""));
  EXPECT_NE(e.find("SigV4a signing needs a region set"), std::string::npos) << e;
}

TEST(SigV4aErrors, MalformedRegionSetsAreRefusedWithTheReason) {
  EXPECT_NE(signing_error(v4a("us-east-1,,us-west-2")).find("has an empty entry"),
            std::string::npos);
  EXPECT_NE(signing_error(v4a("us-east-1,")).find("has an empty entry"), std::string::npos);
  EXPECT_NE(signing_error(v4a("us-east-1, us-west-2")).find("a space, a control byte"),
            std::string::npos);
  EXPECT_NE(signing_error(v4a("us-east-1\r\nX: y")).find("a space, a control byte"),
            std::string::npos);
}

TEST(SigV4aErrors, MissingServiceBadExpiryAndMissingHostAreRefused) {
  auto s = v4a("us-east-1");
  s.service.clear();
  EXPECT_EQ(signing_error(s), "signing needs a service");
  s = v4a("us-east-1");
  s.presign_expires = 604801;
  EXPECT_EQ(signing_error(s), "presign expiry must be between 1 and 604800 seconds");
  Request no_host;
  no_host.method = "GET";
  EXPECT_THROW((void)sign(no_host, Payload(), creds(), v4a("us-east-1"), example_time()),
               SigningError);
}

TEST(SigV4aErrors, EmptyCredentialsAreRefusedWithoutEchoingTheSecret) {
  const Credentials no_key({.access_key_id = "", .secret_access_key = SecretString(kSecret)});
  const std::string e = signing_error(v4a("us-east-1"), no_key);
  EXPECT_NE(e.find("needs an access key id and a secret access key"), std::string::npos) << e;
  EXPECT_EQ(e.find(kSecret), std::string::npos);
  EXPECT_THROW((void)derive_sigv4a_key("AKID", ""), SigningError);
}

TEST(SigV4aVerify, MalformedPublicKeysThrowAndMalformedSignaturesAreInvalid) {
  const auto key = derive_sigv4a_key("AKIDEXAMPLE", kSecret);
  const std::string sig = key->sign("x");
  EXPECT_TRUE(verify_sigv4a("x", sig, kPublicKey));
  EXPECT_FALSE(verify_sigv4a("x", "not hex", kPublicKey));
  EXPECT_FALSE(verify_sigv4a("x", "", kPublicKey));
  EXPECT_FALSE(verify_sigv4a("x", sig.substr(0, sig.size() - 2), kPublicKey));
  EXPECT_THROW((void)verify_sigv4a("x", sig, "abcd"), SigningError);
  std::string off_curve(kPublicKey);
  off_curve.back() = off_curve.back() == '8' ? '9' : '8';
  EXPECT_THROW((void)verify_sigv4a("x", sig, off_curve), SigningError);
  // Another credential's key does not verify it.
  EXPECT_FALSE(verify_sigv4a("x", sig, derive_sigv4a_key("AKIDOTHER", kSecret)->public_key_hex()));
}

TEST(SigV4aKeyCacheLru, DerivesOncePerCredentialAndDropsTheLeastRecentlyUsed) {
  SigV4aKeyCache cache(2);
  const auto a = cache.get("AKID1", "secret-a");
  EXPECT_EQ(cache.get("AKID1", "secret-a"), a);
  EXPECT_EQ(cache.derivations(), 1u);
  const auto b = cache.get("AKID1", "secret-b");  // same id, another secret: another key
  EXPECT_NE(b->public_key_hex(), a->public_key_hex());
  (void)cache.get("AKID1", "secret-a");  // a is now the most recent
  (void)cache.get("AKID2", "secret-a");  // evicts b
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.derivations(), 3u);
  (void)cache.get("AKID1", "secret-a");
  EXPECT_EQ(cache.derivations(), 3u);
  const auto b_again = cache.get("AKID1", "secret-b");
  EXPECT_EQ(cache.derivations(), 4u);
  EXPECT_EQ(b_again->public_key_hex(), b->public_key_hex()) << "derivation is deterministic";
  EXPECT_EQ(cache.capacity(), 2u);
}

TEST(SigV4aKeyCacheConcurrency, ManyThreadsGetAndSignWhileKeysAreEvicted) {
  SigV4aKeyCache cache(2);
  const std::vector<std::pair<std::string, std::string>> credentials = {
      {"AKID1", "s1"}, {"AKID2", "s2"}, {"AKID3", "s3"}};
  std::vector<std::string> public_keys;
  for (const auto& [id, secret] : credentials) {
    public_keys.push_back(derive_sigv4a_key(id, secret)->public_key_hex());
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 60; ++i) {
        const std::size_t which = static_cast<std::size_t>(t + i) % credentials.size();
        const auto key = cache.get(credentials[which].first, credentials[which].second);
        const std::string message = "message " + std::to_string(i);
        if (key->public_key_hex() != public_keys[which] ||
            !verify_sigv4a(message, key->sign(message), public_keys[which])) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(cache.size(), 2u);
}

TEST(SigV4aSignConcurrency, ManyThreadsSignThroughTheSharedCacheAndEverySignatureVerifies) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      auto s = v4a(t % 2 == 0 ? "us-east-1" : "us-east-1,eu-west-1");
      if (t % 3 == 0) s.presign_expires = 60;
      SigningResult r;
      for (int i = 0; i < 40; ++i) {
        sign(example_request(), Payload(), creds(t % 2 == 0 ? "" : "TOKEN"), s,
             example_time() + std::chrono::seconds(i), r);
        if (!verify_sigv4a(r.string_to_sign, r.signature, kPublicKey)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
