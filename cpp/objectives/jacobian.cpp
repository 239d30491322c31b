#include "objectives/jacobian.hpp"

#include <torch/autograd.h>

#include "util/tensor_ops.hpp"

namespace scorekit {

at::Tensor jacobian_quadratic_form(const at::Tensor& s, const at::Tensor& x, const at::Tensor& v) {
  // ∇ₓ(vᵀs) = (∇ₓs)ᵀv, then a dot with v.
  auto g = torch::autograd::grad({(s * v).sum()}, {x}, {}, /*retain_graph=*/true, /*create_graph=*/true)[0];
  return sum_per_sample(g * v);
}

at::Tensor jacobian_trace(const at::Tensor& s, const at::Tensor& x) {
  const int64_t B = x.size(0);
  auto sf = s.reshape({B, -1});
  at::Tensor trace = at::zeros({B}, s.options());
  for (int64_t i = 0; i < sf.size(1); ++i) {
    auto g = torch::autograd::grad({sf.select(1, i).sum()}, {x}, {}, true, true)[0];
    trace = trace + g.reshape({B, -1}).select(1, i);
  }
  return trace;
}

}  // namespace scorekit
