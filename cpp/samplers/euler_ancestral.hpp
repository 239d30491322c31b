#pragma once
#include "samplers/sigma_sampler.hpp"

namespace scorekit {

// Euler ancestral (k-diffusion's sample_euler_ancestral): an Euler step of dx̃/dσ = (x̃ − D)/σ down
// to σ_down, then fresh noise of std σ_up, from the ancestral split of σ → σ' (ancestral_step,
// η = eta, noise scaled by s_noise; no noise on the final step to σ = 0). Defaults: η = 1,
// 35 steps, schedule karras. 1 NFE per step.
class EulerAncestral : public SigmaSampler {
 public:
  explicit EulerAncestral(const Json& spec);

 protected:
  at::Tensor update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) override;
  void write_options(Json& spec) const override;

 private:
  double eta_, s_noise_;
};

}  // namespace scorekit
