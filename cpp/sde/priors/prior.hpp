#pragma once
// A factorised prior π(x) = Π_i π₁(x_i): the same 1-D law on every coordinate. Langevin SDEs
// drift along its score, so besides sampling and the density it gives the score and its derivative
// (the diagonal of ∇² log π, which local-DSM linearises with).
#include <ATen/ATen.h>

#include <memory>
#include <string>

#include "util/spec.hpp"

namespace scorekit {

class Prior {
 public:
  virtual ~Prior() = default;
  virtual Json spec() const = 0;
  virtual at::Tensor sample(at::IntArrayRef shape, at::Generator& gen) const = 0;  // float
  // Element-wise on any shape and dtype.
  virtual at::Tensor log_density(const at::Tensor& x) const = 0;
  virtual at::Tensor score(const at::Tensor& x) const = 0;             // d/dx log π₁
  virtual at::Tensor score_derivative(const at::Tensor& x) const = 0;  // d²/dx² log π₁
  at::Tensor log_prob(const at::Tensor& x) const;  // (B): summed over all but the first dimension
};

using PriorPtr = std::shared_ptr<const Prior>;

}  // namespace scorekit
