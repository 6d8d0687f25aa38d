#pragma once
// Transitional: the ASCII case helpers live in awsauth/detail/ascii.hpp (core). This header
// only keeps profile/profile_plan.cpp compiling while it is being rewritten; delete it once
// that file includes awsauth/detail/ascii.hpp.

#include "awsauth/detail/ascii.hpp"

namespace awsauth::providers::detail {

using awsauth::detail::ascii_iequals;
using awsauth::detail::ascii_lower;

}  // namespace awsauth::providers::detail
