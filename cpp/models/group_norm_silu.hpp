#pragma once
// silu(group_norm(x + shift)) as one operation: the U-Net's normalise-then-activate, with the time
// embedding's per-channel shift folded in. On the CPU (float32) a fused kernel
// (group_norm_silu_kernel.hpp) reads and writes the activations twice each way instead of ATen's
// five passes and saves only x for the backward pass; everywhere else — other devices and dtypes,
// and backward passes that must themselves be differentiable (create_graph: SSM, ISM) — it is
// ATen's group_norm and silu, which define the result.
#include <ATen/ATen.h>
#include <torch/nn/modules/normalization.h>

namespace scorekit {

// Which implementation computes it. `automatic`: the widest fused kernel this CPU and build
// support for float32 CPU tensors, ATen's ops otherwise. The others force one (tests compare them).
enum class GroupNormSiluKernel { automatic, aten, avx2, avx512 };

// Whether `kernel` can run here (built for this architecture and supported by this processor).
bool group_norm_silu_kernel_available(GroupNormSiluKernel kernel);

// x: (N, C, *), or (N, C, H, W) in channels-last order (the result keeps it); weight, bias: (C);
// shift: undefined or (N, C), added to x before normalising.
at::Tensor group_norm_silu(const at::Tensor& x, int64_t groups, const at::Tensor& weight, const at::Tensor& bias,
                           double eps, const at::Tensor& shift = {},
                           GroupNormSiluKernel kernel = GroupNormSiluKernel::automatic);

// The same with a GroupNorm module's parameters and options.
at::Tensor group_norm_silu(const at::Tensor& x, const torch::nn::GroupNorm& norm, const at::Tensor& shift = {});

}  // namespace scorekit
