#include "util/threads.hpp"

#include <ATen/Parallel.h>

#include <cstdlib>
#include <thread>

namespace scorekit {

int configure_threads(int threads) {
  if (threads <= 0) {
    if (const char* env = std::getenv("SCOREKIT_THREADS")) threads = std::atoi(env);
  }
  if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
  if (threads <= 0) threads = 1;
  at::set_num_threads(threads);
  return threads;
}

}  // namespace scorekit
