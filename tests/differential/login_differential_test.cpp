// `aws login` sessions against botocore 1.43.11: for generated login_session profiles whose
// cached credentials are fresh, inside botocore's advisory window, about to expire or expired
// (and sessions the service no longer knows, files missing fields, no file), awsauth's default
// chain and botocore's resolve the same credentials through the same loopback sign-in service
// (AWS_ENDPOINT_URL_SIGNIN) and leave equivalent token files (botocore runs on a copy of the
// cache directory). The service verifies every DPoP proof from both clients; both clients'
// proof headers must be byte-identical and their claims differ only in iat and jti.
// login_oracle.py explains why botocore's awscrt EC is supplied through `cryptography`.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "awsauth/context.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/login/login_token.hpp"
#include "fake_signin.hpp"
#include "loopback_server.hpp"
#include "paths.hpp"
#include "test_context.hpp"

namespace awsauth {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct TempDir {
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "awsauth-login-diff-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

enum class State { Fresh, Advisory, NearExpiry, Expired, Revoked, MissingField, NoFile };

const char* to_string(State s) {
  switch (s) {
    case State::Fresh:
      return "fresh (20 min left)";
    case State::Advisory:
      return "in botocore's advisory window (10 min left)";
    case State::NearExpiry:
      return "near expiry (2 min left)";
    case State::Expired:
      return "expired an hour ago";
    case State::Revoked:
      return "expired, refresh token unknown to the service";
    case State::MissingField:
      return "file without clientId";
    case State::NoFile:
      return "no cache file";
  }
  return "?";
}

struct Case {
  std::string profile;
  std::string session;
  State state;
  fs::path config;
  fs::path awsauth_dir;
  fs::path botocore_dir;
  std::string file_name;
  bool ok = false;
  std::string error;
  CredentialsPtr credentials;
};

std::string field(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  return o->has(key) && !o->isNull(key) ? o->get(key).convert<std::string>() : "";
}

// The claims without the per-request iat and jti.
std::string stable_claims(const std::string& claims) {
  static const std::regex iat(R"("iat":[0-9]+)");
  static const std::regex jti(R"("jti":"[^"]*")");
  return std::regex_replace(std::regex_replace(claims, iat, "\"iat\":N"), jti, "\"jti\":\"J\"");
}

TEST(LoginDifferential, AgreesWithBotocoreOnFreshNearExpiryExpiredAndBrokenSessions) {
  TempDir root;
  const std::string pem = test::generate_ec_pem();
  test::FakeSignin signin(pem, "unused");
  test::LoopbackServer server(signin.handler());
  const std::string endpoint = server.url("");

  const std::vector<std::string> sessions = {
      "arn:aws:iam::123456789012:user/Admin",
      "arn:aws:sts::111122223333:assumed-role/Developer/alice@example.com",
      "sessi\xc3\xb3n \xc3\xbcnicode"};
  const std::vector<State> states = {State::Fresh,   State::Advisory, State::NearExpiry,
                                     State::Expired, State::Revoked,  State::MissingField,
                                     State::NoFile};
  std::vector<Case> cases;
  for (const State state : states) {
    for (std::size_t s = 0; s < sessions.size(); ++s) {
      Case c;
      c.profile = "p" + std::to_string(cases.size());
      c.session = sessions[s];
      c.state = state;
      const fs::path dir = root.path / c.profile;
      fs::create_directories(dir / "awsauth-cache");
      fs::create_directories(dir / "botocore-cache");
      c.config = dir / "config";
      c.awsauth_dir = dir / "awsauth-cache";
      c.botocore_dir = dir / "botocore-cache";
      c.file_name = providers::login_cache_file_name(c.session);
      std::ofstream(c.config) << "[profile " << c.profile << "]\nlogin_session = " << c.session
                              << "\nregion = us-east-1\n";
      if (state != State::NoFile) {
        test::LoginCacheFile file;
        file.dpop_key = pem;
        file.access_key_id = "ASIACACHED" + std::to_string(cases.size());
        file.refresh_token = "refresh-" + c.profile;
        if (state != State::Revoked) signin.accept_refresh_token(file.refresh_token);
        const auto now = std::chrono::system_clock::now();
        const auto left = state == State::Fresh        ? std::chrono::seconds(20min)
                          : state == State::Advisory   ? std::chrono::seconds(10min)
                          : state == State::NearExpiry ? std::chrono::seconds(2min)
                                                       : std::chrono::seconds(-1h);
        file.expires_at = format_iso8601(now + left);
        file.extra = R"("idToken": "eyJ.id.token", "cliVersion": "2.31.0", )"
                     R"("nested": {"list": [1, 2.5, true, null, "x"], "s": "caf\u00e9"})";
        if (s == 2) file.extra.clear();
        std::string text = test::login_cache_json(file);
        if (state == State::MissingField) {
          const std::string client = R"(, "clientId": ")" + file.client_id + "\"";
          text.erase(text.find(client), client.size());
        }
        std::ofstream(c.awsauth_dir / c.file_name) << text;
        std::ofstream(c.botocore_dir / c.file_name) << text;
      }
      cases.push_back(std::move(c));
    }
  }

  // awsauth first, every case on its own chain.
  std::size_t awsauth_requests = 0;
  for (Case& c : cases) {
    auto env = std::make_shared<MapEnvironment>();
    env->set("HOME", root.path.string());
    env->set("AWS_CONFIG_FILE", c.config.string());
    env->set("AWS_SHARED_CREDENTIALS_FILE", (root.path / "no-credentials-file").string());
    env->set("AWS_LOGIN_CACHE_DIRECTORY", c.awsauth_dir.string());
    env->set("AWS_ENDPOINT_URL_SIGNIN", endpoint);
    env->set("AWS_EC2_METADATA_DISABLED", "true");
    Context context = test::loopback_context(env, std::make_shared<RealFileSystem>());
    context.random = std::make_shared<SystemRandom>();
    try {
      c.credentials =
          providers::make_default_credentials_provider(context, {.profile = c.profile})->get();
      c.ok = true;
    } catch (const CredentialsError& e) {
      c.error = e.what();
    }
  }
  awsauth_requests = server.request_count();
  const auto awsauth_proofs = signin.proofs();

  // Then botocore on the copies.
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const Case& c : cases) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("profile", c.profile);
    o->set("config", c.config.string());
    o->set("botocore_cache_dir", c.botocore_dir.string());
    o->set("awsauth_cache_file", (c.awsauth_dir / c.file_name).string());
    o->set("botocore_cache_file", (c.botocore_dir / c.file_name).string());
    list->add(o);
  }
  Poco::JSON::Object manifest;
  manifest.set("endpoint", endpoint);
  manifest.set("home", root.path.string());
  manifest.set("cases", list);
  {
    std::ofstream out(root.path / "manifest.json");
    manifest.stringify(out);
  }
  auto runner = make_system_process_runner();
  ProcessRequest oracle;
  oracle.argv = {"python3", test::source_dir() + "/tests/differential/login_oracle.py",
                 (root.path / "manifest.json").string(), (root.path / "result.json").string()};
  oracle.timeout = std::chrono::minutes(3);
  oracle.pass_through_stderr = false;
  const auto ran = runner->run(oracle);
  ASSERT_EQ(ran.exit_code, 0) << "the botocore oracle failed:\n" << ran.stderr_data;
  std::ifstream in(root.path / "result.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto results = Poco::JSON::Parser()
                           .parse(text.str())
                           .extract<Poco::JSON::Object::Ptr>()
                           ->getArray("results");
  ASSERT_EQ(results->size(), cases.size());

  for (const auto& r : signin.rejections()) ADD_FAILURE() << "the service rejected: " << r;

  int refreshed = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const auto theirs = results->getObject(static_cast<unsigned>(i));
    SCOPED_TRACE(c.profile + " (" + c.session + "): " + to_string(c.state) +
                 "\nawsauth: " + (c.ok ? "ok" : c.error) +
                 "\nbotocore: " + (theirs->getValue<bool>("ok") ? "ok" : field(theirs, "error")));
    ASSERT_EQ(c.ok, theirs->getValue<bool>("ok"));
    EXPECT_TRUE(theirs->getValue<bool>("files_equivalent")) << field(theirs, "files_note");
    if (!c.ok) continue;
    EXPECT_EQ(c.credentials->access_key_id(), field(theirs, "access_key"));
    EXPECT_EQ(c.credentials->secret_access_key().reveal(), field(theirs, "secret_key"));
    EXPECT_EQ(c.credentials->session_token().reveal(), field(theirs, "token"));
    EXPECT_EQ(c.credentials->account_id().value_or(""), field(theirs, "account_id"));
    EXPECT_EQ(c.credentials->provider_name(), field(theirs, "method"));
    const auto ours_expiry = std::chrono::duration_cast<std::chrono::seconds>(
                                 c.credentials->expiration()->time_since_epoch())
                                 .count();
    const auto their_expiry = theirs->getValue<std::int64_t>("expiry_epoch");
    EXPECT_LE(std::abs(ours_expiry - their_expiry), 30) << ours_expiry << " vs " << their_expiry;
    if (c.credentials->access_key_id().rfind("ASIACACHED", 0) != 0) ++refreshed;
  }
  // Near expiry and expired sessions refreshed (both clients), the others did not.
  EXPECT_EQ(refreshed, 6);
  const auto all_proofs = signin.proofs();
  ASSERT_EQ(awsauth_proofs.size(), 9u);  // 6 refreshes + 3 revoked sessions
  ASSERT_EQ(all_proofs.size(), 18u);
  EXPECT_EQ(server.request_count(), 2 * awsauth_requests);
  for (std::size_t k = 0; k < awsauth_proofs.size(); ++k) {
    const auto& ours = all_proofs[k];
    const auto& theirs = all_proofs[awsauth_proofs.size() + k];
    EXPECT_EQ(ours.header_json, theirs.header_json);
    EXPECT_EQ(stable_claims(ours.claims_json), stable_claims(theirs.claims_json));
  }
  // Same request bodies, as JSON values.
  const auto requests = server.requests();
  for (std::size_t k = 0; k < awsauth_requests; ++k) {
    auto ours = Poco::JSON::Parser().parse(requests[k].body).extract<Poco::JSON::Object::Ptr>();
    auto theirs = Poco::JSON::Parser()
                      .parse(requests[awsauth_requests + k].body)
                      .extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(ours->getNames(), theirs->getNames());
    for (const auto& name : ours->getNames()) EXPECT_EQ(field(ours, name), field(theirs, name));
  }
}

}  // namespace
}  // namespace awsauth
