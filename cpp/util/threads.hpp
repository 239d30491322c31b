#pragma once
namespace scorekit {
// Sets LibTorch's intra-op thread count: `threads` > 0 wins, else $SCOREKIT_THREADS, else the
// number of cores (Debian's LibTorch otherwise defaults to a single thread). Returns the count.
int configure_threads(int threads = 0);
}  // namespace scorekit
