#pragma once
#include "samplers/sampler.hpp"

namespace scorekit {

// Predictor–corrector sampling (Song et al. 2021, Algorithms 2–3). At each time of the uniform
// grid: `corrector_steps` Langevin corrections at signal-to-noise ratio `snr`, then one predictor
// step to the next time. Predictors:
//  - reverse_diffusion: x ← x − f Δt + G² s + G z with G² = ∫ g² over the step (exact for VE,
//    where it is σ_i² − σ_{i+1}², the SMLD ladder; first order in Δt for VP);
//  - em: reverse-time Euler–Maruyama, G² = g(t)² Δt;
//  - none: corrector only (the "LC" sampler of the paper).
// The Langevin step size is 2 a (snr ‖z‖ / ‖s‖)², norms averaged over the batch as in the paper,
// with a = (alpha(t_i)/alpha(t_{i+1}))² (≈ 1 − β_i for VP, 1 for VE). denoise = true returns the
// last predictor mean without noise.
class PredictorCorrector : public Sampler {
 public:
  explicit PredictorCorrector(const Json& spec);
  std::string name() const override { return "pc"; }
  Json spec() const override;
  SampleOutput sample(ScoreModel& model, const Sde& sde, int64_t n, at::Generator& gen,
                      const ProgressFn& progress) override;

 private:
  int64_t steps_, corrector_steps_;
  std::string predictor_, corrector_;
  double snr_;
  bool denoise_;
};

}  // namespace scorekit
