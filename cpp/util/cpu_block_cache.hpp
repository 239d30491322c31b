#pragma once
// A CPU allocator in front of LibTorch's that keeps freed tensor blocks, by size, for the next
// request of that size. A training or sampling step frees and requests the same sizes every step;
// through glibc's malloc each large request and each large free also consolidates the heap's small
// free chunks (malloc_consolidate), which took about 7% of a small U-Net's step (docs/benchmarks.md).
// oneDNN's scratchpads come through LibTorch's CPU allocator too, so they are kept as well.
//
// Process-wide (it replaces c10's CPU allocator), so the library never installs it by itself:
// keep_freed_memory() does (the `scorekit` command line calls it; a host program may). Installed
// once, for the rest of the process; blocks allocated before it was installed are freed as before.
#include <cstddef>

namespace scorekit::cpu_block_cache {

// Installs the cache as LibTorch's CPU allocator; idempotent.
void install();
bool installed();

// Bytes held idle at most (default 1 GiB). A freed block that would go over it first hands every
// idle block back to malloc, so a process whose sizes keep changing holds no more than this.
void set_idle_limit(std::size_t bytes);
std::size_t idle_bytes();
// Requests answered from the cache since it was installed.
std::size_t reuses();
// Hands every idle block back to malloc.
void release_idle();

}  // namespace scorekit::cpu_block_cache
