// IAM Identity Center profiles resolved by botocore and by awsauth, each against its own copy
// of the same fake portal and SSO-OIDC on 127.0.0.1 (AWS_ENDPOINT_URL_SSO /
// AWS_ENDPOINT_URL_SSO_OIDC) and its own copy of the same HOME (config file and token cache),
// so both start from one state. Generated cases: legacy and sso-session profiles with fresh,
// near-expiry and expired tokens; refreshable or not (no refresh token, expired registration,
// a refresh token the service rejects, an answer without a new refresh token); a token the
// portal rejects; and profiles botocore refuses or passes over. Compared: the credentials (or
// that both fail), whether each refreshed, and the token cache file each left behind (same
// members and values; `expiresAt` of a refresh within a minute, as it is "now + expiresIn").
// botocore runs every case in one python3 process (sso_oracle.py).

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "awsauth/context.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/sso/sso_token_cache.hpp"
#include "fake_sso.hpp"
#include "loopback_server.hpp"
#include "paths.hpp"
#include "temp_dir.hpp"

namespace awsauth {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using providers::JsonCacheDocument;

constexpr const char* kStartUrl = "https://d-9999999999.awsapps.com/start";

std::string iso_in(std::chrono::seconds from_now) {
  return format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(
      std::chrono::system_clock::now() + from_now));
}

struct Case {
  std::string id;
  std::string config;
  std::string profile = "p";
  /// The token file's name key (session name, or start URL for a legacy profile) and
  /// contents; empty contents: no file.
  std::optional<std::string> session;
  std::string token_file;
  bool portal_accepts = true;
  std::function<void(test::FakeSso&)> setup;
  /// Members only awsauth keeps (botocore rewrites the file with its own members only).
  std::vector<std::string> awsauth_only_members;
};

// One side's world: a HOME and a fake IAM Identity Center.
struct Side {
  explicit Side(const Case& c, const fs::path& home_dir) : home(home_dir) {
    if (c.setup) c.setup(sso);
    const std::string token = "tok-" + c.id;
    if (c.portal_accepts) sso.accept_access_token(token);
    fs::create_directories(home / ".aws");
    std::ofstream(home / ".aws" / "config") << c.config;
    if (!c.token_file.empty()) test::write_file_creating_dirs(cache_path(c), c.token_file);
  }
  [[nodiscard]] std::string cache_path(const Case& c) const {
    return (home / ".aws" / "sso" / "cache" /
            (providers::sso_token_cache_key(kStartUrl, c.session) + ".json"))
        .string();
  }
  std::map<std::string, std::string, std::less<>> env() const {
    return {{"HOME", home.string()},
            {"AWS_EC2_METADATA_DISABLED", "true"},
            {"AWS_ENDPOINT_URL_SSO", server.url("")},
            {"AWS_ENDPOINT_URL_SSO_OIDC", server.url("")},
            {"AWS_CONFIG_FILE", (home / ".aws" / "config").string()},
            {"AWS_SHARED_CREDENTIALS_FILE", (home / ".aws" / "credentials").string()}};
  }

  fs::path home;
  test::FakeSso sso;
  test::LoopbackServer server{sso.handler()};
};

std::string session_profile(const std::string& extra = "") {
  return "[profile p]\nsso_session = corp\nsso_account_id = 111122223333\n"
         "sso_role_name = Developer\n" +
         extra + "\n[sso-session corp]\nsso_start_url = " + kStartUrl +
         "\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n";
}
std::string legacy_profile() {
  return std::string("[profile p]\nsso_start_url = ") + kStartUrl +
         "\nsso_region = us-east-1\nsso_account_id = 444455556666\nsso_role_name = ReadOnly\n";
}
std::string token(const std::string& id, std::chrono::seconds left, bool refreshable,
                  const std::string& refresh = "refresh-1",
                  std::chrono::seconds registration_left = 90 * 24h,
                  const std::string& extra = "") {
  std::string text = std::string(R"({"startUrl": ")") + kStartUrl +
                     R"(", "region": "us-east-1", "accessToken": "tok-)" + id +
                     R"(", "expiresAt": ")" + iso_in(left) + "\"";
  if (refreshable) {
    text += R"(, "clientId": "client-id-1", "clientSecret": "client-secret-1", )"
            R"("registrationExpiresAt": ")" +
            iso_in(registration_left) + R"(", "refreshToken": ")" + refresh + "\"";
  }
  return text + extra + "}";
}

