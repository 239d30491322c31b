#pragma once
#include "sde/priors/prior.hpp"
#include "sde/sde.hpp"

namespace scorekit {

// Time-changed overdamped Langevin dynamics toward a factorised prior π:
//   dx = ½ c β(t) ∇log π(x) dt + √(c β(t)) dW,   β(t) = beta_min + t (beta_max − beta_min).
// π is stationary for every c > 0 and the law approaches it as ∫β grows. With π = N(0, I) and c = 1
// this is VP. The drift is element-wise, so its Jacobian is the diagonal ½ c β(t) ∂² log π.
// Names built on it: langevin_mog, langevin_logistic (c = 1), and cubic and double_well, whose
// quartic potentials are Langevin toward exp(−(q4 x⁴ + q2 x²)) (sde/potential_sdes.cpp).
// Not affine: x_t comes from Euler–Maruyama with `steps` steps.
class LangevinSde : public Sde {
 public:
  struct Params {
    double beta_min = 0.1, beta_max = 20.0;
    double noise = 1.0;  // c: g² = c β
    int64_t steps = 100;
    double eps = 1e-3;
  };
  // `spec` is the resolved spec that rebuilds this SDE through make_sde.
  LangevinSde(std::string name, PriorPtr prior, Params params, Json spec);

  std::string name() const override { return name_; }
  Json spec() const override { return spec_; }
  bool is_affine() const override { return false; }
  at::Tensor drift(const at::Tensor& x, const at::Tensor& t) const override;
  at::Tensor drift_jacobian_diagonal(const at::Tensor& x, const at::Tensor& t) const override;
  at::Tensor diffusion(const at::Tensor& t) const override;
  at::Tensor g2_integral(const at::Tensor& s, const at::Tensor& t) const override;
  at::Tensor g2_integral_start(const at::Tensor& t, double lambda) const override;
  at::Tensor prior_sample(at::IntArrayRef shape, at::Generator& gen) const override;
  at::Tensor prior_log_prob(const at::Tensor& x) const override;
  std::pair<at::Tensor, at::Tensor> perturb(const at::Tensor& x0, const at::Tensor& t,
                                            at::Generator& gen) const override;
  int64_t simulation_steps() const override { return p_.steps; }

  const Prior& prior() const { return *prior_; }
  at::Tensor beta(const at::Tensor& t) const;
  at::Tensor beta_integral(const at::Tensor& t) const;  // B(t) = ∫_0^t β

 private:
  std::string name_;
  PriorPtr prior_;
  Params p_;
  Json spec_;
};

// Reads the keys every Langevin-family SDE shares (beta_min, beta_max, steps, eps).
LangevinSde::Params read_langevin_params(SpecReader& r, LangevinSde::Params defaults);

SdePtr make_langevin_mog(const Json& spec);
SdePtr make_langevin_logistic(const Json& spec);

}  // namespace scorekit
