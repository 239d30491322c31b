#pragma once
#include "sde/priors/prior.hpp"

namespace scorekit {

// Logistic(loc, scale) per coordinate: heavier tails than a Gaussian and a bounded score
// −tanh(z/2)/scale, z = (x − loc)/scale. Default loc 0, scale 0.5 (variance π²/12 ≈ 0.82).
class LogisticPrior : public Prior {
 public:
  explicit LogisticPrior(const Json& spec);
  Json spec() const override { return {{"loc", loc_}, {"scale", scale_}}; }
  at::Tensor sample(at::IntArrayRef shape, at::Generator& gen) const override;
  at::Tensor log_density(const at::Tensor& x) const override;
  at::Tensor score(const at::Tensor& x) const override;
  at::Tensor score_derivative(const at::Tensor& x) const override;

 private:
  double loc_ = 0.0, scale_ = 0.5;
};

}  // namespace scorekit
