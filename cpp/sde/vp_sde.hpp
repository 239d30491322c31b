#pragma once
#include "sde/sde.hpp"

namespace scorekit {

// Variance preserving (Song et al. 2021) and its sub-VP sibling. Both have the drift
// -beta(t)/2 x with beta(t) = beta_min + t (beta_max - beta_min) and mean coefficient
// alpha(t) = exp(-B(t)/2), B(t) = ∫_0^t beta. VP: g² = beta, std² = 1 - alpha².
// sub-VP: g² = beta (1 - exp(-2B)), std = 1 - alpha². Prior N(0, I) for both.
class VpSde : public Sde {
 public:
  VpSde(const Json& spec, bool sub);
  std::string name() const override { return sub_ ? "subvp" : "vp"; }
  Json spec() const override;
  bool is_affine() const override { return true; }
  at::Tensor drift(const at::Tensor& x, const at::Tensor& t) const override;
  at::Tensor diffusion(const at::Tensor& t) const override;
  at::Tensor g2_integral(const at::Tensor& s, const at::Tensor& t) const override;
  AffineMarginal marginal(const at::Tensor& t) const override;
  at::Tensor prior_sample(at::IntArrayRef shape, at::Generator& gen) const override;
  at::Tensor prior_log_prob(const at::Tensor& x) const override;
  at::Tensor beta(const at::Tensor& t) const;
  at::Tensor beta_integral(const at::Tensor& t) const;  // B(t)

 private:
  bool sub_;
  double beta_min_ = 0.1, beta_max_ = 20.0;
};

}  // namespace scorekit
