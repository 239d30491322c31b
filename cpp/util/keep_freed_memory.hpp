#pragma once
namespace scorekit {

// glibc's malloc hands large freed blocks back to the kernel (munmap, heap trimming), so a training or
// sampling loop that frees and reallocates its activations every step page-faults them in again —
// thousands of faults a step (docs/benchmarks.md). This raises the mmap and trim thresholds (32 MiB,
// glibc's largest, and 128 MiB) so freed blocks up to 32 MiB stay in the process for the next step,
// and puts in front of LibTorch's CPU allocator a cache of freed tensor blocks by size (util/cpu_block_cache.hpp,
// at most 1 GiB idle), which spares malloc the heap consolidation its large requests and frees cost.
// Process-wide, so the library never calls it on its own: the `scorekit` command line does, and a
// host program may (C: sk_keep_freed_memory, Python: scorekit.keep_freed_memory). Returns false where
// the C library offers no such setting. Idempotent.
bool keep_freed_memory();

}  // namespace scorekit
