#include "malloc_counter.hpp"

#include <cerrno>
#include <cstddef>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define AWSAUTH_COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define AWSAUTH_COUNT_MALLOC 0
#endif
#endif
#ifndef AWSAUTH_COUNT_MALLOC
#define AWSAUTH_COUNT_MALLOC 1
#endif

namespace {
// Initial-exec TLS in the executable: reading it never allocates (no recursion into malloc).
thread_local std::uint64_t t_allocations = 0;
}  // namespace

namespace awsauth::test {
bool counting_available() noexcept { return AWSAUTH_COUNT_MALLOC != 0; }
std::uint64_t thread_allocations() noexcept { return t_allocations; }
}  // namespace awsauth::test

#if AWSAUTH_COUNT_MALLOC
// glibc's allocator under its own names.
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void __libc_free(void* p);

void* malloc(std::size_t size) {
  ++t_allocations;
  return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) {
  ++t_allocations;
  return __libc_calloc(count, size);
}
void* realloc(void* p, std::size_t size) {
  ++t_allocations;
  return __libc_realloc(p, size);
}
void free(void* p) { __libc_free(p); }
void* memalign(std::size_t alignment, std::size_t size) {
  ++t_allocations;
  return __libc_memalign(alignment, size);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
  ++t_allocations;
  return __libc_memalign(alignment, size);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  ++t_allocations;
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}
}
#endif
