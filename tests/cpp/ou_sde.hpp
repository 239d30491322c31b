#pragma once
// Test helper: the Ornstein–Uhlenbeck SDE dx = −θ x dt + σ dW, an affine SDE with
// time-constant coefficients whose transition and marginals are known exactly. Its drift Jacobian
// comes from the Sde default (autograd), which the tests thereby exercise.
#include <cmath>

#include "sde/sde.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

class OuSde : public Sde {
 public:
  OuSde(double theta, double sigma) : theta_(theta), sigma_(sigma) {}
  std::string name() const override { return "ou"; }
  Json spec() const override { return {{"name", "ou"}}; }
  bool is_affine() const override { return true; }
  at::Tensor drift(const at::Tensor& x, const at::Tensor&) const override { return -theta_ * x; }
  at::Tensor diffusion(const at::Tensor& t) const override { return at::full_like(t, sigma_); }
  at::Tensor g2_integral(const at::Tensor& s, const at::Tensor& t) const override { return sigma_ * sigma_ * (t - s); }
  AffineMarginal marginal(const at::Tensor& t) const override {
    return {at::exp(-theta_ * t), (sigma_ * sigma_ * -at::expm1(-2 * theta_ * t) / (2 * theta_)).sqrt()};
  }
  double stationary_std() const { return sigma_ / std::sqrt(2 * theta_); }
  at::Tensor prior_sample(at::IntArrayRef shape, at::Generator& gen) const override {
    return randn(shape, gen, at::TensorOptions()) * stationary_std();
  }
  at::Tensor prior_log_prob(const at::Tensor& x) const override { return gaussian_log_prob(x, stationary_std()); }

 private:
  double theta_, sigma_;
};

}  // namespace scorekit
