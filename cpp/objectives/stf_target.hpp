#pragma once
// The stable target field's weighted average of clean points (Xu et al. 2023). For x_t drawn from
// the kernel of its own clean point y₁, the reference set is y₁ plus n−1 other points; weights are
// w_k ∝ p_{0t}(x_t | y_k) = softmax_k(−‖x_t − α y_k‖²/2σ²), and the STF score target is
//   −(x_t − α ȳ_w)/σ²  =  DSM target + (α/σ²)(ȳ_w − y₁),   ȳ_w = Σ_k w_k y_k.
#include <ATen/ATen.h>

namespace scorekit {

// Returns ȳ_w − y₁ (shape of `own`). Row i's references are own[i] and the n−1 pool rows
// (i + offset + k) mod P, k = 0..n−2. Logits come from the matmul form 2α x·y − α²‖y‖² (the
// ‖x‖² term is common to a row and cancels), in double precision; memory is O(B·P + (B+P)·D),
// never B × n × D. With n = 1 the result is exactly zero.
at::Tensor stf_mean_shift(const at::Tensor& xt, const at::Tensor& own, const at::Tensor& pool,
                          const at::Tensor& alpha, const at::Tensor& sigma, int64_t n, int64_t offset);

}  // namespace scorekit
