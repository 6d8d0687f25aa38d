// sign() keeps per-thread memos of what it derived last (the URI and query lines, the header
// layout, the scope lines, the signing key, the SHA-256 state of the canonical request's
// repeated start). A memo may only save work: every signature on a thread that signed other
// requests before must equal the one a fresh thread computes. These tests sign sequences of
// requests that differ in one input at a time and compare each result with a cold signature.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "awsauth/signer/signer.hpp"
#include "signer/src/crypto.hpp"

using namespace awsauth;
using namespace awsauth::signer;

namespace {

struct Case {
  std::string label;
  Request request;
  Payload payload;
  Credentials credentials;
  SigningSettings settings;
  TimePoint time;
};

Credentials keys(std::string akid, std::string secret, std::string token) {
  return Credentials({.access_key_id = std::move(akid),
                      .secret_access_key = SecretString(std::move(secret)),
                      .session_token = SecretString(std::move(token))});
}

Case base_case() {
  Request r =
      parse_url("GET", "https://bucket.s3.us-east-1.amazonaws.com/photos/cat%20pic.jpg?a=1&b=2");
  r.headers = {{"host", "bucket.s3.us-east-1.amazonaws.com"}, {"x-amz-meta-k", "v"}};
  return {"base",
          r,
          Payload(),
          keys("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token/with+base64=="),
          SigningSettings::for_service("us-east-1", "s3"),
          *parse_amz_date("20240101T000000Z")};
}

// Each variant changes one input of the base case.
std::vector<Case> variants() {
  std::vector<Case> out;
  auto add = [&](std::string label, const std::function<void(Case&)>& change) {
    Case c = base_case();
    c.label = std::move(label);
    change(c);
    out.push_back(std::move(c));
  };
  add("base", [](Case&) {});
  add("path, same length", [](Case& c) { c.request.path = "/photos/dog%20pic.jpg"; });
  add("path, longer", [](Case& c) { c.request.path = "/photos/2024/a/b/c/d/e/f/g/cat.jpg"; });
  add("query value", [](Case& c) { c.request.query = "a=1&b=3"; });
  add("query, one more", [](Case& c) { c.request.query = "a=1&b=2&c"; });
  add("no query", [](Case& c) { c.request.query.clear(); });
  add("header value", [](Case& c) { c.request.headers[1].value = "w"; });
  add("header name case", [](Case& c) { c.request.headers[1].name = "X-Amz-Meta-K"; });
  add("header added", [](Case& c) { c.request.headers.push_back({"accept", "*/*"}); });
  add("header removed", [](Case& c) { c.request.headers.pop_back(); });
  add("repeated header", [](Case& c) { c.request.headers.push_back({"x-amz-meta-k", " w  x "}); });
  add("repeated header, order swapped", [](Case& c) {
    c.request.headers.push_back({"x-amz-meta-k", "w"});
    std::swap(c.request.headers[1], c.request.headers[2]);
  });
  add("host from Request::host",
      [](Case& c) { c.request.headers.erase(c.request.headers.begin()); });
  add("long header before x-amz-date", [](Case& c) {
    c.request.headers.push_back({"content-type", std::string(300, 'c')});
  });
  add("double_encode", [](Case& c) { c.settings.double_encode = true; });
  add("normalize_path", [](Case& c) {
    c.settings.normalize_path = true;
    c.request.path = "/photos/./x/../cat%20pic.jpg";
  });
  add("region", [](Case& c) { c.settings.region = "eu-west-1"; });
  add("service", [](Case& c) { c.settings.service = "s4"; });
  add("one second later", [](Case& c) { c.time += std::chrono::seconds(1); });
  add("one day later", [](Case& c) { c.time += std::chrono::hours(24); });
  add("access key id", [](Case& c) {
    c.credentials =
        keys("AKIDOTHER", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token/with+base64==");
  });
  add("secret", [](Case& c) {
    c.credentials = keys("AKIDEXAMPLE", "another-secret", "token/with+base64==");
  });
  add("token", [](Case& c) {
    c.credentials = keys("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "other");
  });
  add("no token", [](Case& c) {
    c.credentials = keys("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "");
  });
  add("omit_session_token", [](Case& c) { c.settings.omit_session_token = true; });
  add("no x-amz-content-sha256", [](Case& c) { c.settings.add_content_sha256 = false; });
  add("caller's x-amz-content-sha256", [](Case& c) {
    c.settings.add_content_sha256 = false;
    c.request.headers.push_back({"X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"});
  });
  add("payload", [](Case& c) { c.payload = Payload::from_bytes("body"); });
  add("presign 900", [](Case& c) { c.settings.presign_expires = 900; });
  add("presign 60", [](Case& c) { c.settings.presign_expires = 60; });
  add("presign, omit token", [](Case& c) {
    c.settings.presign_expires = 900;
    c.settings.omit_session_token = true;
  });
  add("POST", [](Case& c) { c.request.method = "POST"; });
  return out;
}

SigningResult cold(const Case& c) {
  SigningResult result;
  std::thread([&] {
    sign(c.request, c.payload, c.credentials, c.settings, c.time, result);
  }).join();
  return result;
}

void expect_same(const SigningResult& warm, const SigningResult& fresh, const std::string& what) {
  EXPECT_EQ(warm.canonical_request, fresh.canonical_request) << what;
  EXPECT_EQ(warm.string_to_sign, fresh.string_to_sign) << what;
  EXPECT_EQ(warm.signature, fresh.signature) << what;
  EXPECT_EQ(warm.signed_headers, fresh.signed_headers) << what;
  EXPECT_EQ(warm.credential_scope, fresh.credential_scope) << what;
  EXPECT_EQ(warm.amz_date, fresh.amz_date) << what;
  EXPECT_EQ(warm.payload_hash, fresh.payload_hash) << what;
  EXPECT_EQ(warm.signing_key.hex(), fresh.signing_key.hex()) << what;
  EXPECT_EQ(warm.presigned_url, fresh.presigned_url) << what;
  ASSERT_EQ(warm.headers.size(), fresh.headers.size()) << what;
  for (std::size_t i = 0; i < warm.headers.size(); ++i) {
    EXPECT_EQ(warm.headers[i].name, fresh.headers[i].name) << what;
    EXPECT_EQ(warm.headers[i].value, fresh.headers[i].value) << what;
  }
}

TEST(SignerMemo, EveryInputChangeAfterTheBaseRequestGivesTheColdSignature) {
  const auto cases = variants();
  std::thread([&] {
    SigningResult reused;
    for (const auto& c : cases) {
      // base, then the variant, then base again: each memo is filled by one and must miss on
      // the other.
      for (const Case* step : {&cases.front(), &c, &cases.front()}) {
        sign(step->request, step->payload, step->credentials, step->settings, step->time, reused);
        expect_same(reused, cold(*step), "after " + c.label + ": " + step->label);
      }
    }
  }).join();
}

TEST(SignerMemo, AnyOrderOfTheVariantsGivesTheColdSignatures) {
  const auto cases = variants();
  std::vector<SigningResult> fresh;
  for (const auto& c : cases) fresh.push_back(cold(c));
  std::thread([&] {
    // Each case after each other case, on one thread, into fresh and reused results.
    SigningResult reused;
    for (std::size_t stride = 1; stride < cases.size(); ++stride) {
      for (std::size_t i = 0, k = 0; i < cases.size(); ++i, k = (k + stride) % cases.size()) {
        const auto& c = cases[k];
        sign(c.request, c.payload, c.credentials, c.settings, c.time, reused);
        expect_same(reused, fresh[k], c.label + " (stride " + std::to_string(stride) + ")");
      }
    }
  }).join();
}

TEST(PrefixHasher, AlwaysGivesTheSha256OfTheWholeMessage) {
  crypto::PrefixHasher hasher;
  const std::string a(300, 'a');
  std::vector<std::pair<std::string, std::size_t>> messages = {
      {a, 200},                                // keeps 3 blocks
      {a, 200},                                // reuses them (1)
      {a + "tail", 10},                        // longer, same start: reuses (2)
      {std::string(100, 'a'), 100},            // shorter than the kept 3 blocks: keeps 1
      {std::string(191, 'a') + "b" + a, 250},  // reuses that block (3), keeps 3 again
      {std::string(191, 'a') + "b" + a, 250},  // reuses them (4)
      {std::string(192, 'a'), 192},            // differs in the third block: from the start
      {"", 0},
      {"b" + a, 300},
  };
  for (const auto& [message, repeats] : messages) {
    EXPECT_EQ(hasher.hash(message, repeats), crypto::sha256(message))
        << message.size() << " bytes, " << repeats << " repeated";
  }
  EXPECT_EQ(hasher.reused(), 4u);
}

}  // namespace

namespace {

TEST(PrefixHasher, StartedFromAnHmacKeysInnerStateGivesTheHmac) {
  const std::string key_bytes = "a 32-byte signing key, say......";
  const auto* key = reinterpret_cast<const std::uint8_t*>(key_bytes.data());
  const crypto::HmacKey hmac(key, key_bytes.size());
  crypto::PrefixHasher hasher;
  hasher.restart_from(hmac.inner_state());
  const std::string head(64, 'h');
  for (const std::string& message :
       {head + "one", head + "two", std::string("short"), head + "three", std::string()}) {
    EXPECT_EQ(hmac.finish(hasher.hash(message, 64)),
              crypto::hmac_sha256(key, key_bytes.size(), message))
        << message;
  }
  // "two" reuses the first block; "short" drops it, so "three" hashes from the key again.
  EXPECT_EQ(hasher.reused(), 1u);
}

}  // namespace
