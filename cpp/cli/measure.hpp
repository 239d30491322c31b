#pragma once
// Small measuring helpers shared by the CLI's commands and benchmarks.
#include <torch/nn/module.h>

#include <chrono>

namespace scorekit::cli {

using clock_type = std::chrono::steady_clock;

inline double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

inline int64_t parameter_count(const torch::nn::Module& m) {
  int64_t n = 0;
  for (const auto& p : m.parameters()) n += p.numel();
  return n;
}

}  // namespace scorekit::cli
