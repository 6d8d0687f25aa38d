// `awsauth curl` against moto_server with signature checking on (127.0.0.1 only).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "paths.hpp"

namespace {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Starts moto on a free loopback port, creates a user (allowed everything) and its key, turns
// signature checking on, and prints "url key secret". The server stays up until `stop`.
class MotoServer {
 public:
  MotoServer() {
    dir_ = std::filesystem::temp_directory_path() / ("awsauth-curl-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    const std::string script = dir_ / "moto.py";
    std::ofstream(script) << R"PY(
import json, socket, subprocess, sys, time, urllib.request, botocore.session
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
p = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
url = f"http://127.0.0.1:{port}"
deadline = time.time() + 30
while True:
    try:
        urllib.request.urlopen(url + "/moto-api/data.json", timeout=1); break
    except Exception:
        if time.time() > deadline: p.kill(); sys.exit("moto did not start")
        time.sleep(0.2)
iam = botocore.session.get_session().create_client("iam", region_name="us-east-1",
    endpoint_url=url, aws_access_key_id="x", aws_secret_access_key="x")
iam.create_user(UserName="curl-user")
iam.put_user_policy(UserName="curl-user", PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
k = iam.create_access_key(UserName="curl-user")["AccessKey"]
urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset-auth", data=b"0",
    method="POST", headers={"Content-Type": "text/plain"})).read()
print(url, k["AccessKeyId"], k["SecretAccessKey"], p.pid, flush=True)
)PY";
    FILE* f = ::popen(("python3 " + script).c_str(), "r");
    std::array<char, 512> buf{};
    std::string line;
    while (f && std::fgets(buf.data(), buf.size(), f)) line += buf.data();
    if (f) ::pclose(f);
    std::istringstream in(line);
    in >> url >> key >> secret >> pid_;
  }
  ~MotoServer() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  CliRun curl(const std::string& args, const std::string& secret_override = "") const {
    const std::string out = dir_ / "out", err = dir_ / "err";
    const std::string cmd =
        "env -i PATH=\"$PATH\" HOME=" + dir_.string() +
        " AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=" + key +
        " AWS_SECRET_ACCESS_KEY='" + (secret_override.empty() ? secret : secret_override) +
        "' AWS_REGION=us-east-1 timeout 60 " + awsauth::test::cli_path() + " curl " + args +
        " >" + out + " 2>" + err;
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }

  std::string url, key, secret;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

class CliCurlMoto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { moto = new MotoServer(); }
  static void TearDownTestSuite() { delete moto; }
  static MotoServer* moto;
};
MotoServer* CliCurlMoto::moto = nullptr;

TEST_F(CliCurlMoto, PostWithFormDataCallsGetCallerIdentity) {
  ASSERT_FALSE(moto->url.empty()) << "moto_server did not start";
  const CliRun r = moto->curl("--service sts -d 'Action=GetCallerIdentity&Version=2011-06-15' " +
                           moto->url + "/");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("<Arn>arn:aws:iam::123456789012:user/curl-user</Arn>"), std::string::npos)
      << r.out;
}

TEST_F(CliCurlMoto, GetWithS3SigningRulesListsBuckets) {
  ASSERT_FALSE(moto->url.empty()) << "moto_server did not start";
  const CliRun r = moto->curl("--service s3 -i " + moto->url + "/");
  EXPECT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_EQ(r.out.rfind("HTTP/1.1 200", 0), 0U) << r.out;
  EXPECT_NE(r.out.find("ListAllMyBucketsResult"), std::string::npos) << r.out;
}

TEST_F(CliCurlMoto, WrongSecretExitsThreeWithSignatureDoesNotMatch) {
  ASSERT_FALSE(moto->url.empty()) << "moto_server did not start";
  const CliRun r = moto->curl("--service sts -d 'Action=GetCallerIdentity&Version=2011-06-15' " +
                               moto->url + "/",
                           "wJalrXUtnFEMI/K7MDENG+bPxRfiCYWRONGKEY");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("403"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SignatureDoesNotMatch"), std::string::npos) << r.err;
}

TEST_F(CliCurlMoto, ClosedPortExitsOne) {
  ASSERT_FALSE(moto->url.empty()) << "moto_server did not start";
  const CliRun r = moto->curl("--service sts http://127.0.0.1:1/");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
}

TEST_F(CliCurlMoto, VerboseOutputShowsTheSigningButNeverTheSecret) {
  ASSERT_FALSE(moto->url.empty()) << "moto_server did not start";
  const CliRun r = moto->curl("-v --service sts -d 'Action=GetCallerIdentity&Version=2011-06-15' " +
                           moto->url + "/");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("canonical request"), std::string::npos);
  EXPECT_NE(r.err.find("AWS4-HMAC-SHA256\n"), std::string::npos);
  EXPECT_NE(r.err.find("* credentials: env"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(moto->secret), std::string::npos);
  EXPECT_EQ(r.out.find(moto->secret), std::string::npos);
}

TEST_F(CliCurlMoto, MissingServiceIsAUsageError) {
  const CliRun r = moto->curl("http://127.0.0.1:1/");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--service"), std::string::npos) << r.err;
}

}  // namespace
