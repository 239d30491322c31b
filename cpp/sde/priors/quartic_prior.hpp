#pragma once
#include "sde/priors/prior.hpp"

namespace scorekit {

// π₁(x) ∝ exp(−(q4 x⁴ + q2 x²)), q4 > 0: the stationary law of the cubic-drift and double-well
// SDEs (a double well when q2 < 0). No closed-form normaliser or sampler, so both come from the
// density tabulated on a fine grid covering all but ~e⁻⁴⁰ of the mass: the normaliser by the
// trapezoid rule, samples by inverting the tabulated CDF with linear interpolation.
class QuarticPrior : public Prior {
 public:
  QuarticPrior(double q4, double q2);
  Json spec() const override { return {{"q4", q4_}, {"q2", q2_}}; }
  at::Tensor sample(at::IntArrayRef shape, at::Generator& gen) const override;
  at::Tensor log_density(const at::Tensor& x) const override;
  at::Tensor score(const at::Tensor& x) const override;
  at::Tensor score_derivative(const at::Tensor& x) const override;

 private:
  double q4_, q2_;
  double log_normaliser_ = 0;
  at::Tensor grid_, cdf_;  // double, increasing
};

}  // namespace scorekit
