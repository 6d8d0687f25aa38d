// Differential test: where awsauth and botocore send STS, SSO portal, SSO-OIDC and sign-in
// calls, for every partition x FIPS x dual-stack (from the environment and from the profile),
// STS's legacy global endpoint, and each step of the configured-endpoint precedence
// (endpoints_oracle.py runs botocore's real clients in one Python process and stops each
// request before it is sent).

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "awsauth/environment.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/providers/detail/sts_endpoint.hpp"
#include "awsauth/providers/endpoints.hpp"
#include "awsauth/providers/profile/profile_parser.hpp"
#include "paths.hpp"
#include "python_oracle.hpp"

namespace awsauth::providers {
namespace {

struct Case {
  AwsService service;
  std::string region;
  std::map<std::string, std::string, std::less<>> env;
  std::string config;  // config file text; the case uses its `default` profile
  // botocore 1.43 refuses dual-stack in the aws-iso-e and aws-iso-f partitions: its client
  // consults the older endpoints.json, which has no dual-stack variant there, although the
  // services' rule sets and partitions.json support it. awsauth follows the rule sets
  // (docs/sso.md, "Endpoints"); the test fails if botocore starts to agree.
  bool botocore_refuses = false;
};

const char* oracle_name(AwsService s) {
  switch (s) {
    case AwsService::Sts:
      return "sts";
    case AwsService::Sso:
      return "sso";
    case AwsService::SsoOidc:
      return "sso-oidc";
    case AwsService::Signin:
      return "signin";
  }
  return "sts";
}

std::vector<Case> generated_cases() {
  const std::vector<AwsService> services = {AwsService::Sts, AwsService::Sso, AwsService::SsoOidc,
                                            AwsService::Signin};
  // One or two regions of every partition, its pseudo-global region, and an unknown one.
  const std::vector<std::string> regions = {
      "us-east-1",      "us-west-2",       "ap-southeast-5", "il-central-1",
      "aws-global",     "cn-north-1",      "cn-northwest-1", "aws-cn-global",
      "us-gov-west-1",  "us-gov-east-1",   "us-iso-east-1",  "us-isob-east-1",
      "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1", "mars-north-1"};
  std::vector<Case> cases;
  for (AwsService service : services) {
    for (const auto& region : regions) {
      for (int fips = 0; fips < 2; ++fips) {
        for (int dual = 0; dual < 2; ++dual) {
          Case c{service, region, {}, "[default]\n"};
          c.botocore_refuses =
              dual != 0 && (region == "eu-isoe-west-1" || region == "us-isof-south-1");
          // Alternate between the variables and the profile keys, and say false explicitly.
          const bool from_env = (fips + dual + region.size()) % 2 == 0;
          const std::string f = fips != 0 ? "true" : "false";
          const std::string d = dual != 0 ? "TRUE" : "false";
          if (from_env) {
            c.env["AWS_USE_FIPS_ENDPOINT"] = f;
            c.env["AWS_USE_DUALSTACK_ENDPOINT"] = d;
          } else {
            c.config += "use_fips_endpoint = " + f + "\nuse_dualstack_endpoint = " + d + "\n";
          }
          cases.push_back(c);
        }
      }
      if (service == AwsService::Sts) {
        Case legacy{service, region, {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}}, "[default]\n"};
        cases.push_back(legacy);
        Case profile_legacy{service, region, {}, "[default]\nsts_regional_endpoints = legacy\n"};
        cases.push_back(profile_legacy);
        Case legacy_fips{
            service,
            region,
            {{"AWS_STS_REGIONAL_ENDPOINTS", "legacy"}, {"AWS_USE_FIPS_ENDPOINT", "true"}},
            "[default]\n"};
        cases.push_back(legacy_fips);
      }
    }
  }

