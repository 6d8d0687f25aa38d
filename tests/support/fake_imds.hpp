#pragma once
/// @file fake_imds.hpp
/// A healthy EC2 instance metadata service (IMDSv2) to put behind a LoopbackServer: the token
/// PUT, the role listing and the role's credentials document, anything else 404. A test
/// changes what it needs (role, token, document) and may replace any answer with a fault.
///
/// ```
/// test::FakeImds imds;  // declared before the server, which calls into it
/// test::LoopbackServer server{imds.handler()};
/// imds.fault = [](const test::RecordedRequest& r) -> std::optional<test::ScriptedResponse> {
///   if (r.method == "PUT") return test::ScriptedResponse{.status = 403};  // IMDSv1 only
///   return std::nullopt;
/// };
/// ```

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "loopback_server.hpp"

namespace awsauth::test {

inline constexpr const char* kImdsTokenPath = "/latest/api/token";
inline constexpr const char* kImdsListingPath = "/latest/meta-data/iam/security-credentials/";

/// A credentials document as IMDS serves it (secret "s3cr3t", token "sess").
[[nodiscard]] std::string imds_document(const std::string& expiration = "2031-02-03T04:05:06Z",
                                        const std::string& key = "ASIALOOP",
                                        const std::string& code = "Success");

struct FakeImds {
  /// The role listed; its document is served at kImdsListingPath + role.
  std::string role = "web-role";
  /// The token each PUT returns; empty: "token-1", "token-2", ... (one per PUT).
  std::string token;
  /// The body of the role's credentials document (called for every request for it).
  std::function<std::string()> document_body = [] { return imds_document(); };
  /// Called first for every request: a response it returns replaces the healthy answer.
  std::function<std::optional<ScriptedResponse>(const RecordedRequest&)> fault;
  /// PUTs answered with a token so far.
  std::atomic<int> tokens_issued{0};

  /// The answer to `request` (called on the server's threads).
  [[nodiscard]] ScriptedResponse answer(const RecordedRequest& request);
  /// A LoopbackServer handler that answers through this object, which must outlive the server.
  [[nodiscard]] LoopbackServer::Handler handler();
};

}  // namespace awsauth::test
