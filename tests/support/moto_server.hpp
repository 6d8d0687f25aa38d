#pragma once
// A real moto_server on 127.0.0.1 for STS integration tests: started on a free port, waited
// for with a deadline, stopped on destruction. Users, keys and roles are created through
// moto's own API (python3 + boto3 pointed at the loopback server).

#include <sys/types.h>

#include <string>

namespace awsauth::test {

struct MotoUser {
  std::string name;
  std::string access_key_id;
  std::string secret_access_key;
  std::string arn;
};

class MotoServer {
 public:
  /// Starts moto_server; throws std::runtime_error if it is not answering within 30 s.
  MotoServer();
  ~MotoServer();
  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;

  /// `http://127.0.0.1:<port>`.
  [[nodiscard]] std::string url() const;
  /// Runs a python3 snippet with `iam`/`sts` boto3 clients bound to this server (auth must be
  /// off or the account allowed), returns its stdout. Throws on a non-zero exit.
  [[nodiscard]] std::string python(const std::string& body) const;
  /// Creates an IAM user allowed every action, with an access key.
  [[nodiscard]] MotoUser create_user(const std::string& name) const;
  /// Creates a role anyone in the account may assume, allowed every action; returns its ARN.
  [[nodiscard]] std::string create_role(const std::string& name) const;
  /// Switches SigV4 checking on (true) or off (false): POST /moto-api/reset-auth.
  void require_signatures(bool on) const;

 private:
  int port_ = 0;
  pid_t pid_ = -1;
};

/// Runs `command` through /bin/sh with a deadline, returns stdout; throws on failure/timeout.
std::string run_command(const std::string& command, int timeout_seconds = 60);

}  // namespace awsauth::test
