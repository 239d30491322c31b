#pragma once
namespace scorekit {
// Sets LibTorch's intra-op thread count: `threads` > 0 wins, else $SCOREKIT_THREADS, else the
// number of cores (Debian's LibTorch otherwise defaults to a single thread) — or, with `adaptive`,
// the cores other processes leave free, re-decided by adapt_threads() (util/adaptive_threads.hpp).
// Returns the count.
int configure_threads(int threads = 0, bool adaptive = false);
// Re-decides an adaptive thread count every few seconds; a no-op unless configure_threads chose one.
void adapt_threads();
}  // namespace scorekit
