#include "train/grad_norm.hpp"

#include <torch/autograd.h>

#include <cmath>

namespace scorekit {

double clip_grad_norm(const std::vector<at::Tensor>& params, double max_norm) {
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> grads;
  grads.reserve(params.size());
  for (const auto& p : params)
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return 0;
  const double norm = at::linalg_vector_norm(at::stack(at::_foreach_norm(grads, 2)), 2).item<double>();
  if (std::isfinite(norm) && norm > max_norm) at::_foreach_mul_(grads, max_norm / (norm + 1e-6));
  return norm;
}

}  // namespace scorekit
