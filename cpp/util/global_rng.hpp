#pragma once
// LibTorch's nn modules draw their initial weights from the process-wide default generator, so a
// model that seeds it (torch::manual_seed) and then builds layers must do both under this lock;
// otherwise models built at the same time on different threads (distinct C-API handles) interleave
// their draws and get different weights from the same spec.
#include <mutex>

namespace scorekit {
inline std::mutex& global_rng_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace scorekit
