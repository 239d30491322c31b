#pragma once
// One LibTorch intra-op thread for the scope of a test (small models on a loaded 2-core machine lose
// more to contention than a second thread gains); restores the previous setting on exit.
#include <ATen/Parallel.h>

namespace sk_test {

struct SingleThread {
  int previous = at::get_num_threads();
  SingleThread() { at::set_num_threads(1); }
  ~SingleThread() { at::set_num_threads(previous); }
};

}  // namespace sk_test
