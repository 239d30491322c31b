#pragma once
// Input-Jacobian terms of Hyvärinen's objective, kept differentiable (create_graph) so the outer
// backward reaches the weights: the double backward that SSM and ISM pay for.
#include <ATen/ATen.h>

namespace scorekit {

// vᵀ ∇ₓs v per sample (B), for s = s(x) computed from x with requires_grad.
at::Tensor jacobian_quadratic_form(const at::Tensor& s, const at::Tensor& x, const at::Tensor& v);

// tr ∇ₓs per sample (B), exactly: one backward pass per input dimension.
at::Tensor jacobian_trace(const at::Tensor& s, const at::Tensor& x);

}  // namespace scorekit
