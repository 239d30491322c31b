#pragma once
#include <cstdint>
#include <functional>

namespace scorekit {
// Called during long operations; returning false asks the operation to stop (it throws Cancelled).
using ProgressFn = std::function<bool(int64_t done, int64_t total)>;

inline void report(const ProgressFn& fn, int64_t done, int64_t total);
}  // namespace scorekit

#include "util/error.hpp"
namespace scorekit {
inline void report(const ProgressFn& fn, int64_t done, int64_t total) {
  if (fn && !fn(done, total)) throw Cancelled();
}
}  // namespace scorekit
