// The AssumeRole cache key: botocore's hash of sorted JSON arguments, plus the source key id.

#include <gtest/gtest.h>

#include <stdexcept>

#include "awsauth/providers/sts/assume_role_cache.hpp"

namespace awsauth::providers {
namespace {

AssumeRoleCacheKey full_key() {
  return {
      .role_arn = "arn:aws:iam::123456789012:role/demo",
      .role_session_name = "s\xC3\xA9ss\xF0\x9F\x98\x80",  // "séss😀"
      .external_id = "ext-1",
      .mfa_serial = "arn:aws:iam::123456789012:mfa/u",
      .duration_seconds = 900,
      .policy =
          R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*","Action":"s3:GetObject"}]})",
      .policy_arns = {"arn:aws:iam::aws:policy/ReadOnlyAccess"},
      .source_access_key_id = "AKIDSOURCE",
  };
}

TEST(AssumeRoleCacheKey, IsTheSha1OfTheArgumentsAsPythonSortedJson) {
  // Reference computed with Python, as botocore's _create_cache_key does it:
  //   sha1(json.dumps(args, sort_keys=True)) where args holds the fields above
  //   (Policy parsed, PolicyArns as [{"arn": ...}]) plus "SourceAccessKeyId".
  EXPECT_EQ(make_assume_role_cache_key(full_key()), "dfc4b1a2c2a24ebfa6fb35cbbff0e208ce6be361");
}

TEST(AssumeRoleCacheKey, EscapesDelAsJsonDumpsDoes) {
  // Python: sha1(json.dumps({"RoleArn": ..., "RoleSessionName": "del\x7fname",
  //                          "SourceAccessKeyId": "AKIDSOURCE"}, sort_keys=True))
  const AssumeRoleCacheKey key{.role_arn = "arn:aws:iam::123456789012:role/demo",
                               .role_session_name = "del\x7fname",
                               .source_access_key_id = "AKIDSOURCE"};
  EXPECT_EQ(make_assume_role_cache_key(key), "c7cd474f3b002a70e295ac4a0e91ae437d3544dd");
}

TEST(AssumeRoleCacheKey, DiffersWhenTheSourceCredentialsDiffer) {
  auto other = full_key();
  other.source_access_key_id = "AKIDOTHERUSER";
  EXPECT_NE(make_assume_role_cache_key(full_key()), make_assume_role_cache_key(other));
}

TEST(AssumeRoleCacheKey, DiffersForEveryRoleArgument) {
  const auto base = make_assume_role_cache_key(full_key());
  auto k = full_key();
  k.role_arn += "2";
  EXPECT_NE(make_assume_role_cache_key(k), base);
  k = full_key();
  k.role_session_name.reset();
  EXPECT_NE(make_assume_role_cache_key(k), base);
  k = full_key();
  k.external_id = "ext-2";
  EXPECT_NE(make_assume_role_cache_key(k), base);
  k = full_key();
  k.mfa_serial.reset();
  EXPECT_NE(make_assume_role_cache_key(k), base);
  k = full_key();
  k.duration_seconds = 3600;
  EXPECT_NE(make_assume_role_cache_key(k), base);
  k = full_key();
  k.policy = R"({"Version":"2012-10-17"})";
  EXPECT_NE(make_assume_role_cache_key(k), base);
  k = full_key();
  k.policy_arns.clear();
  EXPECT_NE(make_assume_role_cache_key(k), base);
}

TEST(AssumeRoleCacheKey, IgnoresTheOrderOfKeysInTheSessionPolicy) {
  auto reordered = full_key();
  reordered.policy =
      R"({ "Statement": [ {"Action":"s3:GetObject","Resource":"*","Effect":"Allow"} ], "Version": "2012-10-17" })";
  EXPECT_EQ(make_assume_role_cache_key(reordered), make_assume_role_cache_key(full_key()));
}

TEST(AssumeRoleCacheKey, RejectsASessionPolicyThatIsNotAJsonObject) {
  auto k = full_key();
  k.policy = "{not json";
  EXPECT_THROW((void)make_assume_role_cache_key(k), std::invalid_argument);
  k.policy = "[1]";
  EXPECT_THROW((void)make_assume_role_cache_key(k), std::invalid_argument);
}

TEST(AssumeRoleCacheKey, IsSafeAsAFileName) {
  const auto key = make_assume_role_cache_key(full_key());
  EXPECT_EQ(key.size(), 40U);
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace awsauth::providers
