#include "moto_server.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <fcntl.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): kill() is POSIX, not <csignal>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "awsauth/context.hpp"

extern char** environ;

namespace awsauth::test {
namespace {

int free_port() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  return socket.address().port();
}

}  // namespace

std::string run_command(const std::string& command, int timeout_seconds) {
  const std::string wrapped = "timeout " + std::to_string(timeout_seconds) + " sh -c '" + [&] {
    std::string escaped;
    for (char c : command) escaped += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return escaped;
  }() + "'";
  FILE* pipe = ::popen(wrapped.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed for: " + command);
  std::string out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int status = ::pclose(pipe);
  if (status != 0) {
    throw std::runtime_error("command failed (status " + std::to_string(status) + "): " + command +
                             "\n" + out);
  }
  return out;
}

MotoServer::MotoServer() {
  port_ = free_port();
  const std::string port = std::to_string(port_);
  const char* argv[] = {"moto_server", "-H", "127.0.0.1", "-p", port.c_str(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const int rc = posix_spawnp(&pid_, "moto_server", &actions, nullptr,
                              const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start moto_server (is moto installed?)");

  auto http = make_poco_http_client();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (true) {
    try {
      HttpOptions options;
      options.total_timeout = std::chrono::milliseconds(1000);
      if (http->send({.method = "GET", .url = url() + "/moto-api/data.json"}, options).status ==
          200) {
        return;
      }
    } catch (const HttpError&) {
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      throw std::runtime_error("moto_server did not answer on " + url() + " within 30 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

MotoServer::~MotoServer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::string MotoServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string MotoServer::python(const std::string& body) const {
  const std::string path =
      "/tmp/awsauth_moto_" + std::to_string(::getpid()) + "_" + std::to_string(port_) + ".py";
  {
    std::ofstream script(path);
    script << "import boto3, json, os\n"
           << "for k in list(os.environ):\n"
           << "    if k.startswith('AWS_') or k.lower().endswith('_proxy'): del os.environ[k]\n"
           << "kw = dict(endpoint_url='" << url() << "', region_name='us-east-1',\n"
           << "          aws_access_key_id='testing', aws_secret_access_key='testing')\n"
           << "iam = boto3.client('iam', **kw)\n"
           << "sts = boto3.client('sts', **kw)\n"
           << body << "\n";
  }
  std::string out = run_command("python3 " + path);
  std::remove(path.c_str());
  return out;
}

MotoUser MotoServer::create_user(const std::string& name) const {
  const std::string out =
      python("u = iam.create_user(UserName='" + name +
             "')['User']\n"
             "iam.put_user_policy(UserName='" +
             name +
             "', PolicyName='all', PolicyDocument=json.dumps("
             "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', "
             "'Resource': '*'}]}))\n"
             "k = iam.create_access_key(UserName='" +
             name +
             "')['AccessKey']\n"
             "print(k['AccessKeyId']); print(k['SecretAccessKey']); print(u['Arn'])\n");
  MotoUser user{.name = name};
  std::size_t a = out.find('\n'), b = out.find('\n', a + 1), c = out.find('\n', b + 1);
  user.access_key_id = out.substr(0, a);
  user.secret_access_key = out.substr(a + 1, b - a - 1);
  user.arn = out.substr(b + 1, c - b - 1);
  return user;
}

std::string MotoServer::create_role(const std::string& name) const {
  const std::string out = python(
      "trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': "
      "{'AWS': '*', 'Federated': '*'}, 'Action': ['sts:AssumeRole', "
      "'sts:AssumeRoleWithWebIdentity']}]}\n"
      "r = iam.create_role(RoleName='" +
      name +
      "', AssumeRolePolicyDocument=json.dumps(trust))"
      "['Role']\n"
      "iam.put_role_policy(RoleName='" +
      name +
      "', PolicyName='all', PolicyDocument=json.dumps("
      "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', "
      "'Resource': '*'}]}))\n"
      "print(r['Arn'])\n");
  return out.substr(0, out.find('\n'));
}

void MotoServer::require_signatures(bool on) const {
  auto http = make_poco_http_client();
  HttpRequest request{.method = "POST",
                      .url = url() + "/moto-api/reset-auth",
                      .headers = {{"Content-Type", "text/plain"}},
                      // 0: every request from now on must be signed; a huge count: none.
                      .body = on ? "0" : "1000000000"};
  auto response = http->send(request, {});
  if (response.status != 200) {
    throw std::runtime_error("moto reset-auth answered " + std::to_string(response.status));
  }
}

}  // namespace awsauth::test
