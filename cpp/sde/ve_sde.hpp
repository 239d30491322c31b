#pragma once
#include "sde/sde.hpp"

namespace scorekit {

// Variance exploding (Song et al. 2021): sigma(t) = sigma_min (sigma_max/sigma_min)^t, no drift,
// g(t) = sigma(t) sqrt(2 log(sigma_max/sigma_min)). The exact marginal std from x_0 at t = 0 is
// sqrt(sigma(t)^2 - sigma_min^2); the prior is N(0, sigma(T)^2 - sigma_min^2).
class VeSde : public Sde {
 public:
  explicit VeSde(const Json& spec);
  std::string name() const override { return "ve"; }
  Json spec() const override;
  bool is_affine() const override { return true; }
  at::Tensor drift(const at::Tensor& x, const at::Tensor& t) const override;
  at::Tensor diffusion(const at::Tensor& t) const override;
  at::Tensor g2_integral(const at::Tensor& s, const at::Tensor& t) const override;
  AffineMarginal marginal(const at::Tensor& t) const override;
  at::Tensor prior_sample(at::IntArrayRef shape, at::Generator& gen) const override;
  at::Tensor prior_log_prob(const at::Tensor& x) const override;
  at::Tensor sigma_of_t(const at::Tensor& t) const;  // the noise scale sigma(t)

 private:
  double prior_std() const;
  double sigma_min_ = 0.01, sigma_max_ = 50.0;
};

}  // namespace scorekit
