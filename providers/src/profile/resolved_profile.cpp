#include "awsauth/providers/profile/resolved_profile.hpp"

#include "awsauth/providers/profile/profile_properties.hpp"

namespace awsauth::providers {

std::optional<ResolvedRegion> resolve_region(const Environment& env, const Profile* profile) {
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (auto value = env.get(name); value && !value->empty()) {
      return ResolvedRegion{*value, name};
    }
  }
  if (profile != nullptr) {
    if (const auto* v = profile->find(property::region); v != nullptr && !v->value.empty()) {
      return ResolvedRegion{v->value, "the region of profile `" + profile->name + "`"};
    }
  }
  return std::nullopt;
}

ProfileResolver::ProfileResolver(Context context,
                                 const std::optional<std::string>& explicit_profile)
    : environment_(context.environment),
      selection_(select_profile(*context.environment, explicit_profile)),
      files_(std::make_shared<ProfileFilesLoader>(std::move(context))) {}

ProfileResolver::ProfileResolver(Context context, ProfileSelection selection, ProfileFiles files)
    : environment_(std::move(context.environment)),
      selection_(std::move(selection)),
      files_(std::make_shared<ProfileFilesLoader>(std::move(files))) {}

ProfileResolver::ProfileResolver(Context context, ProfileSelection selection,
                                 std::shared_ptr<ProfileFilesLoader> files)
    : environment_(std::move(context.environment)),
      selection_(std::move(selection)),
      files_(std::move(files)) {}

std::shared_ptr<const ResolvedProfile> ProfileResolver::get() {
  const std::lock_guard lock(mutex_);
  if (resolved_) return resolved_;
  if (error_) std::rethrow_exception(error_);
  try {
    auto resolved = std::make_shared<ResolvedProfile>();
    resolved->selection = selection_;
    resolved->files = files_->get();
    resolved->region = resolve_region(*environment_, resolved->profile());
    resolved_ = std::move(resolved);
  } catch (...) {
    error_ = std::current_exception();
    throw;
  }
  return resolved_;
}

}  // namespace awsauth::providers
