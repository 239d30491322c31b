#pragma once
#include "sde/priors/prior.hpp"

namespace scorekit {

// N(0, std²) per coordinate. With it the Langevin SDE is exactly VP: the check that the
// nonlinear machinery reduces to the affine case.
class GaussianPrior : public Prior {
 public:
  explicit GaussianPrior(double std = 1.0);
  Json spec() const override { return {{"std", std_}}; }
  at::Tensor sample(at::IntArrayRef shape, at::Generator& gen) const override;
  at::Tensor log_density(const at::Tensor& x) const override;
  at::Tensor score(const at::Tensor& x) const override;
  at::Tensor score_derivative(const at::Tensor& x) const override;

 private:
  double std_;
};

}  // namespace scorekit
