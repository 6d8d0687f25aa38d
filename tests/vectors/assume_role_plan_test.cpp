// Every case of the cross-SDK assume-role-tests.json, run against plan_profile. The SSO cases
// that plan are also run: their credentials (or, for an sso-session profile without a role,
// their token) are fetched from the fake IAM Identity Center on 127.0.0.1 with a token cache
// in a temporary HOME.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "awsauth/errors.hpp"
#include "awsauth/providers/detail/profile_plan.hpp"
#include "awsauth/providers/sso/sso_provider.hpp"
#include "fake_sso.hpp"
#include "loopback_server.hpp"
#include "paths.hpp"
#include "temp_dir.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Poco::Dynamic::Var load_cases() {
  std::ifstream in(test::shared_dir() + "/testdata/aws-sdk-shared/assume-role-tests.json");
  if (!in) throw std::runtime_error("cannot open assume-role-tests.json");
  std::stringstream text;
  text << in.rdbuf();
  return Poco::JSON::Parser().parse(text.str());
}

std::map<std::string, Profile, std::less<>> sections(const Object::Ptr& obj) {
  std::map<std::string, Profile, std::less<>> out;
  if (!obj) return out;
  for (const auto& [name, value] : *obj) {
    Profile p;
    p.name = name;
    auto props = value.extract<Object::Ptr>();
    for (const auto& [key, v] : *props) p.properties[key] = ProfileValue{v.toString(), "", 0};
    out[name] = std::move(p);
  }
  return out;
}

std::string opt(const std::optional<std::string>& v) { return v.value_or("<none>"); }
std::string field(const Object::Ptr& o, const std::string& key) {
  return o->has(key) ? o->getValue<std::string>(key) : "<none>";
}

// The plan's base source in the vector's vocabulary, for comparison.
std::string describe_base(const BaseSource& base) {
  struct {
    std::string operator()(const StaticKeysSource& s) const {
      return "AccessKey " + s.access_key_id + " " + s.secret_access_key.reveal() + " " +
             opt(s.account_id);
    }
    std::string operator()(const NamedSource& s) const { return "NamedSource " + s.name; }
    std::string operator()(const WebIdentitySource& s) const {
      return "WebIdentityToken " + s.role_arn + " " + s.token_file + " " + opt(s.role_session_name);
    }
    std::string operator()(const CredentialProcessSource& s) const {
      return "CredentialProcess " + s.command;
    }
    std::string operator()(const LoginSource& s) const { return "Login " + s.login_session; }
    std::string operator()(const SsoSource& s) const {
      return "Sso " + opt(s.sso_session) + " " + opt(s.sso_start_url) + " " + opt(s.sso_region) +
             " " + opt(s.sso_account_id) + " " + opt(s.sso_role_name);
    }
  } visitor;
  return std::visit(visitor, base);
}

std::string describe_expected_base(const Object::Ptr& step) {
  if (step->has("AccessKey")) {
    auto k = step->getObject("AccessKey");
    return "AccessKey " + field(k, "access_key_id") + " " + field(k, "secret_access_key") + " " +
           field(k, "account_id");
  }
  if (step->has("NamedSource")) return "NamedSource " + step->getValue<std::string>("NamedSource");
  if (step->has("WebIdentityToken")) {
    auto w = step->getObject("WebIdentityToken");
    return "WebIdentityToken " + field(w, "role_arn") + " " + field(w, "web_identity_token_file") +
           " " + field(w, "role_session_name");
  }
  if (step->has("Sso")) {
    auto s = step->getObject("Sso");
    return "Sso " + field(s, "sso_session") + " " + field(s, "sso_start_url") + " " +
           field(s, "sso_region") + " " + field(s, "sso_account_id") + " " +
           field(s, "sso_role_name");
  }
  return "unknown step";
}

std::string describe_hop(const AssumeRoleHop& hop) {
  return "AssumeRole " + hop.role_arn + " " + opt(hop.external_id) + " " +
         opt(hop.role_session_name);
}

std::string describe_expected_hop(const Object::Ptr& step) {
  auto r = step->getObject("AssumeRole");
  return "AssumeRole " + field(r, "role_arn") + " " + field(r, "external_id") + " " +
         field(r, "role_session_name");
}

