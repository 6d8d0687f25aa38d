#pragma once
// Test doubles for the metadata providers' unit tests: a scripted HttpClient (each expected
// request in order, with its answer or transport error) and a fixed-answer Resolver.

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "awsauth/http.hpp"

namespace awsauth::test {

inline HttpResponse http_response(int status, std::string body = {}, std::string reason = {}) {
  HttpResponse r;
  r.status = status;
  r.reason = std::move(reason);
  r.body = std::move(body);
  return r;
}

/// Plays a script: every send() must match the next expected method and URL; it then returns
/// the scripted response or throws the scripted HttpError. With a handler instead, every
/// request is answered by the handler (for concurrency tests). Records what was sent.
class ScriptedHttpClient final : public HttpClient {
 public:
  struct Sent {
    HttpRequest request;
    HttpOptions options;
  };

  void expect(std::string method, std::string url, HttpResponse response) {
    std::lock_guard lock(mutex_);
    script_.push_back({std::move(method), std::move(url), std::move(response)});
  }
  void expect_error(std::string method, std::string url, HttpErrorKind kind) {
    std::lock_guard lock(mutex_);
    std::string u = url;
    script_.push_back({std::move(method), std::move(url), HttpError(kind, u, "scripted failure")});
  }
  void set_handler(std::function<HttpResponse(const HttpRequest&)> handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
  }

  HttpResponse send(const HttpRequest& request, const HttpOptions& options) override {
    std::function<HttpResponse(const HttpRequest&)> handler;
    Step step;
    {
      std::lock_guard lock(mutex_);
      sent_.push_back({request, options});
      handler = handler_;
      if (!handler) {
        if (script_.empty()) {
          ADD_FAILURE() << "unexpected request " << request.method << " " << request.url;
          throw HttpError(HttpErrorKind::ConnectFailed, request.url, "unexpected request");
        }
        step = std::move(script_.front());
        script_.pop_front();
      }
    }
    if (handler) return handler(request);
    EXPECT_EQ(step.method, request.method);
    EXPECT_EQ(step.url, request.url);
    if (auto* error = std::get_if<HttpError>(&step.result)) throw *error;
    return std::get<HttpResponse>(step.result);
  }

  [[nodiscard]] std::vector<Sent> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  [[nodiscard]] std::size_t remaining() const {
    std::lock_guard lock(mutex_);
    return script_.size();
  }

 private:
  struct Step {
    std::string method;
    std::string url;
    std::variant<HttpResponse, HttpError> result = HttpResponse{};
  };
  mutable std::mutex mutex_;
  std::deque<Step> script_;
  std::vector<Sent> sent_;
  std::function<HttpResponse(const HttpRequest&)> handler_;
};

/// Answers names from a fixed table; unknown names fail like an unresolvable host.
class FixedResolver final : public Resolver {
 public:
  explicit FixedResolver(std::map<std::string, std::vector<std::string>> answers)
      : answers_(std::move(answers)) {}
  std::vector<std::string> resolve(const std::string& host) override {
    std::lock_guard lock(mutex_);
    ++calls_;
    auto it = answers_.find(host);
    if (it == answers_.end()) {
      throw HttpError(HttpErrorKind::ConnectFailed, host,
                      "cannot resolve host name '" + host + "'");
    }
    return it->second;
  }
  [[nodiscard]] int calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<std::string>> answers_;
  int calls_ = 0;
};

}  // namespace awsauth::test
