#pragma once
/// @file request_signer_curl.hpp
/// RequestSigner for libcurl: one call sets the URL, the method, the body and every header
/// (the caller's and the signed ones) on a `CURL*` handle. Header-only: it needs libcurl's
/// headers only when included, and the program links libcurl itself (CURL::libcurl).
///
// clang-format off
/// ```
/// CURL* curl = curl_easy_init();
/// const awsauth::curl::SignedTransfer transfer(signer, curl,
///     {.method = "POST", .url = url, .headers = {{"Content-Type", "application/json"}}, .body = json});
/// curl_easy_perform(curl);   // while `transfer` is alive: it owns the header list and the body
/// ```
// clang-format on

#include <curl/curl.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>

#include "awsauth/detail/ascii.hpp"
#include "awsauth/http.hpp"
#include "awsauth/request_signer.hpp"

namespace awsauth::curl {

/// Frees a curl_slist.
struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

/// Thrown when libcurl refuses an option (CURLcode and curl_easy_strerror in the message).
class CurlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A signed request set on a `CURL*` handle. It owns the header list and the body libcurl
/// reads from, so it must outlive curl_easy_perform (and may be dropped after it). Neither
/// copyable nor movable (libcurl keeps pointers into it); return it from a function by value
/// (guaranteed elision) or hold it in a std::optional. The handle stays the caller's.
///
/// What it sets: CURLOPT_URL (the URL as signed, or the presigned URL), the method (HTTPGET,
/// NOBODY for HEAD, POSTFIELDS for POST, CUSTOMREQUEST for any other), CURLOPT_POSTFIELDS +
/// CURLOPT_POSTFIELDSIZE_LARGE when there is a body or the method is POST, PUT or PATCH
/// (binary-safe: the bytes hashed are the bytes sent) and CURLOPT_HTTPHEADER with every header.
/// A streamed body (`request.body_source`, signed with the overload that takes its Payload) is
/// sent with CURLOPT_UPLOAD: libcurl pulls it through CURLOPT_READFUNCTION from the source,
/// CURLOPT_INFILESIZE_LARGE being `request.body_length` (sent as Content-Length unless the
/// request has its own), so a body of any size needs libcurl's buffer only. A source that throws
/// aborts the transfer (CURLE_ABORTED_BY_CALLBACK; the exception is kept in body_error()), and
/// so does one that ends before `body_length` bytes (body_error() then holds an HttpError of
/// kind BodySource with both counts). The source is never asked for more than `body_length`
/// bytes in all, so bytes it holds after them are not sent.
/// libcurl's own defaults that were not signed and would change what the service sees are
/// switched off unless the caller gave them: `Content-Type` with a body (curl would add
/// application/x-www-form-urlencoded) and `Expect: 100-continue`.
class SignedTransfer {
 public:
  SignedTransfer(const RequestSigner& signer, CURL* handle, HttpRequest request)
      : SignedTransfer(handle, signer.sign(std::move(request))) {}

  /// A body hashed elsewhere (signer::PayloadHasher): `request.body`, or the streamed body of
  /// `request.body_source` (read once, while curl_easy_perform runs), is what is sent.
  SignedTransfer(const RequestSigner& signer, CURL* handle, HttpRequest request,
                 const signer::Payload& payload)
      : SignedTransfer(handle, signer.sign(std::move(request), payload)) {}

  SignedTransfer(const SignedTransfer&) = delete;
  SignedTransfer& operator=(const SignedTransfer&) = delete;
  SignedTransfer(SignedTransfer&&) = delete;
  SignedTransfer& operator=(SignedTransfer&&) = delete;
  ~SignedTransfer() = default;

  /// What was signed and set.
  [[nodiscard]] const SignedRequest& signed_request() const noexcept { return signed_; }
  /// The header list set as CURLOPT_HTTPHEADER.
  [[nodiscard]] curl_slist* headers() const noexcept { return headers_.get(); }
  /// What a streamed body's source threw, which aborted the transfer; null when it threw
  /// nothing. Rethrow it (std::rethrow_exception) to report why curl_easy_perform failed.
  [[nodiscard]] std::exception_ptr body_error() const noexcept { return body_error_; }

