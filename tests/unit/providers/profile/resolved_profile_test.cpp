// One resolved profile per chain: selected once, files read once, region resolved once, and
// the same value for every provider and for the CLI.
#include "awsauth/providers/profile/resolved_profile.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "awsauth/providers/default_chain.hpp"
#include "test_context.hpp"

namespace awsauth::providers {
namespace {

// Counts reads, so a test can prove the files are read once.
class CountingFiles final : public FileSystem {
 public:
  explicit CountingFiles(std::shared_ptr<const FileSystem> inner) : inner_(std::move(inner)) {}
  std::optional<std::string> read(const std::string& path) const override {
    ++reads_[path];
    return inner_->read(path);
  }
  int reads(const std::string& path) const {
    auto it = reads_.find(path);
    return it == reads_.end() ? 0 : it->second;
  }

 private:
  std::shared_ptr<const FileSystem> inner_;
  mutable std::map<std::string, int> reads_;
};

TEST(ResolveRegion, EnvironmentFirstThenTheProfile) {
  MapEnvironment env;
  Profile profile{.name = "dev", .properties = {}};
  profile.properties.emplace("region", ProfileValue{.value = "eu-west-1", .file = "/c", .line = 3});
  auto r = resolve_region(env, &profile);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "eu-west-1");
  EXPECT_EQ(r->origin, "the region of profile `dev`");
  env.set("AWS_DEFAULT_REGION", "us-west-2");
  EXPECT_EQ(resolve_region(env, &profile)->origin, "AWS_DEFAULT_REGION");
  env.set("AWS_REGION", "");  // empty counts as unset
  EXPECT_EQ(resolve_region(env, &profile)->name, "us-west-2");
  env.set("AWS_REGION", "ap-south-1");
  EXPECT_EQ(resolve_region(env, &profile)->name, "ap-south-1");
  EXPECT_EQ(resolve_region(MapEnvironment(), nullptr), std::nullopt);
}

TEST(ProfileResolver, SelectsWithoutReadingAndReadsEachFileOnce) {
  test::TestContext t;
  t.config("[profile dev]\nregion = eu-central-1\n");
  t.credentials("[dev]\naws_access_key_id = AKID\naws_secret_access_key = s\n");
  t.env->set("AWS_PROFILE", "dev");
  Context c = t.context();
  auto files = std::make_shared<CountingFiles>(t.files);
  c.files = files;
  ProfileResolver resolver(c, std::nullopt);
  EXPECT_EQ(resolver.selection().name, "dev");
  EXPECT_EQ(resolver.selection().source, ProfileSelection::Source::AwsProfile);
  EXPECT_EQ(files->reads("/home/test/.aws/config"), 0);

  std::vector<std::thread> threads;
  std::atomic<int> same{0};
  const auto first = resolver.get();
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { same += resolver.get() == first ? 1 : 0; });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(same.load(), 8);
  EXPECT_EQ(files->reads("/home/test/.aws/config"), 1);
  EXPECT_EQ(files->reads("/home/test/.aws/credentials"), 1);
  ASSERT_NE(first->profile(), nullptr);
  EXPECT_EQ(first->region->name, "eu-central-1");
}

TEST(ProfileResolver, AMalformedFileIsTheSameErrorEveryTime) {
  test::TestContext t;
  t.config("[profile dev\n");
  ProfileResolver resolver(t.context(), std::string("dev"));
  for (int i = 0; i < 2; ++i) {
    try {
      (void)resolver.get();
      ADD_FAILURE() << "expected an error";
    } catch (const CredentialsError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::InvalidConfiguration);
      EXPECT_NE(std::string(e.what()).find("/home/test/.aws/config"), std::string::npos);
    }
  }
}

TEST(ProfileResolver, TheChainAndItsCallerShareOneResolvedProfile) {
  test::TestContext t;
  t.config("[profile dev]\nregion = eu-north-1\n");
  t.credentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
  Context c = t.context();
  auto files = std::make_shared<CountingFiles>(t.files);
  c.files = files;
  DefaultChain chain(c, {.profile = "dev"});
  const auto resolved = chain.resolved_profile();
  EXPECT_EQ(resolved->region->name, "eu-north-1");
  EXPECT_EQ(chain.get()->access_key_id(), "AKIDDEV");
  EXPECT_EQ(chain.resolved_profile(), resolved);
  EXPECT_EQ(files->reads("/home/test/.aws/config"), 1);
  EXPECT_EQ(files->reads("/home/test/.aws/credentials"), 1);
}

}  // namespace
}  // namespace awsauth::providers
