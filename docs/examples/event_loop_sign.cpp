// docs/caching.md, "Event loops": signed requests from a single-threaded poll() loop that never
// waits for credentials, with the default chain behind a CachingProvider. The loop itself is
// docs/examples/poll_signing_loop.hpp (tests/unit/examples runs it against a source that takes
// 2 s and checks that the loop keeps ticking). Built by CMake (docs/examples). Run it with
// credentials in the environment, e.g.
//   AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_EC2_METADATA_DISABLED=true
//   ./build/docs/examples/event_loop_sign

#include <chrono>
#include <iostream>

#include "awsauth/providers/default_chain.hpp"
#include "poll_signing_loop.hpp"

int main() {
  using namespace std::chrono_literals;
  try {
    // One cache for the process; its worker thread does the (possibly slow) fetches.
    const auto credentials =
        awsauth::providers::make_default_credentials_provider(awsauth::Context::system());

    auto request = awsauth::signer::parse_url("POST", "https://sts.us-east-1.amazonaws.com/");
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    example::PollSigningLoop loop(
        credentials, request, "Action=GetCallerIdentity&Version=2011-06-15",
        awsauth::signer::SigningSettings::for_service("us-east-1", "sts"),
        [](const awsauth::signer::Request& r, const awsauth::signer::SigningResult& signed_request,
           const awsauth::Credentials& creds) {
          // "Send": a real program writes the request to a non-blocking socket here.
          std::cout << r.method << " https://" << r.host << r.path << " key "
                    << creds.access_key_id() << " from " << creds.provider_name() << " signature "
                    << signed_request.signature << "\n";
        });

    const auto report = loop.run({.tick = 200ms, .requests = 5, .give_up = 10s});
    std::cerr << report.ticks << " ticks, " << report.sent << " requests signed, "
              << report.async_gets << " asynchronous gets, longest stall "
              << report.longest_busy.count() << " us\n";
    if (report.sent == 0) {
      // Lists every provider tried and why each was passed over; never contains a secret.
      std::cerr << "no credentials: " << report.last_error << "\n";
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {  // a malformed config file, poll() failing, ...
    std::cerr << e.what() << "\n";
    return 1;
  }
}
