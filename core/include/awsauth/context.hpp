#pragma once
/// @file context.hpp
/// The one small object through which providers reach the outside world.

#include <memory>

#include "awsauth/clock.hpp"
#include "awsauth/environment.hpp"
#include "awsauth/export.hpp"
#include "awsauth/http.hpp"
#include "awsauth/process.hpp"
#include "awsauth/random.hpp"

namespace awsauth {

/// Everything a provider may touch outside its own memory. Tests replace any member with a
/// double; `Context::system()` gives the real ones. Copies share the same seams.
struct AWSAUTH_API Context {
  std::shared_ptr<const Environment> environment;
  std::shared_ptr<const FileSystem> files;
  std::shared_ptr<const Clock> clock;
  std::shared_ptr<Random> random;
  std::shared_ptr<HttpClient> http;
  std::shared_ptr<ProcessRunner> processes;
  std::shared_ptr<Resolver> resolver;

  /// The real process environment, file system, clock, randomness, Poco HTTP client, process
  /// runner and system resolver.
  [[nodiscard]] static Context system();
};

/// The default implementations behind Context::system(), for callers that want one seam real
/// and the others doubled.
[[nodiscard]] AWSAUTH_API std::shared_ptr<HttpClient> make_poco_http_client();
[[nodiscard]] AWSAUTH_API std::shared_ptr<ProcessRunner> make_system_process_runner();
[[nodiscard]] AWSAUTH_API std::shared_ptr<Resolver> make_system_resolver();

}  // namespace awsauth
