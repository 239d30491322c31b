#include "util/keep_freed_memory.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace scorekit {

bool keep_freed_memory() {
#if defined(__GLIBC__)
  // A fixed mmap threshold also turns off glibc's own adjustment of it.
  return mallopt(M_MMAP_THRESHOLD, 64 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1;
#else
  return false;
#endif
}

}  // namespace scorekit
