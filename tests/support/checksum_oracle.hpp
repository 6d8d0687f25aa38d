#pragma once
/// @file checksum_oracle.hpp
/// The S3 flexible checksum of a file computed outside awsauth, for tests that check what
/// awsauth sent: Python's zlib (CRC32) and hashlib (SHA-1, SHA-256) from the python3 on PATH,
/// and awscrt (CRC32C) from Debian's /usr/bin/python3 (package python3-awscrt).

#include <string>

namespace awsauth::test {

/// The base64 of the big-endian digest of `file` under `algorithm` ("crc32", "crc32c", "sha1",
/// "sha256"), as an `x-amz-checksum-*` header carries it. Empty when the oracle is not
/// installed (only awscrt can be missing); throws when the script fails.
[[nodiscard]] std::string oracle_checksum_base64(const std::string& algorithm,
                                                 const std::string& file);

}  // namespace awsauth::test
