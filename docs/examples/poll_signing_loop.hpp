#pragma once
// docs/caching.md, "Event loops": a single-threaded poll() loop that signs requests and never
// waits for credentials. Each timer tick queues one request; queued requests are signed with
// what CachingProvider::try_get() has right now. When it has nothing usable the loop starts one
// get_async(), whose callback (on the cache's worker thread) leaves the result in a mailbox and
// wakes poll() through an eventfd; until then the loop keeps ticking.
//
// Header-only so that docs/examples/event_loop_sign.cpp runs it against the default chain and
// tests/unit/examples/poll_signing_loop_test.cpp runs it against a slow source.

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "awsauth/caching.hpp"
#include "awsauth/signer/payload.hpp"
#include "awsauth/signer/request.hpp"
#include "awsauth/signer/settings.hpp"
#include "awsauth/signer/signer.hpp"

namespace example {

/// What one run did, and how long the loop was ever kept from polling.
struct LoopReport {
  int ticks = 0;              ///< timer ticks handled (one request queued per tick)
  int sent = 0;               ///< requests signed and handed to `send`
  int async_gets = 0;         ///< times try_get() had nothing and get_async() was started
  int credential_errors = 0;  ///< get_async() completions with an error
  std::string last_error;
  /// Longest time between poll() returning and the loop calling it again: how long the loop
  /// itself was busy (signing, sending, asking for credentials) in one iteration.
  std::chrono::microseconds longest_busy{0};
  /// Longest time between two handled ticks (the tick period plus any stall and scheduling
  /// delay): what a timer on this loop would see.
  std::chrono::microseconds longest_tick_gap{0};
};

/// The loop. `send` receives each signed request (a real program writes it to a non-blocking
/// socket here); it runs on the loop's thread and must not block either.
class PollSigningLoop {
 public:
  using Send = std::function<void(const awsauth::signer::Request& request,
                                  const awsauth::signer::SigningResult& signed_request,
                                  const awsauth::Credentials& credentials)>;

  struct Options {
    std::chrono::milliseconds tick{10};
    int requests = 10;                         ///< ticks that queue a request; then stop when sent
    std::chrono::milliseconds give_up{30000};  ///< stop after this long, whatever happened
    std::chrono::milliseconds retry_after{1000};  ///< after a credentials error
    int batch = 16;  ///< requests signed per iteration at most: a backlog never stalls the loop
  };

  PollSigningLoop(std::shared_ptr<awsauth::CachingProvider> credentials,
                  awsauth::signer::Request request, std::string body,
                  awsauth::signer::SigningSettings settings, Send send)
      : credentials_(std::move(credentials)),
        request_(std::move(request)),
        body_(std::move(body)),
        settings_(std::move(settings)),
        send_(std::move(send)),
        mailbox_(std::make_shared<Mailbox>()) {}

  LoopReport run(const Options& options) {
    using Clock = std::chrono::steady_clock;
    LoopReport report;
    const auto start = Clock::now();
    auto next_tick = start + options.tick;
    auto last_tick = start;
    auto retry_at = start;
    int queued = 0;                     // requests waiting for credentials
    bool waiting = false;               // a get_async() is outstanding
    bool more = false;                  // a backlog is being drained: poll() without waiting
    awsauth::CredentialsPtr delivered;  // what the last get_async() brought
    awsauth::signer::SigningResult signed_request;  // reused: keeps its buffers

    while (report.sent < options.requests && Clock::now() - start < options.give_up) {
      const auto timeout = more ? std::chrono::milliseconds(0)
                                : std::chrono::ceil<std::chrono::milliseconds>(
                                      std::max(next_tick - Clock::now(), Clock::duration::zero()));
      more = false;
      pollfd wake{.fd = mailbox_->fd, .events = POLLIN, .revents = 0};
      if (::poll(&wake, 1, static_cast<int>(timeout.count())) < 0 && errno != EINTR) {
        throw std::system_error(errno, std::generic_category(), "poll");
      }
      const auto busy_from = Clock::now();

      if (wake.revents & POLLIN) {
        std::uint64_t count = 0;
        (void)::read(mailbox_->fd, &count, sizeof count);
        std::exception_ptr error;
        {
          std::lock_guard lock(mailbox_->mutex);
          delivered = std::move(mailbox_->credentials);
          error = std::move(mailbox_->error);
        }
        waiting = false;
        if (error) {
          ++report.credential_errors;
          report.last_error = describe(error);
          retry_at = busy_from + options.retry_after;
        }
      }
      if (busy_from >= next_tick && report.ticks < options.requests) {
        ++report.ticks;
        ++queued;
        report.longest_tick_gap =
            std::max(report.longest_tick_gap,
                     std::chrono::duration_cast<std::chrono::microseconds>(busy_from - last_tick));
        last_tick = busy_from;
        next_tick = std::max(next_tick + options.tick, busy_from);
      }
      // After a credentials error, not even try_get() until the pause is over: with nothing
      // usable cached it would start another fetch at once, as get() would.
      if (queued > 0 && !waiting && busy_from >= retry_at) {
        // Never blocks: the cached credentials if usable now, else null (and a refresh that is
        // due has been handed to the cache's worker).
        awsauth::CredentialsPtr creds = credentials_->try_get();
        if (!creds) creds = std::exchange(delivered, nullptr);
        if (creds) {
          for (int n = 0; queued > 0 && n < options.batch; ++n, --queued) {
            awsauth::signer::sign(request_, awsauth::signer::Payload::from_bytes(body_), *creds,
                                  settings_, std::chrono::system_clock::now(), signed_request);
            send_(request_, signed_request, *creds);
            ++report.sent;
          }
          more = queued > 0;
        } else {
          start_async_get();
          waiting = true;
          ++report.async_gets;
        }
      }
      report.longest_busy =
          std::max(report.longest_busy,
                   std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - busy_from));
      if (report.ticks >= options.requests && queued == 0) break;
    }
    return report;
  }

 private:
  // Filled on the worker thread, read on the loop's. The mutex (held for a few instructions)
  // orders the two; the eventfd only wakes poll(). Shared with the callback so that either
  // side may go first: a callback after the loop is gone still writes to a live mailbox.
  struct Mailbox {
    int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    std::mutex mutex;
    awsauth::CredentialsPtr credentials;
    std::exception_ptr error;

    Mailbox() {
      if (fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    }
    ~Mailbox() { ::close(fd); }
    Mailbox(const Mailbox&) = delete;
    Mailbox& operator=(const Mailbox&) = delete;
  };

  void start_async_get() {
    credentials_->get_async(
        [mailbox = mailbox_](awsauth::CredentialsPtr credentials, std::exception_ptr error) {
          {
            std::lock_guard lock(mailbox->mutex);
            mailbox->credentials = std::move(credentials);
            mailbox->error = std::move(error);
          }
          const std::uint64_t one = 1;
          (void)::write(mailbox->fd, &one, sizeof one);
        });
  }

  static std::string describe(const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      return e.what();
    } catch (...) {
      return "unknown error";
    }
  }

  std::shared_ptr<awsauth::CachingProvider> credentials_;
  awsauth::signer::Request request_;
  std::string body_;
  awsauth::signer::SigningSettings settings_;
  Send send_;
  std::shared_ptr<Mailbox> mailbox_;
};

}  // namespace example
