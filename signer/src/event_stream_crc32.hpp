#pragma once
// The CRC32 of the event stream framing: IEEE 802.3 (reflected polynomial 0xEDB88320), the one
// zlib's crc32() and Python's binascii.crc32 compute. The framing calls only this function, so
// it can later be pointed at a shared CRC32 (the aws-chunked checksums want the same one).

#include <cstddef>
#include <cstdint>

namespace awsauth::signer::detail {

/// Continues `crc` (0 to start) over `size` bytes at `data`, as zlib's crc32(crc, data, size).
[[nodiscard]] std::uint32_t event_stream_crc32(std::uint32_t crc, const void* data,
                                               std::size_t size) noexcept;

}  // namespace awsauth::signer::detail
