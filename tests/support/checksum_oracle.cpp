#include "checksum_oracle.hpp"

#include <stdexcept>

#include "moto_server.hpp"

namespace awsauth::test {

std::string oracle_checksum_base64(const std::string& algorithm, const std::string& file) {
  std::string python = "python3";
  std::string imports = "import base64, hashlib, sys, zlib";
  std::string digest;
  if (algorithm == "crc32") digest = "zlib.crc32(d).to_bytes(4, 'big')";
  if (algorithm == "sha1") digest = "hashlib.sha1(d).digest()";
  if (algorithm == "sha256") digest = "hashlib.sha256(d).digest()";
  if (algorithm == "crc32c") {
    python = "/usr/bin/python3";
    imports += "; import awscrt.checksums";
    digest = "awscrt.checksums.crc32c(d).to_bytes(4, 'big')";
    try {
      (void)run_command(python + " -c 'import awscrt.checksums'");
    } catch (const std::runtime_error&) {
      return {};
    }
  }
  if (digest.empty()) throw std::invalid_argument("no oracle for checksum '" + algorithm + "'");
  std::string out = run_command(python + " -c \"" + imports +
                                "\nd = open(sys.argv[1], 'rb').read()\n"
                                "print(base64.b64encode(" +
                                digest + ").decode())\" '" + file + "'");
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace awsauth::test
