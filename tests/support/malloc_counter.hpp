#pragma once
// Counts the heap allocations a thread makes, for the zero-allocation checks of the signer
// (a unit test and the benchmarks' `allocs_per_sign` counter).
//
// The count is taken at the C allocator: malloc and its siblings are replaced (glibc supports
// replacing them, see "Replacing malloc" in its manual) by functions that count and then call
// glibc's own allocator, so operator new, OpenSSL and every other library are counted alike.
// The object file holding them is linked only into programs that call these functions. Under a
// sanitizer, which brings its own malloc, nothing is replaced and counting_available() is false.

#include <cstdint>

namespace awsauth::test {

/// True when allocations are counted in this build (not under ASan or TSan).
[[nodiscard]] bool counting_available() noexcept;

/// Heap allocations (malloc, calloc, realloc, the aligned forms) made by the calling thread
/// since it started.
[[nodiscard]] std::uint64_t thread_allocations() noexcept;

}  // namespace awsauth::test
