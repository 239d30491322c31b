#pragma once
#include "samplers/sigma_sampler.hpp"

namespace scorekit {

// DDIM (Song, Meng & Ermon 2021, eq. 12) in the σ view: from x̃ at σ with x̂₀ = D(x̃; σ) and
// ε̂ = (x̃ − x̂₀)/σ, x̃' = x̂₀ + √(σ'² − σ_η²) ε̂ + σ_η z with σ_η = η σ' √(σ² − σ'²)/σ (their σ_t(η)
// divided by √ᾱ_{t−1}). η = 0 is the deterministic DDIM (Euler in σ, Karras et al. 2022 §3), η = 1
// the DDPM posterior (the same rule as euler_ancestral with η = 1). Defaults: η = 0, 50 steps,
// schedule "uniform" (evenly spaced t, DDIM's own grid). 1 NFE per step.
class Ddim : public SigmaSampler {
 public:
  explicit Ddim(const Json& spec);

 protected:
  at::Tensor update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) override;
  void write_options(Json& spec) const override { spec["eta"] = eta_; }

 private:
  double eta_;
};

}  // namespace scorekit
