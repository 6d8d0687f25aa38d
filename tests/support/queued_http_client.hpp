#pragma once
/// @file queued_http_client.hpp
/// An HttpClient double that hands out queued answers in order, whatever was asked, and records
/// every request. With the queue empty a send() fails like a refused connection. Not
/// thread-safe: for single-threaded unit tests.

#include <deque>
#include <vector>

#include "awsauth/http.hpp"

namespace awsauth::test {

class QueuedHttpClient final : public HttpClient {
 public:
  std::deque<HttpResponse> answers;
  std::vector<HttpRequest> sent;

  HttpResponse send(const HttpRequest& request, const HttpOptions&) override {
    sent.push_back(request);
    if (answers.empty()) throw HttpError(HttpErrorKind::ConnectFailed, request.url, "no answer");
    auto r = answers.front();
    answers.pop_front();
    return r;
  }
};

}  // namespace awsauth::test
