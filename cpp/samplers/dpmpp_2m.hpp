#pragma once
#include "samplers/sigma_sampler.hpp"

namespace scorekit {

// DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2), as k-diffusion's sample_dpmpp_2m: a deterministic
// second-order multistep method in λ = −ln σ. With h = ln(σ/σ'), x̃' = (σ'/σ) x̃ − expm1(−h) D̂,
// where D̂ = (1 + 1/(2r)) D_i − 1/(2r) D_{i−1}, r = h_{i−1}/h, and D̂ = D_i on the first step and on
// the final step to σ = 0. Defaults: 20 steps, schedule karras. 1 NFE per step.
class Dpmpp2m : public SigmaSampler {
 public:
  explicit Dpmpp2m(const Json& spec);

 protected:
  void start() override { old_denoised_ = at::Tensor(); }
  at::Tensor update(SigmaView& view, const at::Tensor& x, const SigmaStep& step, NoiseSource& noise) override;

 private:
  at::Tensor old_denoised_;
};

}  // namespace scorekit
