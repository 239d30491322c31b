#pragma once
// The command line's default intra-op thread count: as many threads as the machine has cores left
// free by other processes, re-decided every few seconds. On a shared machine a parallel region
// waits for its slowest thread, and a thread that shares its core with another busy process is
// slow by whole scheduler time slices: two threads beside one competitor on two cores ran the
// README demo ~6× slower than one thread (docs/benchmarks.md). Linux only (/proc/stat); elsewhere,
// and whenever /proc cannot be read, every core.
#include <chrono>

namespace scorekit {

// The decision: the cores left free when other processes keep `others_busy` cores busy, rounded
// half down (a core a competitor keeps 60% busy is not a free one), within [1, max_threads].
int threads_for_load(double cores, double others_busy, int max_threads);

class AdaptiveThreads {
 public:
  // Measures the other processes' load over `sample_ms` and sets the thread count from it.
  explicit AdaptiveThreads(int max_threads, int sample_ms = 50, double period_s = 5.0);
  // Re-decides when `period_s` has passed since the last decision; cheap otherwise.
  void update();
  int threads() const { return threads_; }

 private:
  struct Snapshot {
    long long busy = 0, total = 0, own = 0;  // clock ticks: all CPUs busy, all CPUs, this process
    bool ok = false;
  };
  static Snapshot snapshot();
  void decide(const Snapshot& now);
  int max_threads_, threads_;
  double period_s_;
  Snapshot last_;
  std::chrono::steady_clock::time_point last_time_;
};

}  // namespace scorekit
