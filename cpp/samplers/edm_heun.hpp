#pragma once
#include "samplers/sigma_sampler.hpp"

namespace scorekit {

// Karras et al. 2022, Algorithm 2: Heun steps of dx̃/dσ = (x̃ − D(x̃; σ)) / σ on a noise schedule
// (default karras, ρ = 7) in the σ view of any affine SDE (sigma_sampler.hpp). Stochastic churn:
// for σ_i in [s_tmin, s_tmax] the noise is raised to σ̂ = σ_i (1 + γ), γ = min(s_churn / N, √2 − 1),
// by adding fresh noise scaled by s_noise. denoise = true ends with σ_N = 0, whose Euler step is
// the Tweedie denoiser D (2N − 1 NFE); denoise = false ends at σ_min with a Heun step and returns
// x̃ there, data plus noise of std σ_min (2N NFE).
class EdmHeun : public SigmaSampler {
 public:
  explicit EdmHeun(const Json& spec);

 protected:
  at::Tensor update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) override;
  void write_options(Json& spec) const override;

 private:
  double s_churn_, s_tmin_, s_tmax_, s_noise_;
};

}  // namespace scorekit
