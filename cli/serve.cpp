// awsauth serve [--profile NAME] [--port N] [--format plain|env]
//
// One credentials cache for every process on the host: a container-credentials endpoint on
// 127.0.0.1 (providers::CredentialsServer) in front of the default chain behind a CachingProvider
// with proactive refresh. Prints the two variables that point AWS SDKs and CLIs at it, then
// serves until SIGTERM or SIGINT. See docs/serve.md.

#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <iostream>
#include <optional>

#include "args.hpp"
#include "awsauth/caching.hpp"
#include "awsauth/errors.hpp"
#include "awsauth/printable.hpp"
#include "awsauth/providers/default_chain.hpp"
#include "awsauth/providers/serve/credentials_server.hpp"
#include "chain_environment.hpp"
#include "commands.hpp"
#include "mfa_prompt.hpp"
#include "no_credentials.hpp"
#include "quoting.hpp"

namespace awsauth::cli {
namespace {

struct ServeOptions {
  std::optional<std::string> profile;
  std::uint16_t port = 0;
  bool export_lines = false;
};

ServeOptions read_serve_options(const ParsedArgs& parsed) {
  ServeOptions options;
  if (!parsed.positionals().empty()) {
    throw UsageError("unexpected argument '" + printable(parsed.positionals().front()) + "'");
  }
  options.profile = parsed.value("profile");
  if (const auto port = parsed.value("port")) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port->data(), port->data() + port->size(), value);
    if (error != std::errc() || end != port->data() + port->size() || value > 65535) {
      throw UsageError("--port: '" + printable(*port) + "' is not a port number (0-65535)");
    }
    options.port = static_cast<std::uint16_t>(value);
  }
  options.export_lines = parsed.value("format").value_or("plain") == "env";
  return options;
}

// The credentials the endpoint will hand out, resolved once before it listens, so a profile
// that cannot work fails here with the chain's reasons instead of on every request.
int check_source(CachingProvider& cache) {
  try {
    const CredentialsPtr credentials = cache.get();
    if (!credentials->has_session_token()) {
      std::cerr << "awsauth serve: the credentials of this profile are long-term keys (no "
                   "session token) from "
                << describe_provider(credentials->provider_name())
                << "; they are not served to other processes. Use a role, SSO or login "
                   "profile.\n";
      return 1;
    }
    return 0;
  } catch (const NoCredentialsError& e) {
    std::cerr << "awsauth serve: " << providers_tried_message(e) << "\n";
  } catch (const CredentialsError& e) {
    std::cerr << "awsauth serve: " << message_line(e.reason()) << "\n";
  }
  return 1;
}

}  // namespace

const CommandSpec& serve_spec() {
  static const CommandSpec kSpec{
      .name = "serve",
      .summary = "serve one credentials cache to every process on the host (container protocol)",
      .synopsis = "[--profile NAME] [--port N] [--format plain|env]",
      .description =
          "Resolves credentials through the default chain, then serves them on "
          "http://127.0.0.1:PORT/credentials with the container-credentials protocol, to callers "
          "that send the random token it prints. AWS SDKs and CLIs use it through "
          "AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN; the two "
          "lines are printed on stdout as soon as it listens. Credentials are refreshed in the "
          "background before they expire, so the host causes one refresh per credentials "
          "lifetime. Long-term keys (no session token) are not served. Runs until SIGTERM or "
          "SIGINT.",
      .options = {default_chain_profile_option(),
                  {.name = "port",
                   .value_name = "N",
                   .meaning = "the port on 127.0.0.1 to listen on; 0 picks a free one",
                   .default_text = "0"},
                  {.name = "format",
                   .value_name = "FORMAT",
                   .meaning = "plain: NAME=value lines; env: export lines for a POSIX shell",
                   .default_text = "plain",
                   .choices = {"plain", "env"}}},
      .environment =
          [] {
            auto env = default_chain_environment();
            env.push_back({"AWSAUTH_LOG",
                           "debug, info, warning or error: log background refreshes on stderr"});
            return env;
          }(),
      .exit_codes = {{0, "stopped by SIGTERM or SIGINT"},
                     {1,
                      "no credentials could be resolved, they are long-term keys, or the port "
                      "could not be bound"},
                     {2, "usage error"}},
      .examples = {"awsauth serve --profile deploy --format env > /tmp/awsauth-serve.env &",
                   ". /tmp/awsauth-serve.env && aws sts get-caller-identity"},
  };
  return kSpec;
}

int run_serve(const Args& args) {
  std::optional<ServeOptions> options;
  const int parse_exit = run_command(serve_spec(), args, [&](const ParsedArgs& parsed) {
    options = read_serve_options(parsed);
    return 0;
  });
  if (!options) return parse_exit;

  // SIGTERM and SIGINT are taken by sigwait() below, never by a handler: blocked before any
  // thread starts, so every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a client that hangs up mid-response is its own problem

  const Context context = Context::system();
  auto chain = std::make_shared<providers::DefaultChain>(
      context, providers::DefaultChainOptions{.profile = options->profile,
                                              .mfa_token = terminal_mfa_prompt()});
  RefreshPolicy policy;
  policy.proactive = RefreshPolicy::Proactive{};
  auto cache = std::make_shared<CachingProvider>(chain, policy, context.clock, context.random);
  if (const int failed = check_source(*cache)) return failed;

  std::optional<providers::CredentialsServer> server;
  try {
    server.emplace(cache, providers::CredentialsServerOptions{.port = options->port});
  } catch (const std::exception& e) {
    std::cerr << "awsauth serve: " << message_line(e.what()) << "\n";
    return 1;
  }
  const char* prefix = options->export_lines ? "export " : "";
  // Flushed at once: a pipe is fully buffered, and the reader waits for these lines.
  std::cout << prefix << "AWS_CONTAINER_CREDENTIALS_FULL_URI=" << server->url() << "\n"
            << prefix << "AWS_CONTAINER_AUTHORIZATION_TOKEN=" << server->token() << "\n"
            << std::flush;

  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) != 0) {
  }
  server->stop();
  return 0;
}

}  // namespace awsauth::cli
