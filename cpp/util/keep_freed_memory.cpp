#include "util/keep_freed_memory.hpp"

#include "util/cpu_block_cache.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace scorekit {

bool keep_freed_memory() {
#if defined(__GLIBC__)
  // A fixed mmap threshold also turns off glibc's own adjustment of it (which sets it to the size of
  // the block just freed, so a block of the same size is mapped afresh). 32 MiB is glibc's largest
  // (DEFAULT_MMAP_THRESHOLD_MAX): larger requests stay mapped, and a higher setting measured worse —
  // 64-byte-aligned blocks above it were not reused from the heap and grew it at every step.
  // Another allocator in front of glibc's (a sanitizer's, jemalloc, ...) answers 0: nothing changed,
  // and no block cache either (it would hide a sanitizer's use-after-free reports).
  if (mallopt(M_MMAP_THRESHOLD, 32 << 20) != 1 || mallopt(M_TRIM_THRESHOLD, 128 << 20) != 1) return false;
  // Freed tensor blocks kept by size: no malloc_consolidate passes over the heap (util/cpu_block_cache.hpp).
  cpu_block_cache::install();
  return true;
#else
  return false;
#endif
}

}  // namespace scorekit
