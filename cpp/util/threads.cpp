#include "util/threads.hpp"

#include <ATen/Parallel.h>

#include <algorithm>
#include <memory>
#include <thread>

#include "util/adaptive_threads.hpp"
#include "util/env_setting.hpp"

namespace scorekit {

namespace {
std::unique_ptr<AdaptiveThreads>& adaptive_threads() {
  static std::unique_ptr<AdaptiveThreads> instance;
  return instance;
}
}  // namespace

int configure_threads(int threads, bool adaptive) {
  if (threads <= 0) {
    threads = env_count("SCOREKIT_THREADS", 0);
  }
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  if (threads <= 0 && adaptive) {
    adaptive_threads() = std::make_unique<AdaptiveThreads>(cores);
    return adaptive_threads()->threads();
  }
  adaptive_threads().reset();
  if (threads <= 0) threads = cores;
  at::set_num_threads(threads);
  return threads;
}

void adapt_threads() {
  if (adaptive_threads()) adaptive_threads()->update();
}

}  // namespace scorekit
