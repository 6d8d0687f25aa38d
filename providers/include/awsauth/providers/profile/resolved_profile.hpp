#pragma once
/// @file resolved_profile.hpp
/// The profile a chain uses, resolved once: which profile and how it was chosen, the shared
/// files as read, and the region. Built once per chain and handed to every profile-based
/// provider, to the STS client and to the CLI, so nobody selects the profile or reads the files
/// a second time (the role `ProviderConfig` plays in smithy-rs aws-config).

#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "awsauth/context.hpp"
#include "awsauth/export.hpp"
#include "awsauth/providers/profile/profile.hpp"
#include "awsauth/providers/profile/profile_files.hpp"

namespace awsauth::providers {

/// A region and where it was found.
struct AWSAUTH_API ResolvedRegion {
  std::string name;
  /// `AWS_REGION`, `AWS_DEFAULT_REGION`, or "the region of profile `NAME`".
  std::string origin;
};

/// The region for `profile` (may be null): `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the
/// profile's `region`, each only when non-empty (the AWS CLI v2 and SDKs' order; botocore reads
/// only the last two). nullopt when none is set.
[[nodiscard]] AWSAUTH_API std::optional<ResolvedRegion> resolve_region(const Environment& env,
                                                                       const Profile* profile);

/// One resolved profile.
struct AWSAUTH_API ResolvedProfile {
  ProfileSelection selection;
  std::shared_ptr<const ProfileFiles> files;
  std::optional<ResolvedRegion> region;

  /// The selected profile in the merged files; nullptr when it is in neither file (only an
  /// unnamed `default` may be absent, see DefaultChain).
  [[nodiscard]] const Profile* profile() const { return files->merged.find(selection.name); }
};

/// Resolves the profile on first use and hands every later caller the same value (or the same
/// error: a malformed file surfaces from get(), never from construction). Thread-safe.
class AWSAUTH_API ProfileResolver {
 public:
  /// Selects the profile now (`explicit_profile`, else `AWS_DEFAULT_PROFILE`, else
  /// `AWS_PROFILE`, else `default`: no I/O); reads the files on the first get().
  ProfileResolver(Context context, const std::optional<std::string>& explicit_profile);
  /// Serves files that are already parsed (tests, files assembled in memory).
  ProfileResolver(Context context, ProfileSelection selection, ProfileFiles files);
  /// Reads the files through `files`, a loader other providers may share already.
  ProfileResolver(Context context, ProfileSelection selection,
                  std::shared_ptr<ProfileFilesLoader> files);

  /// The selected profile and how it was chosen (no I/O).
  [[nodiscard]] const ProfileSelection& selection() const noexcept { return selection_; }
  /// The files, read once, through the loader every profile provider of the chain shares.
  [[nodiscard]] const std::shared_ptr<ProfileFilesLoader>& files() const noexcept { return files_; }
  /// The resolved profile, built on the first call. Rethrows the first call's error.
  [[nodiscard]] std::shared_ptr<const ResolvedProfile> get();

 private:
  std::shared_ptr<const Environment> environment_;
  ProfileSelection selection_;
  std::shared_ptr<ProfileFilesLoader> files_;
  std::mutex mutex_;
  std::shared_ptr<const ResolvedProfile> resolved_;
  std::exception_ptr error_;
};

}  // namespace awsauth::providers
