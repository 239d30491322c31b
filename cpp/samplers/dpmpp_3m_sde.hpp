#pragma once
#include "samplers/sigma_sampler.hpp"

namespace scorekit {

// DPM-Solver++(3M) SDE (k-diffusion's sample_dpmpp_3m_sde): third-order multistep in λ = −ln σ with
// h = ln(σ/σ'), h_η = (1+η) h:
//   x̃' = e^{−h_η} x̃ − expm1(−h_η) D_i + φ₂ d₁ − φ₃ d₂ + σ' √(−expm1(−2ηh)) s_noise z,
// φ₂ = expm1(−h_η)/h_η + 1, φ₃ = φ₂/h_η − ½, with d₁, d₂ the first and second divided differences
// of the last three denoiser outputs (only d₁ = (D_i − D_{i−1})/r on the second step). The final
// step to σ = 0 returns D. Defaults: η = 1, s_noise = 1, 35 steps, schedule karras. 1 NFE per step.
// Noise is i.i.d. per step (k-diffusion's default is a Brownian tree; the law is the same).
class Dpmpp3mSde : public SigmaSampler {
 public:
  explicit Dpmpp3mSde(const Json& spec);

 protected:
  void start() override;
  at::Tensor update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) override;
  void write_options(Json& spec) const override;

 private:
  double eta_, s_noise_;
  at::Tensor denoised_1_, denoised_2_;  // D at the last two steps
  double h_1_ = 0, h_2_ = 0;            // their step sizes (0: none yet)
};

}  // namespace scorekit
