#include "awsauth/providers/profile/profile_files.hpp"

#include <system_error>

#include "awsauth/errors.hpp"
#include "awsauth/providers/profile/profile_parser.hpp"

namespace awsauth::providers {
namespace {

constexpr const char* kLoaderName = "profile-files";

ProfileSet read_one(const FileSystem& files, const std::string& path, ProfileFileKind kind,
                    std::vector<std::string>& skipped) {
  // botocore reads an empty AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE as the path "",
  // which never exists: no profiles from that file (not the default path).
  if (path.empty()) return {};
  std::optional<std::string> text;
  try {
    text = files.read(path);
  } catch (const NotRegularFileError& e) {
    // botocore's raw_config_parse: `if not os.path.isfile(path)` the file is not there.
    skipped.push_back(std::string(e.what()) + "; read as empty");
    return {};
  } catch (const std::system_error& e) {
    throw CredentialsError::invalid_configuration(kLoaderName, e.what());
  }
  if (!text) return {};
  try {
    return parse_profile_file(*text, path, kind);
  } catch (const ProfileParseError& e) {
    throw CredentialsError::invalid_configuration(kLoaderName,
                                                  std::string("malformed file ") + e.what());
  }
}

}  // namespace

ProfileSelection select_profile(const Environment& env,
                                const std::optional<std::string>& explicit_profile) {
  if (explicit_profile && !explicit_profile->empty()) {
    return {*explicit_profile, ProfileSelection::Source::Explicit};
  }
  // Unlike the key variables, a profile variable set to "" is not absent: botocore's
  // EnvironmentProvider returns any value present, so `AWS_PROFILE=` names the profile "" (which
  // then does not exist, an error) and an empty AWS_DEFAULT_PROFILE hides AWS_PROFILE.
  if (auto name = env.get("AWS_DEFAULT_PROFILE")) {
    return {*name, ProfileSelection::Source::AwsDefaultProfile};
  }
  if (auto name = env.get("AWS_PROFILE")) {
    return {*name, ProfileSelection::Source::AwsProfile};
  }
  return {"default", ProfileSelection::Source::Default};
}

std::string config_file_path(const Environment& env) {
  return expand_user(env.get("AWS_CONFIG_FILE").value_or("~/.aws/config"), env);
}

std::string credentials_file_path(const Environment& env) {
  return expand_user(env.get("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"), env);
}

ProfileFiles read_profile_files(const Context& context) {
  ProfileFiles files;
  files.config_path = config_file_path(*context.environment);
  files.credentials_path = credentials_file_path(*context.environment);
  files.config =
      read_one(*context.files, files.config_path, ProfileFileKind::Config, files.skipped);
  files.credentials =
      read_one(*context.files, files.credentials_path, ProfileFileKind::Credentials, files.skipped);
  files.merged = merge_profile_sets(files.config, files.credentials);
  return files;
}

std::shared_ptr<const ProfileFiles> ProfileFilesLoader::get() {
  const std::lock_guard lock(mutex_);
  if (files_) return files_;
  if (error_) std::rethrow_exception(error_);
  try {
    files_ = std::make_shared<const ProfileFiles>(read_profile_files(context_));
  } catch (...) {
    error_ = std::current_exception();
    throw;
  }
  return files_;
}

std::string describe_profile(const std::string& profile, const ProfileValue& where) {
  return "profile '" + profile + "' in " + where.file;
}

}  // namespace awsauth::providers
