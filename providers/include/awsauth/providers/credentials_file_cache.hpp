// Kept for programs written against awsauth 0.1 (the header moved in 0.2).
#pragma once

#include "awsauth/providers/sts/credentials_file_cache.hpp"  // IWYU pragma: export
