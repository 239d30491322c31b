#pragma once
#include "sde/sde.hpp"

namespace scorekit {

// EDM's forward process (Karras et al. 2022, eq. 4 with s(t) = 1, σ(t) = t): x_σ = x_0 + σ z, so
// time *is* the noise level, on [eps, T] = [sigma_min, sigma_max] = [0.002, 80] by default. No
// drift, g(t) = √(2t) (dσ²/dt = 2t), ∫_s^t g² = t² − s², marginal alpha = 1, sigma = t (exactly;
// unlike ve, whose std from x_0 is √(σ² − σ_min²)). Prior N(0, sigma_max² I).
class EdmSde : public Sde {
 public:
  explicit EdmSde(const Json& spec);
  std::string name() const override { return "edm"; }
  Json spec() const override;
  bool is_affine() const override { return true; }
  at::Tensor drift(const at::Tensor& x, const at::Tensor& t) const override;
  at::Tensor diffusion(const at::Tensor& t) const override;
  at::Tensor g2_integral(const at::Tensor& s, const at::Tensor& t) const override;
  AffineMarginal marginal(const at::Tensor& t) const override;
  at::Tensor prior_sample(at::IntArrayRef shape, at::Generator& gen) const override;
  at::Tensor prior_log_prob(const at::Tensor& x) const override;
  // The drift is zero: its Jacobian is zero, without autograd through a graph-less zero.
  at::Tensor drift_jacobian_diagonal(const at::Tensor& x, const at::Tensor& t) const override;
  at::Tensor g2_integral_start(const at::Tensor& t, double lambda) const override;
};

}  // namespace scorekit
