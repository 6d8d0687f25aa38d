// Profile plan: smithy-rs aws-config `profile/credentials/repr.rs` in shape, botocore's
// AssumeRoleProvider in behaviour.
#include "awsauth/providers/detail/profile_plan.hpp"

#include <algorithm>
#include <cctype>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/provider.hpp"
#include "awsauth/providers/profile/profile_properties.hpp"

namespace awsauth::providers {
namespace {

constexpr std::string_view kProvider = provider_names::assume_role;

[[noreturn]] void invalid(std::string reason) {
  throw CredentialsError::invalid_configuration(kProvider, std::move(reason));
}

// "(file:line)" for messages, or "" when the value was built in memory.
std::string where(const ProfileValue* value) {
  if (value == nullptr || value->file.empty()) return {};
  return " (" + value->file + ":" + std::to_string(value->line) + ")";
}

std::optional<std::string> get(const Profile& profile, std::string_view key) {
  if (const auto* v = profile.find(key)) return v->value;
  return std::nullopt;
}

bool has_static_keys(const Profile& p) {
  return p.find(property::aws_access_key_id) != nullptr ||
         p.find(property::aws_secret_access_key) != nullptr;
}

// Both keys or an error naming the missing one (a half-written pair is a mistake, not
// "not configured").
StaticKeysSource static_keys(const Profile& p) {
  const auto* id = p.find(property::aws_access_key_id);
  const auto* secret = p.find(property::aws_secret_access_key);
  if (id == nullptr) {
    invalid("profile missing aws_access_key_id: profile `" + p.name + "` sets only the secret" +
            where(secret));
  }
  if (secret == nullptr) {
    invalid("profile missing aws_secret_access_key: profile `" + p.name +
            "` sets only the access key id" + where(id));
  }
  StaticKeysSource s;
  s.profile = p.name;
  s.access_key_id = id->value;
  s.secret_access_key = SecretString(secret->value);
  if (auto token = get(p, property::aws_session_token)) s.session_token = SecretString(*token);
  s.account_id = get(p, property::aws_account_id);
  return s;
}

NamedSource named_source(const Profile& p, const ProfileValue& value) {
  NamedSource s;
  s.profile = p.name;
  s.name = value.value;
  if (awsauth::detail::ascii_iequals(value.value, "Environment")) {
    s.kind = NamedSource::Kind::Environment;
  } else if (awsauth::detail::ascii_iequals(value.value, "Ec2InstanceMetadata")) {
    s.kind = NamedSource::Kind::Ec2InstanceMetadata;
  } else if (awsauth::detail::ascii_iequals(value.value, "EcsContainer")) {
    s.kind = NamedSource::Kind::EcsContainer;
  } else {
    invalid("profile `" + p.name + "` has credential_source = " + value.value + where(&value) +
            "; supported values are Environment, Ec2InstanceMetadata and EcsContainer");
  }
  return s;
}

std::optional<WebIdentitySource> web_identity(const Profile& p) {
  const auto* file = p.find(property::web_identity_token_file);
  if (file == nullptr) return std::nullopt;
  auto role = get(p, property::role_arn);
  if (!role) {
    invalid("profile `" + p.name + "` sets web_identity_token_file" + where(file) +
            " but `role_arn` was missing");
  }
  return WebIdentitySource{.profile = p.name,
                           .role_arn = *role,
                           .token_file = file->value,
                           .role_session_name = get(p, property::role_session_name)};
}

// Mirrors the SDKs' SSO validation (the cross-SDK vectors, and botocore SSOProvider's
// _resolve_sso_session_reference for values written in both the profile and its session).
std::optional<SsoSource> sso(const ProfileSet& set, const Profile& p,
                             std::string_view provider = kProvider) {
  auto fail = [provider](std::string reason) {
    throw CredentialsError::invalid_configuration(provider, std::move(reason));
  };
  SsoSource s{.profile = p.name,
              .sso_session = get(p, property::sso_session),
              .sso_start_url = get(p, property::sso_start_url),
              .sso_region = get(p, property::sso_region),
              .sso_account_id = get(p, property::sso_account_id),
              .sso_role_name = get(p, property::sso_role_name)};
  if (!s.sso_session && !s.sso_start_url && !s.sso_region && !s.sso_account_id &&
      !s.sso_role_name) {
    return std::nullopt;
  }
  if (s.sso_role_name && !s.sso_account_id) {
    fail("profile `" + p.name +
         "`: if `sso_role_name` is set, then `sso_account_id` must also be set" +
         where(p.find(property::sso_role_name)));
  }
  if (s.sso_account_id && !s.sso_role_name) {
    fail("profile `" + p.name +
         "`: if `sso_account_id` is set, then `sso_role_name` must also be set" +
         where(p.find(property::sso_account_id)));
  }
  if (s.sso_session) {
    auto it = set.sso_sessions.find(*s.sso_session);
    if (it == set.sso_sessions.end()) {
      fail("sso-session named `" + *s.sso_session + "` (referenced by profile `" + p.name +
           "`) was not found" + where(p.find(property::sso_session)));
    }
    const Profile& session = it->second;
    // botocore: a key in both must have one value ("The value for sso_start_url is
    // inconsistent between profile (A) and sso-session (B)").
    for (const std::string_view key : {property::sso_start_url, property::sso_region}) {
      const ProfileValue* mine = p.find(key);
      const ProfileValue* theirs = session.find(key);
      if (mine != nullptr && theirs != nullptr && mine->value != theirs->value) {
        fail("the value for " + std::string(key) + " is inconsistent between profile `" + p.name +
             "` (" + mine->value + where(mine) + ") and sso-session `" + session.name + "` (" +
             theirs->value + where(theirs) + ")");
      }
    }
    if (s.sso_region && session.find(property::sso_region) == nullptr) {
      fail("profile `" + p.name +
           "`: `sso_region` can only be specified in the [sso-session] config when a "
           "session name is given" +
           where(p.find(property::sso_region)));
    }
    if (auto url = get(session, property::sso_start_url)) s.sso_start_url = url;
    if (auto region = get(session, property::sso_region)) s.sso_region = region;
  }
  return s;
}

// The base source of a profile that is not (or no longer) a role hop. Order follows botocore's
// profile provider builder: web identity, SSO, static keys, login_session, credential_process
// (static keys found only in the config file come after the last two: sts_profile.cpp reads
// the files one at a time).
BaseSource base_of(const ProfileSet& set, const Profile& p) {
  if (auto w = web_identity(p)) return *w;
  if (auto s = sso(set, p)) return *s;
  if (has_static_keys(p)) return static_keys(p);
  if (auto session = get(p, property::login_session)) {
    return LoginSource{.profile = p.name, .login_session = *session};
  }
  if (auto cmd = get(p, property::credential_process)) {
    return CredentialProcessSource{.profile = p.name, .command = *cmd};
  }
  invalid("profile `" + p.name + "` did not contain credential information");
}

std::string join_cycle(const std::vector<std::string>& visited, const std::string& again) {
  std::string out;
  for (const auto& name : visited) out += name + " -> ";
  return out + again;
}

}  // namespace

std::optional<SsoSource> plan_sso_source(const ProfileSet& profiles, const std::string& name,
                                         std::string_view provider) {
  const Profile* p = profiles.find(name);
  if (p == nullptr) return std::nullopt;
  return sso(profiles, *p, provider);
}

bool profile_uses_sso_credentials(const Profile* profile) {
  return profile != nullptr && (profile->find(property::sso_account_id) != nullptr ||
                                profile->find(property::sso_role_name) != nullptr);
}

SsoRoleSource sso_role_source(const SsoSource& source, std::string_view provider) {
  // botocore SSOProvider._load_sso_config: every required key, in its order, named at once.
  std::vector<std::string_view> missing;
  if (!source.sso_role_name) missing.push_back(property::sso_role_name);
  if (!source.sso_account_id) missing.push_back(property::sso_account_id);
  if (!source.sso_start_url) missing.push_back(property::sso_start_url);
  if (!source.sso_region) missing.push_back(property::sso_region);
  if (!missing.empty()) {
    std::string list;
    for (const auto key : missing) list.append(list.empty() ? "" : ", ").append(key);
    throw CredentialsError::invalid_configuration(
        provider, "the profile `" + source.profile +
                      "` is configured to use SSO but is missing required configuration: " + list);
  }
  return SsoRoleSource{.profile = source.profile,
                       .sso_session = source.sso_session,
                       .start_url = *source.sso_start_url,
                       .region = *source.sso_region,
                       .account_id = *source.sso_account_id,
                       .role_name = *source.sso_role_name};
}

ProfileRole profile_role(const Profile* profile) {
  if (profile == nullptr) return ProfileRole::None;
  if (profile->find(property::web_identity_token_file) != nullptr) return ProfileRole::WebIdentity;
  return profile->find(property::role_arn) != nullptr ? ProfileRole::AssumeRole : ProfileRole::None;
}

bool profile_uses_role(const ProfileSet& profiles, const std::string& selected) {
  return profile_role(profiles.find(selected)) != ProfileRole::None;
}

ProfilePlan plan_profile(const ProfileSet& profiles, const std::string& selected) {
  if (profiles.profiles.empty()) {
    throw CredentialsError::not_configured(kProvider, "No profiles were defined");
  }
  const Profile* current = profiles.find(selected);
  if (current == nullptr) {
    throw CredentialsError::not_configured(kProvider, "profile `" + selected + "` was not found");
  }
  const Profile& first = *current;
  if (profile_role(&first) == ProfileRole::None && !has_static_keys(first) &&
      first.find(property::credential_process) == nullptr &&
      first.find(property::login_session) == nullptr && !sso(profiles, first)) {
    throw CredentialsError::not_configured(
        kProvider, "profile `" + selected + "` did not contain credential information");
  }

  ProfilePlan plan;
  plan.selected_profile = selected;
  std::vector<std::string> visited;
  std::vector<AssumeRoleHop> hops;  // collected outermost first, reversed at the end
  std::optional<BaseSource> base;

  while (!base) {
    const Profile& p = *current;
    visited.push_back(p.name);
    const bool is_source = visited.size() > 1;

    // Static keys in a source profile win over its own role_arn (botocore
    // _resolve_credentials_from_profile; vector "chained assume role profiles with static
    // credentials").
    if (is_source && has_static_keys(p)) {
      base = static_keys(p);
      break;
    }
    if (profile_role(&p) != ProfileRole::AssumeRole) {
      base = base_of(profiles, p);
      break;
    }
    const auto* role = p.find(property::role_arn);

    AssumeRoleHop hop{.profile = p.name,
                      .role_arn = role->value,
                      .external_id = get(p, property::external_id),
                      .role_session_name = get(p, property::role_session_name),
                      .duration_seconds = std::nullopt,
                      .mfa_serial = get(p, property::mfa_serial)};
    if (const auto* d = p.find(property::duration_seconds)) {
      try {
        std::size_t used = 0;
        int seconds = std::stoi(d->value, &used);
        if (used != d->value.size() || seconds <= 0) throw std::invalid_argument("");
        hop.duration_seconds = seconds;
      } catch (const std::exception&) {
        invalid("profile `" + p.name + "` has duration_seconds = " + d->value + where(d) +
                ", which is not a positive whole number of seconds");
      }
    }
    hops.push_back(std::move(hop));

    const auto* source_profile = p.find(property::source_profile);
    const auto* credential_source = p.find(property::credential_source);
    if (source_profile != nullptr && credential_source != nullptr) {
      invalid("profile contained both source_profile and credential_source: profile `" + p.name +
              "`" + where(source_profile) + "; set only one of them");
    }
    if (credential_source != nullptr) {
      base = named_source(p, *credential_source);
      break;
    }
    if (source_profile == nullptr) {
      invalid("profile `" + p.name + "` sets role_arn" + where(role) +
              " so the profile must contain `source_profile` or `credential_source`");
    }
    const std::string& next = source_profile->value;
    if (next == p.name) {
      // Self-reference: allowed only as "assume a role with my own static keys".
      if (!has_static_keys(p)) {
        invalid("profile formed an infinite loop: " + join_cycle(visited, next) +
                where(source_profile));
      }
      base = static_keys(p);
      break;
    }
    if (std::find(visited.begin(), visited.end(), next) != visited.end()) {
      invalid("profile formed an infinite loop: " + join_cycle(visited, next));
    }
    current = profiles.find(next);
    if (current == nullptr) {
      invalid("could not find source profile " + next + " referenced from " + p.name +
              where(source_profile));
    }
  }

  plan.base = std::move(*base);
  plan.hops.assign(hops.rbegin(), hops.rend());
  return plan;
}

}  // namespace awsauth::providers
