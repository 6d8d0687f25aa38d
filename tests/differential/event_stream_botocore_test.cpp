// Differential test of the event stream framing and signing: generated streams (fixed seed)
// signed by awsauth, then re-encoded and re-signed by an independent Python implementation
// (struct, zlib's CRC32, hashlib, hmac) and decoded by botocore's EventStreamBuffer, in the
// pieces a reader might get them (event_stream_oracle.py says exactly what each checks).

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "awsauth/detail/json.hpp"
#include "awsauth/signer/event_stream.hpp"
#include "awsauth/signer/payload.hpp"
#include "awsauth/signer/signer.hpp"
#include "python_oracle.hpp"

namespace awsauth::signer {
namespace {

constexpr int kStreams = 60;
constexpr std::uint32_t kSeed = 20261117;

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

struct Generated {
  std::string input;  // JSON lines for the oracle
  std::vector<std::vector<std::string>> inner_hex;
  std::vector<std::vector<std::string>> outer_hex;  // the end frame last
  std::vector<std::vector<std::string>> signatures;
  std::map<std::string, int> seen;
};

// A header value of type `type`, and its description for the oracle ([name, type, value]).
EventStreamHeaderValue random_value(int type, std::mt19937_64& rng, std::string& json) {
  static const char* kStrings[] = {"",
                                   "event",
                                   "application/json",
                                   "caf\xc3\xa9",
                                   "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
                                   "a b\tc",
                                   "Audio/PCM; rate=16000"};
  const auto any = [&] { return rng(); };
  switch (type) {
    case 0:
      json += "true";
      return true;
    case 1:
      json += "false";
      return false;
    case 2: {
      const auto v = static_cast<std::int8_t>(any());
      json += std::to_string(v);
      return v;
    }
    case 3: {
      const auto v = static_cast<std::int16_t>(any());
      json += std::to_string(v);
      return v;
    }
    case 4: {
      const auto v = static_cast<std::int32_t>(any());
      json += std::to_string(v);
      return v;
    }
    case 5: {
      const auto v = static_cast<std::int64_t>(any());
      json += std::to_string(v);
      return v;
    }
    case 6: {
      std::string bytes(any() % 40, '\0');
      for (auto& c : bytes) c = static_cast<char>(any());
      json += "\"" + to_hex(bytes) + "\"";
      return EventStreamBytes{bytes};
    }
    case 7: {
      const std::string s = kStrings[any() % std::size(kStrings)];
      detail::append_json_string(json, s);
      return s;
    }
    case 8: {
      // Milliseconds on both sides of 1970.
      const auto ms = static_cast<std::int64_t>(any() % 8000000000000ULL) - 1000000000000LL;
      json += std::to_string(ms);
      return EventStreamTimestamp(std::chrono::milliseconds(ms));
    }
    default: {
      EventStreamUuid u;
      for (auto& b : u) b = static_cast<std::uint8_t>(any());
      json += "\"" + to_hex(std::string_view(reinterpret_cast<const char*>(u.data()), 16)) + "\"";
      return u;
    }
  }
}

Generated generate() {
  static const char* kRegions[] = {"us-east-1", "eu-west-1", "ap-northeast-1", "us-gov-west-1"};
  static const char* kServices[] = {"transcribe", "bedrock", "lex", "kinesis", "s3"};
  Generated g;
  std::mt19937_64 rng(kSeed);
  for (int id = 0; id < kStreams; ++id) {
    const std::string region = kRegions[rng() % std::size(kRegions)];
    const std::string service = kServices[rng() % std::size(kServices)];
    const std::string secret = "secret-" + std::to_string(rng() % 100000) + "/K7MDENG+bPxRf";
    const Credentials credentials(
        {.access_key_id = "AKIDEXAMPLE", .secret_access_key = SecretString(secret)});
    // Half the streams start two minutes before midnight UTC, so many cross it.
    const auto day =
        std::chrono::sys_days(std::chrono::year(2020 + static_cast<int>(rng() % 8)) / 1 / 1) +
        std::chrono::days(rng() % 365);
    TimePoint time = day + std::chrono::hours(id % 2 == 0 ? 23 : 11) + std::chrono::minutes(58) +
                     std::chrono::milliseconds(rng() % 1000);
    const auto seed =
        sign(parse_url("POST", "https://" + service + "." + region + ".amazonaws.com/stream"),
             Payload::precomputed(kEventStreamPayloadHash), credentials,
             SigningSettings::for_service(region, service), time);
    EventStreamSigner signer(seed, credentials);
    std::string line = "{\"id\":" + std::to_string(id) + ",\"secret\":";
    detail::append_json_string(line, secret);
    line += ",\"region\":\"" + region + "\",\"service\":\"" + service + "\",\"seed\":\"" +
            seed.signature + "\",\"messages\":[";
    std::vector<std::string> inner_hex;
    std::vector<std::string> outer_hex;
    std::vector<std::string> signatures;
    std::string body;
    const int count = static_cast<int>(rng() % 8);
    const std::string first_day = format_amz_date(time).substr(0, 8);
    for (int i = 0; i < count; ++i) {
      time += std::chrono::milliseconds(rng() % 90000);
      EventStreamMessage inner;
      const int headers = static_cast<int>(rng() % 7);
      line += i == 0 ? "{" : ",{";
      line += "\"time_ms\":" +
              std::to_string(
                  std::chrono::floor<std::chrono::milliseconds>(time).time_since_epoch().count()) +
              ",\"headers\":[";
      for (int h = 0; h < headers; ++h) {
        const int type = static_cast<int>(rng() % 10);
        g.seen["type " + std::to_string(type)]++;
        const std::string name = (h % 2 == 0 ? ":h" : "x-amz-") + std::to_string(h);
        line += h == 0 ? "[" : ",[";
        detail::append_json_string(line, name);
        line += "," + std::to_string(type) + ",";
        inner.headers.push_back({name, random_value(type, rng, line)});
        line += "]";
      }
      inner.payload.resize(rng() % 1500);
      for (auto& c : inner.payload) c = static_cast<char>(rng());
      std::string encoded;
      encode_message(inner, encoded);
      std::string outer;
      signer.sign_message(inner, time, outer);
      body += outer;
      inner_hex.push_back(to_hex(encoded));
      outer_hex.push_back(to_hex(outer));
      signatures.push_back(signer.previous_signature());
      line += "],\"payload_hex\":\"" + to_hex(inner.payload) + "\",\"inner_hex\":\"" +
              inner_hex.back() + "\",\"outer_hex\":\"" + outer_hex.back() + "\"}";
      g.seen["messages"]++;
    }
    time += std::chrono::milliseconds(rng() % 5000);
    std::string end;
    signer.finish(time, end);
    body += end;
    outer_hex.push_back(to_hex(end));
    signatures.push_back(signer.previous_signature());
    if (format_amz_date(time).substr(0, 8) != first_day) g.seen["crosses midnight"]++;
    line += "],\"end\":{\"time_ms\":" +
            std::to_string(
                std::chrono::floor<std::chrono::milliseconds>(time).time_since_epoch().count()) +
            ",\"outer_hex\":\"" + outer_hex.back() + "\"},\"cuts\":[";
    std::vector<std::size_t> cuts;
    for (int c = 0; c < 6; ++c) cuts.push_back(rng() % (body.size() + 1));
    std::sort(cuts.begin(), cuts.end());
    for (std::size_t c = 0; c < cuts.size(); ++c) {
      line += (c == 0 ? "" : ",") + std::to_string(cuts[c]);
    }
    line += "]}\n";
    g.input += line;
    g.inner_hex.push_back(std::move(inner_hex));
    g.outer_hex.push_back(std::move(outer_hex));
    g.signatures.push_back(std::move(signatures));
  }
  return g;
}

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array) {
  std::vector<std::string> out;
  for (unsigned i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
  return out;
}

TEST(EventStreamMatchesIndependentOracles, GeneratedStreamsEncodeSignAndDecodeIdentically) {
  const Generated g = generate();
  const auto answers = test::run_json_lines_oracle("event_stream_oracle.py", "", g.input);
  ASSERT_EQ(answers.size(), static_cast<std::size_t>(kStreams));
  int mismatches = 0;
  for (const auto& a : answers) {
    const auto id = static_cast<std::size_t>(a->getValue<int>("id"));
    ASSERT_LT(id, g.inner_hex.size());
    const auto report = [&](const std::string& what) {
      if (++mismatches <= 5) ADD_FAILURE() << "stream " << id << ": " << what;
    };
    if (strings(a->getArray("inner_hex")) != g.inner_hex[id]) {
      report("inner messages encode differently");
    }
    if (strings(a->getArray("signatures")) != g.signatures[id]) report("signatures differ");
    if (strings(a->getArray("outer_hex")) != g.outer_hex[id]) {
      report("signed frames differ");
    }
    EXPECT_EQ(static_cast<std::size_t>(a->getValue<int>("botocore_messages")),
              g.outer_hex[id].size())
        << id;
    const auto errors = strings(a->getArray("botocore_errors"));
    for (const auto& e : errors) report("botocore: " + e);
  }
  EXPECT_EQ(mismatches, 0);
  // The mix covers what it is for: every header type, many messages, midnight crossings.
  for (int type = 0; type < 10; ++type) {
    EXPECT_GE(g.seen.at("type " + std::to_string(type)), 20) << "header type " << type;
  }
  EXPECT_GE(g.seen.at("messages"), 150);
  EXPECT_GE(g.seen.at("crosses midnight"), 10);
}

}  // namespace
}  // namespace awsauth::signer
