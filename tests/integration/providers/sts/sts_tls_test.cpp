// TLS for STS on loopback: certificates made with openssl at test time, served by
// `openssl s_server` on 127.0.0.1. An untrusted certificate is refused; the same server is
// accepted once its CA comes from AWS_CA_BUNDLE.
#include <gtest/gtest.h>

#include "awsauth/context.hpp"
#include "awsauth/providers/detail/sts_http_options.hpp"
#include "loopback_tls_server.hpp"

namespace awsauth::providers {
namespace {

using test::LoopbackTlsServer;

TEST(StsTls, UntrustedCertificateIsRefusedAndCustomCaBundleIsAccepted) {
  LoopbackTlsServer server;
  auto http = make_poco_http_client();

  MapEnvironment plain;
  HttpOptions system_store = sts_http_options(plain, nullptr, server.url());
  EXPECT_TRUE(system_store.ca_bundle.empty());
  try {
    (void)http->send({.method = "GET", .url = server.url()}, system_store);
    FAIL() << "a certificate from an unknown CA was accepted";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), HttpErrorKind::Tls) << e.what();
  }

  MapEnvironment with_bundle;
  with_bundle.set("AWS_CA_BUNDLE", server.ca_file());
  HttpOptions trusted = sts_http_options(with_bundle, nullptr, server.url());
  EXPECT_EQ(trusted.ca_bundle, server.ca_file());
  auto response = http->send({.method = "GET", .url = server.url()}, trusted);
  EXPECT_EQ(response.status, 200);
}

TEST(StsTls, ProfileCaBundleIsUsedWhenTheEnvironmentHasNone) {
  Profile p;
  p.name = "dev";
  p.properties["ca_bundle"] = ProfileValue{"~/certs/ca.pem", "config", 4};
  MapEnvironment env;
  env.set("HOME", "/home/u");
  EXPECT_EQ(sts_http_options(env, &p, "https://sts.us-east-1.amazonaws.com").ca_bundle,
            "/home/u/certs/ca.pem");
}

TEST(StsTls, HttpsProxyIsUsedForStsUnlessNoProxyMatches) {
  MapEnvironment env(
      {{"HTTPS_PROXY", "http://127.0.0.1:3128"}, {"NO_PROXY", "localhost,.internal.example"}});
  EXPECT_EQ(sts_http_options(env, nullptr, "https://sts.us-east-1.amazonaws.com").proxy,
            "http://127.0.0.1:3128");
  EXPECT_EQ(sts_http_options(env, nullptr, "https://sts.internal.example").proxy, "");
  EXPECT_EQ(sts_http_options(env, nullptr, "http://127.0.0.1:5000").proxy, "")
      << "HTTPS_PROXY does not apply to http:// endpoints";
  EXPECT_TRUE(no_proxy_matches("*", "anything", 443));
  EXPECT_TRUE(no_proxy_matches("127.0.0.1:5000", "127.0.0.1", 5000));
  EXPECT_FALSE(no_proxy_matches("127.0.0.1:5000", "127.0.0.1", 5001));
}

}  // namespace
}  // namespace awsauth::providers
