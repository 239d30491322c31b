#pragma once
#include "samplers/time_grid_sampler.hpp"

namespace scorekit {

// Predictor–corrector sampling (Song et al. 2021, Algorithms 2–3). At each time of the uniform
// grid: `corrector_steps` Langevin corrections at signal-to-noise ratio `snr`, then one predictor
// step to the next time. Predictors (ReverseProcess::step):
//  - reverse_diffusion: x ← x − f Δt + G² s + G z with G² = ∫ g² over the step (exact for VE,
//    where it is σ_i² − σ_{i+1}², the SMLD ladder; first order in Δt for VP);
//  - em: reverse-time Euler–Maruyama, G² = g(t)² Δt;
//  - none: corrector only (the "LC" sampler of the paper).
// The Langevin step size is 2 a (snr ‖z‖ / ‖s‖)², norms averaged over the batch as in the paper,
// with a = (alpha(t_i)/alpha(t_{i+1}))² (≈ 1 − β_i for VP, 1 for VE). denoise = true returns the
// last mean without noise. Predictor and corrector are resolved once, at construction.
class PredictorCorrector : public TimeGridSampler {
 public:
  explicit PredictorCorrector(const Json& spec);
  std::string name() const override { return "pc"; }
  Json spec() const override;

 protected:
  at::Tensor update(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1, bool last,
                    NoiseSource& noise) override;

 private:
  enum class Predictor { ReverseDiffusion, EulerMaruyama, None };
  enum class Corrector { Langevin, None };
  // One Langevin correction at t0 (mean and noisy state).
  std::pair<at::Tensor, at::Tensor> langevin(ReverseProcess& reverse, const at::Tensor& x, double t0, double t1,
                                             NoiseSource& noise) const;
  int64_t corrector_steps_;
  Predictor predictor_;
  Corrector corrector_;
  double snr_;
  bool denoise_;
};

}  // namespace scorekit