  // Configured endpoints: each step of the precedence, for each service, with every step
  // below it also set (so the test fails if a lower step wins).
  for (AwsService service : services) {
    const std::string var = endpoint_env_var(service);
    const std::string key = services_key(service);
    const auto config_with = [&key](const std::string& extra) {
      return "[default]\nendpoint_url = http://127.0.0.1:4004/global\nservices = local\n" + extra +
             "[services local]\n" + key + " =\n  endpoint_url = http://127.0.0.1:4003/section/\n";
    };
    const std::string all_config = config_with("");
    const std::string ignoring_config = config_with("ignore_configured_endpoint_urls = true\n");
    const std::map<std::string, std::string, std::less<>> all_env = {
        {var, "http://127.0.0.1:4001/service"}, {"AWS_ENDPOINT_URL", "http://127.0.0.1:4002"}};
    cases.push_back({service, "us-west-2", all_env, all_config});
    cases.push_back(
        {service, "us-west-2", {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4002"}}, all_config});
    cases.push_back({service, "us-west-2", {}, all_config});
    cases.push_back(
        {service, "us-west-2", {}, "[default]\nendpoint_url = http://127.0.0.1:4004/global\n"});
    // Another service's section entry does not apply.
    cases.push_back({service,
                     "us-west-2",
                     {},
                     "[default]\nservices = local\n[services local]\nnot_a_service =\n"
                     "  endpoint_url = http://127.0.0.1:4005\n"});
    // Ignoring configured URLs, from the variable and from the profile.
    auto ignore_env = all_env;
    ignore_env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
    cases.push_back({service, "eu-west-1", ignore_env, all_config});
    cases.push_back({service, "eu-west-1", {}, ignoring_config});
    // The variable "false" beats the profile's "true".
    cases.push_back({service,
                     "eu-west-1",
                     {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"}},
                     ignoring_config});
    // A custom endpoint wins over FIPS and dual-stack.
    cases.push_back({service,
                     "us-east-1",
                     {{var, "https://127.0.0.1:4006"},
                      {"AWS_USE_FIPS_ENDPOINT", "true"},
                      {"AWS_USE_DUALSTACK_ENDPOINT", "true"}},
                     "[default]\n"});
    // Empty values count as unset.
    cases.push_back({service,
                     "us-east-1",
                     {{var, ""}, {"AWS_ENDPOINT_URL", ""}},
                     "[default]\nendpoint_url = http://127.0.0.1:4007\n"});
    // A profile naming a section that does not exist is an error in both.
    cases.push_back({service, "us-east-1", {}, "[default]\nservices = missing\n"});
  }
  return cases;
}

std::string json_case(const Case& c) {
  Poco::JSON::Object o;
  o.set("service", oracle_name(c.service));
  o.set("region", c.region);
  Poco::JSON::Object env;
  for (const auto& [k, v] : c.env) env.set(k, v);
  o.set("env", env);
  o.set("config", c.config);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::vector<Poco::JSON::Object::Ptr> run_oracle(const std::vector<Case>& cases) {
  std::string input = "[";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (i > 0) input += ",";
    input += json_case(cases[i]);
  }
  return test::run_json_lines_oracle("endpoints_oracle.py", "", input + "]");
}

struct Outcome {
  std::string url;
  std::string signing_region;
  std::string error;
};

Outcome awsauth_outcome(const Case& c) {
  MapEnvironment env(c.env);
  const ProfileSet set = parse_profile_file(c.config, "config", ProfileFileKind::Config);
  const Profile* profile = set.find("default");
  Outcome out;
  try {
    if (c.service == AwsService::Sts) {
      env.set("AWS_REGION", c.region);
      const StsEndpoint e = resolve_sts_endpoint(env, set, profile, "test");
      out.url = e.url;
      out.signing_region = e.signing_region;
    } else {
      out.url = resolve_service_endpoint(env, set, profile, c.service, c.region, "test").url;
    }
  } catch (const CredentialsError& e) {
    out.error = e.what();
  }
  return out;
}

TEST(EndpointsBotocore, EveryServicePartitionFipsDualStackAndConfiguredUrlMatchesBotocore) {
  const auto cases = generated_cases();
  const auto oracle = run_oracle(cases);
  ASSERT_EQ(oracle.size(), cases.size());
  int errors = 0;
  int listed = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const Outcome ours = awsauth_outcome(c);
    const auto& theirs = oracle[i];
    SCOPED_TRACE(json_case(c));
    if (c.botocore_refuses) {
      ++listed;
      EXPECT_TRUE(theirs->has("error"))
          << "botocore now resolves " << theirs->getValue<std::string>("url");
      EXPECT_TRUE(ours.error.empty()) << ours.error;
      continue;
    }
    if (theirs->has("error")) {
      ++errors;
      EXPECT_FALSE(ours.error.empty())
          << "botocore failed (" << theirs->getValue<std::string>("error")
          << ") but awsauth resolved " << ours.url;
      continue;
    }
    ASSERT_TRUE(ours.error.empty()) << ours.error;
    EXPECT_EQ(ours.url, theirs->getValue<std::string>("url"));
    if (theirs->has("signing_region")) {
      EXPECT_EQ(ours.signing_region, theirs->getValue<std::string>("signing_region"));
    }
  }
  // Only the missing-section cases fail, in both; the listed difference is 4 services x 2
  // regions x (dual-stack, FIPS + dual-stack).
  EXPECT_EQ(errors, 4);
  EXPECT_EQ(listed, 16);
}

}  // namespace
}  // namespace awsauth::providers
