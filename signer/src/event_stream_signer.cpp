// SigV4 event-stream message signing (smithy-rs aws-sigv4 event_stream.rs, aws-sdk-go-v2
// aws/signer/v4/stream.go, aws-c-auth aws_signing.c for AWS_ST_HTTP_REQUEST_EVENT):
//
//   Step 1, the `:date` header: encoded alone (name length, ":date", type 8, int64 ms)
//   Step 2, string to sign:     AWS4-HMAC-SHA256-PAYLOAD, the date, the scope, the previous
//                               signature, hex SHA-256 of step 1, hex SHA-256 of the payload
//   Step 3, signature:          HMAC-SHA256(signing key of the message's day, step 2)
//   Step 4, outer message:      `:chunk-signature` (the raw 32 bytes), `:date`; payload = the
//                               encoded inner message
//
// There is no canonical request: the payload is the inner message's bytes as sent.

#include <chrono>
#include <utility>

#include "amz_date.hpp"
#include "awsauth/signer/event_stream.hpp"
#include "awsauth/signer/request.hpp"
#include "awsauth/signer/signer.hpp"
#include "crypto.hpp"
#include "event_stream_frame.hpp"
#include "steps.hpp"

namespace awsauth::signer {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD";
constexpr std::string_view kDateHeader = ":date";
constexpr std::string_view kSignatureHeader = ":chunk-signature";

void append_event_string_to_sign(std::string_view amz_date, std::string_view credential_scope,
                                 std::string_view previous_signature,
                                 std::string_view encoded_headers, std::string_view payload,
                                 std::string& out) {
  out.append(kAlgorithm).push_back('\n');
  out.append(amz_date).push_back('\n');
  out.append(credential_scope).push_back('\n');
  out.append(previous_signature).push_back('\n');
  crypto::append_hex(crypto::sha256(encoded_headers), out);
  out.push_back('\n');
  crypto::append_hex(crypto::sha256(payload), out);
}

// Step 1: the `:date` header as the outer message carries it.
void append_date_header(EventStreamTimestamp date, std::string& out) {
  event_stream::append_header({std::string(kDateHeader), date}, out);
}

}  // namespace

std::string event_stream_string_to_sign(std::string_view amz_date,
                                        std::string_view credential_scope,
                                        std::string_view previous_signature,
                                        std::string_view encoded_headers,
                                        std::string_view payload) {
  std::string out;
  append_event_string_to_sign(amz_date, credential_scope, previous_signature, encoded_headers,
                              payload, out);
  return out;
}

EventStreamSigner::EventStreamSigner(SigningKey key, Scope scope, std::string seed_signature)
    : key_(key), scope_(std::move(scope)), previous_(std::move(seed_signature)) {}

EventStreamSigner::EventStreamSigner(const SigningResult& initial)
    : EventStreamSigner(initial.signing_key, initial.scope, initial.signature) {}

EventStreamSigner::EventStreamSigner(const SigningResult& initial, const Credentials& credentials)
    : EventStreamSigner(initial) {
  secret_ = credentials.secret_access_key();
}

EventStreamSigner::~EventStreamSigner() = default;
EventStreamSigner::EventStreamSigner(EventStreamSigner&&) noexcept = default;
EventStreamSigner& EventStreamSigner::operator=(EventStreamSigner&&) noexcept = default;

void EventStreamSigner::use_day_of(TimePoint time) {
  char amz_date[dates::kAmzDateSize];
  dates::write_amz_date(time, amz_date);
  const std::string_view day(amz_date, 8);
  if (day == scope_.date) return;
  if (!secret_) {
    throw SigningError("event stream message dated " + std::string(day) +
                       " is on another UTC day than the signing key's scope (" + scope_.date +
                       "); the scope follows the message's day, so make the EventStreamSigner "
                       "with the credentials to let it derive that day's key");
  }
  Scope next = scope_;
  next.date = std::string(day);
  key_ = derive_signing_key(secret_->reveal(), next);
  scope_ = std::move(next);
}

void EventStreamSigner::sign_message(const EventStreamMessage& inner, TimePoint time,
                                     std::string& out) {
  inner_.clear();
  encode_message(inner, inner_);
  sign_encoded(inner_, time, out);
}

void EventStreamSigner::sign_encoded(std::string_view encoded_inner, TimePoint time,
                                     std::string& out) {
  const EventStreamLimits limits;
  if (encoded_inner.size() > limits.max_payload_bytes) {
    throw EventStreamError(EventStreamErrorKind::payload_too_long, 0,
                           "event stream message of " + std::to_string(encoded_inner.size()) +
                               " bytes is above the " + std::to_string(limits.max_payload_bytes) +
                               "-byte payload limit of the outer signed message");
  }
  // Whole seconds: `:date` must say the instant the string to sign's date line says (smithy-rs
  // truncates the same way).
  const auto second = std::chrono::floor<std::chrono::seconds>(time);
  use_day_of(second);
  char amz_date[dates::kAmzDateSize];
  dates::write_amz_date(second, amz_date);

  // Step 1.
  date_header_.clear();
  append_date_header(EventStreamTimestamp(second.time_since_epoch()), date_header_);
  // Step 2.
  credential_scope_.clear();
  steps::append_credential_scope(scope_.date, scope_.region, scope_.service, credential_scope_);
  string_to_sign_.clear();
  append_event_string_to_sign(std::string_view(amz_date, sizeof amz_date), credential_scope_,
                              previous_, date_header_, encoded_inner, string_to_sign_);
  // Step 3.
  const crypto::HmacKey hmac(key_.bytes().data(), key_.bytes().size());
  const crypto::Digest signature = hmac.mac(string_to_sign_);
  previous_.clear();
  crypto::append_hex(signature, previous_);
  // Step 4: `:chunk-signature` first, then `:date` (smithy-rs's order; the signature does not
  // depend on it).
  outer_headers_.clear();
  event_stream::append_header(
      {std::string(kSignatureHeader),
       EventStreamBytes{
           std::string(reinterpret_cast<const char*>(signature.data()), signature.size())}},
      outer_headers_);
  outer_headers_.append(date_header_);
  event_stream::append_frame(outer_headers_, encoded_inner, out);
}

void EventStreamSigner::finish(TimePoint time, std::string& out) { sign_encoded({}, time, out); }

}  // namespace awsauth::signer
