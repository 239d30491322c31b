#pragma once
// The CPU kernel of models/group_norm_silu.hpp on raw pointers: one call handles one (sample, group)
// slice, so the caller parallelises over slices. Compiled once per instruction set it is built for
// (group_norm_silu_kernel.cpp with CPU_CAPABILITY set, see CMakeLists.txt); the caller picks one at
// run time. Only float32, contiguous (C, S) slices: every other case takes ATen's ops.
#include <cstdint>

namespace scorekit::group_norm_silu_kernel {

// One group of one sample: `channels` rows of `size` contiguous values. shift (per channel of the
// group, may be null) is added to x before the normalisation.
struct Group {
  const float* x;
  const float* shift;
  const float* gamma;
  const float* beta;
  int64_t channels, size;
};

#define SCOREKIT_GROUP_NORM_SILU_KERNELS                                                          \
  /* y = silu(gamma·(x + shift − mean)·rstd + beta); writes the group's mean and rstd. */         \
  void forward(const Group& g, double eps, float* y, float* mean, float* rstd);                   \
  /* From dy and the saved statistics: dx, this sample's share of dgamma/dbeta (per channel), */  \
  /* and dshift (may be null). */                                                                 \
  void backward(const Group& g, const float* dy, float mean, float rstd, float* dx, float* dgamma, \
                float* dbeta, float* dshift);

namespace AVX2 { SCOREKIT_GROUP_NORM_SILU_KERNELS }
namespace AVX512 { SCOREKIT_GROUP_NORM_SILU_KERNELS }

#undef SCOREKIT_GROUP_NORM_SILU_KERNELS

}  // namespace scorekit::group_norm_silu_kernel