 private:
  SignedTransfer(CURL* handle, SignedRequest signed_request) : signed_(std::move(signed_request)) {
    if (handle == nullptr) throw CurlError("awsauth::curl::SignedTransfer: null CURL handle");
    const HttpRequest& r = signed_.request;
    bool has_content_type = false;
    bool has_expect = false;
    for (const auto& [name, value] : r.headers) {
      has_content_type = has_content_type || iequals(name, "Content-Type");
      has_expect = has_expect || iequals(name, "Expect");
      // "Name;" sends an empty value ("Name:" would remove the header).
      std::string line = name;
      line.append(value.empty() ? ";" : ": ").append(value);
      append(line);
    }
    const bool streamed = static_cast<bool>(r.body_source);
    const bool carries_body = streamed || !r.body.empty() || r.method == "POST" ||
                              r.method == "PUT" || r.method == "PATCH";
    if (carries_body && !has_content_type) append("Content-Type:");
    if (!has_expect) append("Expect:");

    // Every method option is set, so a reused handle keeps nothing of its last request.
    set(handle, CURLOPT_URL, r.url.c_str());
    set(handle, CURLOPT_UPLOAD, 0L);
    set(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(-1));
    set(handle, CURLOPT_NOBODY, r.method == "HEAD" ? 1L : 0L);
    if (streamed) {
      set(handle, CURLOPT_READFUNCTION, &SignedTransfer::read_body);
      set(handle, CURLOPT_READDATA, static_cast<void*>(this));
      set(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(r.body_length));
      set(handle, CURLOPT_UPLOAD, 1L);  // libcurl's PUT; CUSTOMREQUEST names any other method
    } else if (carries_body) {
      set(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      set(handle, CURLOPT_POSTFIELDS, r.body.data());
    } else if (r.method != "HEAD") {
      set(handle, CURLOPT_HTTPGET, 1L);
    }
    const bool curl_method = streamed
                                 ? r.method == "PUT"
                                 : r.method == "GET" || r.method == "HEAD" || r.method == "POST";
    set(handle, CURLOPT_CUSTOMREQUEST, curl_method ? nullptr : r.method.c_str());
    set(handle, CURLOPT_HTTPHEADER, headers_.get());
  }

  // CURLOPT_READFUNCTION for a streamed body: libcurl's buffer filled from the request's source,
  // never with more than the body_length bytes still due.
  static std::size_t read_body(char* out, std::size_t size, std::size_t count, void* self) {
    auto* transfer = static_cast<SignedTransfer*>(self);
    const HttpRequest& r = transfer->signed_.request;
    const std::uint64_t left = r.body_length - transfer->body_sent_;
    if (left == 0) return 0;
    const std::size_t want = left < size * count ? static_cast<std::size_t>(left) : size * count;
    try {
      const std::size_t n = r.body_source(out, want);
      if (n == 0) {
        // libcurl would send the request cut short and wait for an answer to it.
        throw HttpError(HttpErrorKind::BodySource, r.url,
                        "the body source ended after " + std::to_string(transfer->body_sent_) +
                            " of " + std::to_string(r.body_length) + " bytes");
      }
      transfer->body_sent_ += n;
      return n;
    } catch (...) {
      transfer->body_error_ = std::current_exception();
      return CURL_READFUNC_ABORT;
    }
  }

  static bool iequals(const std::string& a, const char* b) {
    return awsauth::detail::ascii_iequals(a, b);
  }

  void append(const std::string& line) {
    curl_slist* next = curl_slist_append(headers_.get(), line.c_str());
    if (next == nullptr) throw CurlError("curl_slist_append failed (out of memory)");
    (void)headers_.release();
    headers_.reset(next);
  }

  template <typename T>
  static void set(CURL* handle, CURLoption option, T value) {
    if (const CURLcode rc = curl_easy_setopt(handle, option, value); rc != CURLE_OK) {
      throw CurlError(std::string("curl_easy_setopt failed: ") + curl_easy_strerror(rc));
    }
  }

  SignedRequest signed_;
  Slist headers_;
  std::exception_ptr body_error_;
  std::uint64_t body_sent_ = 0;
};

}  // namespace awsauth::curl
