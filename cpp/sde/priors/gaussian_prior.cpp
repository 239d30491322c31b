#include "sde/priors/gaussian_prior.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

GaussianPrior::GaussianPrior(double std) : std_(std) {
  if (!(std > 0)) throw Error("gaussian prior: std must be positive");
}

at::Tensor GaussianPrior::sample(at::IntArrayRef shape, at::Generator& gen) const {
  return randn(shape, gen, at::TensorOptions()) * std_;
}

at::Tensor GaussianPrior::log_density(const at::Tensor& x) const {
  return -0.5 * (x / std_).pow(2) - std::log(std_) - 0.5 * std::log(2 * M_PI);
}

at::Tensor GaussianPrior::score(const at::Tensor& x) const { return -x / (std_ * std_); }

at::Tensor GaussianPrior::score_derivative(const at::Tensor& x) const {
  return at::full_like(x, -1.0 / (std_ * std_));
}

}  // namespace scorekit
