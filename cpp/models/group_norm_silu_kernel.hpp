#pragma once
// The CPU kernel of models/group_norm_silu.hpp on raw pointers: one call handles one (sample, group)
// slice of a contiguous tensor, or one sample of a channels-last one, so the caller parallelises
// over those. Compiled once per instruction set it is built for (group_norm_silu_kernel.cpp with
// CPU_CAPABILITY set, see CMakeLists.txt); the caller picks one at run time. Only float32: every
// other case takes ATen's ops.
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

// One sample in channels-last order: `size` pixels of `channels` contiguous values, the channels in
// `groups` groups of adjacent channels. shift (per channel, may be null) as in Group.
struct Pixels {
  const float* x;
  const float* shift;
  const float* gamma;
  const float* beta;
  int64_t channels, size, groups;
};

#define SCOREKIT_GROUP_NORM_SILU_KERNELS                                                          \
  /* y = silu(gamma·(x + shift − mean)·rstd + beta); writes the group's mean and rstd. */         \
  void forward(const Group& g, double eps, float* y, float* mean, float* rstd);                   \
  /* From dy and the saved statistics: dx, this sample's share of dgamma/dbeta (per channel), */  \
  /* and dshift (may be null). */                                                                 \
  void backward(const Group& g, const float* dy, float mean, float rstd, float* dx, float* dgamma, \
                float* dbeta, float* dshift);                                                     \
  /* The same for a whole channels-last sample: mean and rstd hold one entry per group. */        \
  void forward_channels_last(const Pixels& p, double eps, float* y, float* mean, float* rstd);    \
  void backward_channels_last(const Pixels& p, const float* dy, const float* mean, const float* rstd, \
                              float* dx, float* dgamma, float* dbeta, float* dshift);

namespace AVX2 { SCOREKIT_GROUP_NORM_SILU_KERNELS }
namespace AVX512 { SCOREKIT_GROUP_NORM_SILU_KERNELS }

#undef SCOREKIT_GROUP_NORM_SILU_KERNELS

}  // namespace scorekit::group_norm_silu_kernel
