#pragma once
// Writing the x-amz-date value into a fixed buffer (format_amz_date() and parse_amz_date() in
// signer.hpp are the public forms).

#include <cstddef>

#include "awsauth/credentials.hpp"  // TimePoint

namespace awsauth::signer::dates {

inline constexpr std::size_t kAmzDateSize = 16;  // YYYYMMDDTHHMMSSZ

/// Writes `time` (UTC) as YYYYMMDDTHHMMSSZ; no terminating NUL.
void write_amz_date(TimePoint time, char (&out)[kAmzDateSize]);

}  // namespace awsauth::signer::dates
