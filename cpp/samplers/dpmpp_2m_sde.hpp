#pragma once
#include "samplers/sigma_sampler.hpp"

namespace scorekit {

// DPM-Solver++(2M) SDE (Lu et al. 2022, appendix; k-diffusion's sample_dpmpp_2m_sde): the data-
// prediction form of the reverse SDE, exact in its linear part. With h = ln(σ/σ') and η:
//   x̃' = (σ'/σ) e^{−ηh} x̃ − expm1(−(1+η)h) D_i + [second-order term] + σ' √(−expm1(−2ηh)) s_noise z,
// where the second-order term (from the second step on, r = h_{i−1}/h) is
//   midpoint: −½ expm1(−(1+η)h) (D_i − D_{i−1}) / r;
//   heun:     (−expm1(−(1+η)h)/(−(1+η)h) + 1) (D_i − D_{i−1}) / r.
// The final step to σ = 0 returns D. η = 0 gives a deterministic second-order ODE solver.
// Defaults: η = 1, s_noise = 1, solver "midpoint", 35 steps, schedule karras. 1 NFE per step.
// The noise is drawn i.i.d. per step (k-diffusion's default is a Brownian tree; both give the
// same law).
class Dpmpp2mSde : public SigmaSampler {
 public:
  explicit Dpmpp2mSde(const Json& spec);

 protected:
  void start() override;
  at::Tensor update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) override;
  void write_options(Json& spec) const override;

 private:
  double eta_, s_noise_;
  bool heun_;  // solver "heun" rather than "midpoint"
  at::Tensor old_denoised_;
  double h_last_ = 0;
};

}  // namespace scorekit