std::vector<Case> generate() {
  std::vector<Case> cases;
  auto add = [&](Case c) { cases.push_back(std::move(c)); };
  // Legacy profiles: the token keyed by the start URL, never refreshed.
  for (const auto& [name, left] : std::vector<std::pair<std::string, std::chrono::seconds>>{
           {"legacy-fresh", 8h}, {"legacy-near", 10min}, {"legacy-expired", -1h}}) {
    add({.id = name, .config = legacy_profile(), .token_file = token(name, left, false)});
  }
  // sso-session profiles.
  for (const auto& [name, left] : std::vector<std::pair<std::string, std::chrono::seconds>>{
           {"session-fresh", 8h},
           {"session-just-outside-window", 16min},
           {"session-near", 10min},
           {"session-expired", -1h}}) {
    add({.id = name,
         .config = session_profile(),
         .session = "corp",
         .token_file = token(name, left, true)});
  }
  add({.id = "session-near-no-refresh-token",
       .config = session_profile(),
       .session = "corp",
       .token_file = token("session-near-no-refresh-token", 10min, false)});
  add({.id = "session-expired-no-refresh-token",
       .config = session_profile(),
       .session = "corp",
       .token_file = token("session-expired-no-refresh-token", -1h, false)});
  add({.id = "session-near-registration-expired",
       .config = session_profile(),
       .session = "corp",
       .token_file = token("session-near-registration-expired", 10min, true, "refresh-1", -1h)});
  add({.id = "session-near-refresh-rejected",
       .config = session_profile(),
       .session = "corp",
       .token_file = token("session-near-refresh-rejected", 10min, true, "refresh-revoked")});
  add({.id = "session-expired-refresh-rejected",
       .config = session_profile(),
       .session = "corp",
       .token_file = token("session-expired-refresh-rejected", -1h, true, "refresh-revoked")});
  add({.id = "session-near-no-new-refresh-token",
       .config = session_profile(),
       .session = "corp",
       .token_file = token("session-near-no-new-refresh-token", 10min, true),
       .setup = [](test::FakeSso& s) { s.rotate_refresh_token = false; }});
  add({.id = "session-near-unknown-member",
       .config = session_profile(),
       .session = "corp",
       .token_file = token("session-near-unknown-member", 10min, true, "refresh-1", 90 * 24h,
                           R"(, "x-newer-cli": {"kept": [1, 2]})"),
       .awsauth_only_members = {"x-newer-cli"}});
  add({.id = "portal-rejects-token",
       .config = session_profile(),
       .session = "corp",
       .token_file = token("portal-rejects-token", 8h, true),
       .portal_accepts = false});
  add({.id = "no-token-file", .config = session_profile(), .session = "corp"});
  add({.id = "same-region-in-profile-and-session",
       .config = session_profile("sso_region = us-east-1\n"),
       .session = "corp",
       .token_file = token("same-region-in-profile-and-session", 8h, true)});
  add({.id = "start-url-mismatch",
       .config = session_profile("sso_start_url = https://other.awsapps.com/start\n"),
       .session = "corp",
       .token_file = token("start-url-mismatch", 8h, true)});
  add({.id = "missing-session",
       .config = "[profile p]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n"});
  add({.id = "legacy-missing-region",
       .config = std::string("[profile p]\nsso_start_url = ") + kStartUrl +
                 "\nsso_account_id = 1\nsso_role_name = R\n"});
  // Only a session (for tokens) and keys: not an SSO credential profile for either.
  add({.id = "token-only-profile-with-keys",
       .config = std::string("[profile p]\nsso_session = corp\naws_access_key_id = AKIDKEYS\n"
                             "aws_secret_access_key = keysecret\n[sso-session corp]\n"
                             "sso_start_url = ") +
                 kStartUrl + "\nsso_region = us-east-1\n"});
  return cases;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Both cache files hold the same members with the same values; a refreshed `expiresAt`
// ("now + expiresIn" on each side) within a minute.
void expect_equivalent_cache_files(const Case& c, const std::string& ours,
                                   const std::string& theirs) {
  if (ours.empty() || theirs.empty()) {
    EXPECT_EQ(ours.empty(), theirs.empty()) << "one side has no token file";
    return;
  }
  const auto a = JsonCacheDocument::parse(ours);
  const auto b = JsonCacheDocument::parse(theirs);
  std::vector<std::string> a_keys;
  for (const auto& k : a.keys()) {
    if (std::find(c.awsauth_only_members.begin(), c.awsauth_only_members.end(), k) ==
        c.awsauth_only_members.end()) {
      a_keys.push_back(k);
    } else {
      EXPECT_FALSE(b.has(k)) << k << " was expected to be dropped by botocore";
    }
  }
  auto b_keys = b.keys();
  std::sort(a_keys.begin(), a_keys.end());
  std::sort(b_keys.begin(), b_keys.end());
  ASSERT_EQ(a_keys, b_keys) << "awsauth:  " << ours << "\nbotocore: " << theirs;
  for (const auto& k : a_keys) {
    if (k == "expiresAt") {
      const auto ta = providers::parse_sso_cache_time(*a.string(k));
      const auto tb = providers::parse_sso_cache_time(*b.string(k));
      ASSERT_TRUE(ta && tb) << ours << "\n" << theirs;
      EXPECT_LE(std::chrono::abs(*ta - *tb), 60s) << *a.string(k) << " vs " << *b.string(k);
      continue;
    }
    // Values compared decoded (formatting aside): parse each member's JSON text.
    // (Built by appending: `"[" + string&&` trips GCC 12's -Wrestrict, PR105651.)
    const auto in_array = [](const std::string& json) {
      std::string out = "[";
      out += json;
      out += "]";
      return out;
    };
    const auto va = Poco::JSON::Parser().parse(in_array(*a.raw(k)));
    const auto vb = Poco::JSON::Parser().parse(in_array(*b.raw(k)));
    std::ostringstream sa, sb;
    Poco::JSON::Stringifier::stringify(va, sa);
    Poco::JSON::Stringifier::stringify(vb, sb);
    EXPECT_EQ(sa.str(), sb.str()) << "member " << k;
  }
}

TEST(SsoDifferential, AwsauthResolvesAndRefreshesLikeBotocore) {
  test::TempDir root;
  const auto cases = generate();
  std::vector<std::unique_ptr<Side>> ours, theirs;
  Poco::JSON::Array input;
  for (const auto& c : cases) {
    ours.push_back(std::make_unique<Side>(c, fs::path(root.path()) / c.id / "awsauth"));
    theirs.push_back(std::make_unique<Side>(c, fs::path(root.path()) / c.id / "botocore"));
    Poco::JSON::Object o;
    o.set("id", c.id);
    o.set("profile", c.profile);
    Poco::JSON::Object env;
    for (const auto& [k, v] : theirs.back()->env()) env.set(k, v);
    o.set("env", env);
    input.add(o);
  }
  {
    std::ofstream out(fs::path(root.path()) / "cases.json");
    input.stringify(out);
  }

  ProcessRequest oracle;
  oracle.argv = {"python3", test::source_dir() + "/tests/differential/sso_oracle.py",
                 (fs::path(root.path()) / "cases.json").string(),
                 (fs::path(root.path()) / "results.json").string()};
  oracle.timeout = std::chrono::minutes(3);
  oracle.pass_through_stderr = false;
  const auto ran = make_system_process_runner()->run(oracle);
  ASSERT_EQ(ran.exit_code, 0) << "the botocore oracle failed (botocore must be importable):\n"
                              << ran.stderr_data;
  const auto results = Poco::JSON::Parser()
                           .parse(read((fs::path(root.path()) / "results.json").string()))
                           .extract<Poco::JSON::Object::Ptr>();

  int resolved = 0, failed = 0, refreshed = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    SCOPED_TRACE(c.id + "\n" + c.config + "\n" + c.token_file);
    ASSERT_TRUE(results->has(c.id));
    const auto expected = results->getObject(c.id);

    Context ctx;
    ctx.environment = std::make_shared<MapEnvironment>(ours[i]->env());
    ctx.files = std::make_shared<RealFileSystem>();
    ctx.clock = std::make_shared<SystemClock>();
    ctx.random = std::make_shared<SystemRandom>();
    ctx.http = make_poco_http_client();
    ctx.processes = make_system_process_runner();
    ctx.resolver = make_system_resolver();
    try {
      const auto credentials =
          providers::make_default_credentials_provider(ctx, {.profile = c.profile})->get();
      ASSERT_FALSE(expected->has("error"))
          << "awsauth found " << credentials->access_key_id()
          << " where botocore failed: " << expected->getValue<std::string>("error");
      EXPECT_EQ(credentials->access_key_id(), expected->getValue<std::string>("access_key_id"));
      EXPECT_EQ(credentials->secret_access_key().reveal(),
                expected->getValue<std::string>("secret_access_key"));
      EXPECT_EQ(credentials->session_token().reveal(),
                expected->getValue<std::string>("session_token"));
      EXPECT_EQ(credentials->provider_name(), expected->getValue<std::string>("method"));
      EXPECT_EQ(credentials->expiration() ? format_iso8601(*credentials->expiration()) : "",
                expected->getValue<std::string>("expiration"));
      ++resolved;
    } catch (const CredentialsError& e) {
      EXPECT_TRUE(expected->has("error"))
          << "awsauth failed where botocore found "
          << expected->optValue<std::string>("access_key_id", "?") << ": " << e.what();
      ++failed;
    }
    EXPECT_EQ(ours[i]->sso.tokens_created.load(), theirs[i]->sso.tokens_created.load())
        << "one side refreshed the token and the other did not";
    EXPECT_EQ(ours[i]->server.request_count(), theirs[i]->server.request_count());
    if (ours[i]->sso.tokens_created.load() > 0) ++refreshed;
    expect_equivalent_cache_files(c, read(ours[i]->cache_path(c)), read(theirs[i]->cache_path(c)));
  }
  // The generator's mix, so a change that makes every case fail (or none) is noticed.
  EXPECT_EQ(resolved, 13);
  EXPECT_EQ(failed, 8);
  EXPECT_EQ(refreshed, 4);
}

}  // namespace
}  // namespace awsauth
