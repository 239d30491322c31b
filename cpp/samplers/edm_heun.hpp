#pragma once
#include "samplers/sampler.hpp"

namespace scorekit {

// Karras et al. 2022, Algorithm 2: Heun steps of dx̃/dσ = (x̃ − D(x̃; σ)) / σ on the ladder
// σ_i = (σ_max^{1/ρ} + i/(N−1) (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ, in the VE view x̃ = x / alpha(t)
// of any affine SDE (see sigma_view.hpp; σ_max, σ_min default to σ̃(T), σ̃(eps)). The start is
// the SDE's prior divided by alpha(T). Stochastic churn: for σ_i in [s_tmin, s_tmax] the noise is
// raised to σ̂ = σ_i (1 + γ), γ = min(s_churn / N, √2 − 1), by adding fresh noise scaled by s_noise.
// denoise = true ends with σ_N = 0, whose Euler step is the Tweedie denoiser D (2N − 1 NFE);
// denoise = false ends at σ_min with a Heun step and returns x̃ there, data plus noise of std
// σ_min (2N NFE).
class EdmHeun : public Sampler {
 public:
  explicit EdmHeun(const Json& spec);
  std::string name() const override { return "edm_heun"; }
  Json spec() const override;
  SampleOutput sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                      const ProgressFn& progress) override;

 private:
  int64_t steps_;
  double rho_, s_churn_, s_tmin_, s_tmax_, s_noise_, sigma_min_, sigma_max_;  // σ bounds 0: from the SDE
  bool denoise_;
};

}  // namespace scorekit