// Runs a planned SSO base for real: a token cache file for it in a temporary HOME, the fake
// portal on loopback, then the role's credentials, or the session's token when the profile
// names no role (the vectors' "SSO token profile").
void run_sso_base(const ProfileSet& set, const SsoSource& source) {
  test::FakeSso sso;
  test::LoopbackServer server{sso.handler()};
  test::TempDir home;
  auto env = std::make_shared<MapEnvironment>();
  env->set("HOME", home.path());
  env->set("AWS_ENDPOINT_URL_SSO", server.url(""));
  env->set("AWS_ENDPOINT_URL_SSO_OIDC", server.url(""));
  const Context context = test::loopback_context(env, std::make_shared<RealFileSystem>());
  SsoTokenCache cache(context.files, default_sso_cache_directory(*env));
  const std::string start_url = source.sso_start_url.value_or("");
  test::write_file_creating_dirs(
      cache.path_for(start_url, source.sso_session),
      R"({"accessToken": "vector-token", "expiresAt": "2099-01-01T00:00:00Z"})");
  sso.accept_access_token("vector-token");

  ProfileFiles files;
  files.merged = set;
  if (!source.sso_account_id) {
    SsoTokenProvider token(context,
                           {.profile = source.profile,
                            .session_name = source.sso_session,
                            .start_url = start_url,
                            .region = source.sso_region.value_or("")},
                           cache, nullptr);
    EXPECT_EQ(token.token().token.reveal(), "vector-token");
    return;
  }
  const auto credentials =
      make_sso_provider(context, files, set.find(source.profile), source)->get();
  EXPECT_EQ(credentials->provider_name(), "sso");
  EXPECT_EQ(credentials->account_id(), source.sso_account_id);
  EXPECT_EQ(credentials->access_key_id(), "ASIA" + *source.sso_account_id);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(test::query_parameter(requests[0].query, "role_name"), source.sso_role_name);
}

TEST(AssumeRoleVectors, EveryCasePlansTheSameChainOrErrorAsTheSdks) {
  auto cases = load_cases().extract<Array::Ptr>();
  ASSERT_EQ(cases->size(), 28u);
  int sso_cases = 0;
  int sso_runs = 0;
  for (std::size_t i = 0; i < cases->size(); ++i) {
    auto c = cases->getObject(static_cast<unsigned>(i));
    const std::string doc = c->getValue<std::string>("docs");
    SCOPED_TRACE("case " + std::to_string(i) + ": " + doc);
    auto input = c->getObject("input");
    ProfileSet set;
    set.profiles = sections(input->getObject("profiles"));
    if (input->has("sso_sessions")) set.sso_sessions = sections(input->getObject("sso_sessions"));
    const std::string selected = input->getValue<std::string>("selected_profile");
    auto output = c->getObject("output");

    const bool is_sso = doc.find("SSO") != std::string::npos;
    if (is_sso) ++sso_cases;

    if (output->has("Error")) {
      const std::string fragment = output->getValue<std::string>("Error");
      try {
        (void)plan_profile(set, selected);
        ADD_FAILURE() << "expected an error containing: " << fragment;
      } catch (const CredentialsError& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
            << "message: " << e.what() << "\nexpected fragment: " << fragment;
      }
      continue;
    }
    auto chain = output->getArray("ProfileChain");
    ProfilePlan plan = plan_profile(set, selected);
    EXPECT_EQ(describe_base(plan.base), describe_expected_base(chain->getObject(0)));
    if (const auto* sso = std::get_if<SsoSource>(&plan.base)) {
      ++sso_runs;
      run_sso_base(set, *sso);
    }
    ASSERT_EQ(plan.hops.size(), chain->size() - 1);
    for (std::size_t h = 0; h < plan.hops.size(); ++h) {
      EXPECT_EQ(describe_hop(plan.hops[h]),
                describe_expected_hop(chain->getObject(static_cast<unsigned>(h + 1))));
    }
  }
  EXPECT_EQ(sso_cases, 6) << "the SSO cases are counted so none is silently dropped";
  EXPECT_EQ(sso_runs, 2) << "both planned SSO cases were run against the fake IAM Identity Center";
}

}  // namespace
}  // namespace awsauth::providers
