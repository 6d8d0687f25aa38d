#pragma once
// The one atomic file writer of the providers: the AWS CLI's JSON caches (SSO tokens, client
// registrations), refreshed `aws login` sessions and the on-disk assumed-role cache all hold
// secrets and are read by other processes while they are rewritten.

#include <string>
#include <string_view>

namespace awsauth::providers::detail {

/// Creates `path` and its missing parents with mode 0700 (mkdir -p -m 0700: the directories
/// hold tokens, whatever the umask). Throws std::system_error naming the directory.
void make_private_directories(const std::string& path);

/// Writes `contents` to `path` so that a reader sees the old file or the new one, never a mix:
/// a temporary file created 0600 by mkstemp in the same directory (concurrent writers never
/// share one), written and fsync'ed, renamed over `path`, then the directory fsync'ed (the
/// rename is durable only then). Missing directories are created 0700. On failure nothing is
/// left behind and `path` is unchanged; throws std::system_error whose message names the file
/// or directory, never the contents.
void write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace awsauth::providers::detail
