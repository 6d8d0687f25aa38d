// awsauth which [--profile NAME] [--format text|json]
//
// Resolves credentials as `awsauth creds` does (the default chain behind the cache, the same
// options) and prints where they came from, never a secret: the provider that won, every
// provider of the chain with its outcome and reason (ChainProvider::trace()), the access key
// id masked but for its last 4 characters, the expiry and time left, the region and where it
// came from, the profile and how it was chosen. Exit codes: 0 found, 1 none / failure, 2 usage.

#include <chrono>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "args.hpp"
#include "awsauth/caching.hpp"
#include "awsauth/chain.hpp"
#include "awsauth/credentials.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/region.hpp"
#include "chain_environment.hpp"
#include "commands.hpp"
#include "mfa_prompt.hpp"
#include "quoting.hpp"

namespace awsauth::cli {
namespace {

enum class Format { Text, Json };

struct WhichOptions {
  std::optional<std::string> profile;
  Format format = Format::Text;
};

WhichOptions read_which_options(const ParsedArgs& parsed) {
  WhichOptions options;
  if (!parsed.positionals().empty()) {
    throw UsageError("unexpected argument '" + printable(parsed.positionals().front()) + "'");
  }
  if (const auto profile = parsed.value("profile")) {
    if (profile->empty()) throw UsageError("option '--profile' needs a non-empty name");
    options.profile = *profile;
  }
  if (parsed.value("format").value_or("text") == "json") options.format = Format::Json;
  return options;
}

// AWS CLI `aws configure list` style: only the last 4 characters are shown.
std::string mask_access_key_id(const std::string& id) {
  if (id.size() <= 4) return std::string(id.size(), '*');
  return std::string(id.size() - 4, '*') + id.substr(id.size() - 4);
}

const char* profile_source(providers::ProfileSelection::Source source) {
  switch (source) {
    case providers::ProfileSelection::Source::Explicit:
      return "--profile";
    case providers::ProfileSelection::Source::AwsDefaultProfile:
      return "AWS_DEFAULT_PROFILE";
    case providers::ProfileSelection::Source::AwsProfile:
      return "AWS_PROFILE";
    case providers::ProfileSelection::Source::Default:
      return "default";
  }
  return "default";
}

std::string duration_words(std::chrono::seconds left) {
  auto s = left.count();
  const bool past = s < 0;
  if (past) s = -s;
  std::ostringstream out;
  if (s >= 3600) out << s / 3600 << "h ";
  if (s >= 60) out << (s % 3600) / 60 << "m ";
  out << s % 60 << "s";
  return past ? "expired " + out.str() + " ago" : "in " + out.str();
}

// Everything `which` reports; filled as far as resolution got.
struct Report {
  CredentialsPtr credentials;  // null on failure
  std::string error;           // set on failure
  ChainTrace trace;
  providers::ProfileSelection profile;
  std::optional<providers::ResolvedRegion> region;
  std::optional<std::chrono::seconds> time_left;
};

// "static keys in the shared credentials file (shared-credentials-file)": the user's words
// first where the library has them, the name `creds --format json` reports after.
std::string display_name(const std::string& provider) { return provider_label(provider); }

// The user's words for a built-in provider; empty for a provider of the user's own (whose
// label is its bare name).
std::string known_words(const std::string& provider) {
  return provider_label(provider) == provider ? std::string() : describe_provider(provider);
}

void print_text(const Report& r) {
  std::ostream& out = std::cout;
  if (r.credentials) {
    out << "provider:       " << message_line(display_name(r.credentials->provider_name())) << "\n"
        << "access key id:  " << mask_access_key_id(r.credentials->access_key_id()) << "\n"
        << "expires:        ";
    if (r.credentials->expiration()) {
      out << format_iso8601(*r.credentials->expiration()) << " (" << duration_words(*r.time_left)
          << ")\n";
    } else {
      out << "never (long-term keys)\n";
    }
  } else {
    out << "provider:       none\n";
  }
  out << "region:         ";
  if (r.region) {
    out << message_line(r.region->name) << " (from " << message_line(r.region->origin) << ")\n";
  } else {
    out << "none (AWS_REGION, AWS_DEFAULT_REGION and the profile's region are not set)\n";
  }
  out << "profile:        " << message_line(r.profile.name) << " ("
      << (r.profile.source == providers::ProfileSelection::Source::Default
              ? std::string("the default: no --profile, AWS_DEFAULT_PROFILE or AWS_PROFILE")
              : std::string("from ") + profile_source(r.profile.source))
      << ")\n"
      << "providers, in the order tried:\n";
  std::string not_tried;
  int number = 0;
  for (const auto& entry : r.trace.entries) {
    ++number;
    if (entry.outcome == ChainOutcome::NotTried) {
      not_tried += (not_tried.empty() ? "" : ", ") + entry.provider;
      continue;
    }
    out << "  " << number << ". " << message_line(entry.provider);
    if (const auto words = known_words(entry.provider); !words.empty()) {
      out << ": " << words;
    }
    out << "\n     " << to_string(entry.outcome);
    if (!entry.reason.empty()) out << ": " << message_line(entry.reason);
    out << "\n";
  }
  if (!not_tried.empty()) out << "  not tried: " << message_line(not_tried) << "\n";
}

void print_json(const Report& r) {
  std::ostream& out = std::cout;
  const Credentials* c = r.credentials.get();
  out << "{\"provider\": " << (c ? json_string(c->provider_name()) : "null");
  out << ", \"provider_description\": ";
  if (c && !known_words(c->provider_name()).empty()) {
    out << json_string(known_words(c->provider_name()));
  } else {
    out << "null";
  }
  out << ", \"access_key_id\": "
      << (c ? json_string(mask_access_key_id(c->access_key_id())) : "null") << ", \"expiration\": "
      << (c && c->expiration() ? json_string(format_iso8601(*c->expiration())) : "null")
      << ", \"time_left_seconds\": "
      << (c && r.time_left ? std::to_string(r.time_left->count()) : "null")
      << ", \"region\": " << (r.region ? json_string(r.region->name) : "null")
      << ", \"region_source\": " << (r.region ? json_string(r.region->origin) : "null")
      << ", \"profile\": " << json_string(r.profile.name)
      << ", \"profile_source\": " << json_string(profile_source(r.profile.source))
      << ", \"tried\": [";
  bool first = true;
  for (const auto& entry : r.trace.entries) {
    out << (first ? "" : ", ") << "{\"provider\": " << json_string(entry.provider)
        << ", \"outcome\": " << json_string(to_string(entry.outcome))
        << ", \"reason\": " << (entry.reason.empty() ? "null" : json_string(entry.reason));
    if (entry.outcome == ChainOutcome::NotConfigured || entry.outcome == ChainOutcome::Failed) {
      out << ", \"kind\": " << json_string(to_string(entry.kind));
    }
    out << "}";
    first = false;
  }
  out << "], \"error\": " << (r.error.empty() ? "null" : json_string(r.error)) << "}\n";
}

}  // namespace

const CommandSpec& which_spec() {
  static const CommandSpec kSpec{
      .name = "which",
      .summary =
          "show where the credentials come from and why each provider before it was "
          "passed over",
      .synopsis = "[--profile NAME] [--format text|json]",
      .description =
          "Resolves credentials as 'awsauth creds' does and shows where they came from, without "
          "any secret: the provider that won and why each one before it was passed over, the "
          "access key id (masked but for its last 4 characters), the expiry and time left, the "
          "region and the profile, each with where it came from.",
      .options = {default_chain_profile_option(),
                  {.name = "format",
                   .value_name = "FORMAT",
                   .meaning = "text: for a reader; json: one object with the keys provider, "
                              "access_key_id, expiration, region, profile and tried",
                   .default_text = "text",
                   .choices = {"text", "json"}}},
      .environment = default_chain_environment(),
      .exit_codes = {{0, "credentials found (the report is on stdout)"},
                     {1,
                      "no credentials, or a provider failed: the same report, with the "
                      "reason of each provider tried"},
                     {2, "usage error"}},
      .examples = {"awsauth which --profile deploy", "awsauth which --format json"},
  };
  return kSpec;
}

int run_which(const Args& args) {
  std::optional<WhichOptions> parsed_options;
  const int parse_exit = run_command(which_spec(), args, [&](const ParsedArgs& parsed) {
    parsed_options = read_which_options(parsed);
    return 0;
  });
  if (!parsed_options) return parse_exit;  // --help printed, or a usage error reported
  const WhichOptions& options = *parsed_options;

  // What make_default_credentials_provider() builds, with the chain kept for its trace.
  const Context ctx = Context::system();
  const providers::DefaultChainOptions chain_options{.profile = options.profile,
                                                     .mfa_token = terminal_mfa_prompt()};
  auto chain = std::make_shared<providers::DefaultChain>(ctx, chain_options);
  CachingProvider provider(chain, chain_options.refresh_policy, ctx.clock, ctx.random);

  Report report;
  report.profile = chain->profile();
  try {
    report.credentials = provider.get();
  } catch (const NoCredentialsError& e) {
    report.error = e.kind() == ErrorKind::NotConfigured ? "no credentials found"
                                                        : "credentials could not be resolved";
  } catch (const CredentialsError& e) {
    // Before any provider ran (malformed file, missing named profile), or the cache refused
    // what the winner gave (already expired).
    report.error = e.what();
  }
  report.trace = chain->trace();
  try {
    if (auto found = providers::find_region(ctx, *chain->resolved_profile())) {
      report.region = std::move(*found);
    }
  } catch (const CredentialsError&) {
    // A malformed file: already the error above; no region to show.
  }
  if (report.credentials && report.credentials->expiration()) {
    report.time_left = std::chrono::floor<std::chrono::seconds>(*report.credentials->expiration() -
                                                                ctx.clock->now());
  }

  if (options.format == Format::Json) {
    print_json(report);
  } else {
    print_text(report);
  }
  std::cout.flush();
  if (!report.error.empty()) {
    std::cerr << "awsauth which: " << message_line(report.error) << "\n";
    return 1;
  }
  return std::cout.good() ? 0 : 1;
}

}  // namespace awsauth::cli
